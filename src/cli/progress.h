/* A one-line progress display on standard error (the tool only). */
#ifndef CITECONV_CLI_PROGRESS_H
#define CITECONV_CLI_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>

/* Shared by every job of a run; counters may be bumped from several
 * threads. */
typedef struct {
  bool on;                      /* standard error is a terminal, not --quiet */
  double start, last;           /* seconds */
  atomic_ullong records;        /* records read, all inputs */
  atomic_ullong done_bytes;     /* bytes of finished inputs */
  atomic_ullong total_bytes;    /* sizes of all inputs, when known */
  atomic_uint files_done;
  unsigned files;
} cli_progress;

/* Set up: `on` decides whether anything is ever shown. */
void cli_progress_init(cli_progress *p, bool on, unsigned files,
                       unsigned long long total_bytes);
/* Redraw when a quarter of a second has passed; `current` is what the
 * calling job has read of its input so far. Only one thread draws. */
void cli_progress_tick(cli_progress *p, unsigned long long current);
/* Clear the line at the end. */
void cli_progress_end(cli_progress *p);

#endif
