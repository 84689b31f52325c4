/* A one-line progress display: records, megabytes, speed and, when sizes
 * are known, the time left. Shown only on a terminal. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p, bool on, unsigned files,
                       unsigned long long total_bytes)
{
  p->on = on;
  p->start = p->last = now();
  atomic_init(&p->records, 0);
  atomic_init(&p->done_bytes, 0);
  atomic_init(&p->total_bytes, total_bytes);
  atomic_init(&p->files_done, 0);
  p->files = files;
}

void cli_progress_tick(cli_progress *p, unsigned long long current)
{
  static const double period = 0.25;
  double t, secs, mb, rate, total;
  if (!p->on)
    return;
  t = now();
  if (t - p->last < period)
    return;
  p->last = t; /* a race here only skips or doubles a redraw */
  secs = t - p->start;
  mb = (double)(atomic_load(&p->done_bytes) + current) / 1e6;
  rate = secs > 0 ? mb / secs : 0;
  total = (double)atomic_load(&p->total_bytes) / 1e6;
  fprintf(stderr, "\r%llu records, %.1f MB, %.1f MB/s",
          (unsigned long long)atomic_load(&p->records), mb, rate);
  if (p->files > 1)
    fprintf(stderr, ", %u/%u files", atomic_load(&p->files_done), p->files);
  if (total > mb && rate > 0)
    fprintf(stderr, ", %.0f s left", (total - mb) / rate);
  fputs("\033[K", stderr);
  fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
  if (p->on && now() - p->start >= 0.25) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
}
