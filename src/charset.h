/* Character sets of text inputs: every later read of an input delivers
 * UTF-8, whatever the file was written in. */
#ifndef CITECONV_SRC_CHARSET_H
#define CITECONV_SRC_CHARSET_H

#include "io.h"
#include "session.h"

/* Make every later read of `in` deliver UTF-8. A text reader calls this in
 * its open(), before it consumes anything (peeking with citeconv_input_fill
 * is fine), and then reads `in` as usual (citeconv_input_fill/_data,
 * citeconv_linebuf_next...); it must not skip a BOM itself.
 *
 *   static int x_open(citeconv_reader **out, citeconv_session *s,
 *                     citeconv_input *in)
 *   {
 *     int rc = citeconv_charset_decode(in, s, NULL);
 *     if (rc < 0)
 *       return rc;
 *     ...
 *
 * `encoding` names the input's character set (an ICU converter name such as
 * "windows-1252", "ISO-8859-1", "UTF-16LE", "UTF-8"); NULL takes the
 * session option input-encoding, whose default "auto" means:
 *
 * - a UTF-8 byte order mark is skipped; UTF-16 or UTF-32 with a BOM is
 *   converted;
 * - otherwise the input is taken as UTF-8 until its first non-ASCII byte;
 *   if the bytes from there (up to 64 KiB) are UTF-8 (valid multi-byte
 *   sequences at least as many as runs of invalid bytes) it stays UTF-8,
 *   else the character set is detected with ICU among the single-byte
 *   Latin, Cyrillic, Greek... sets and the common East Asian ones
 *   (windows-1252 when bytes 0x80-0x9F occur, else ISO-8859-1, which is
 *   converted as windows-1252 too, unless another set is clearly better),
 *   converted as the input streams, and an
 *   encoding-assumed note names the set it chose;
 * - invalid bytes in UTF-8 input become U+FFFD, each run with an encoding
 *   warning at its line and column (the first 20 runs; a note then says
 *   that more are not reported).
 *
 * Lines and columns in the decoded text are those of the original (one
 * character in, one character out). Memory stays bounded: the input is
 * converted chunk by chunk.
 *
 * Returns 0; CITECONV_EUSAGE for an encoding ICU does not know (the session
 * message says which); CITECONV_ENOMEM. */
int citeconv_charset_decode(citeconv_input *in, citeconv_session *s,
                            const char *encoding);

/* The character set the decoder settled on for `in` ("UTF-8",
 * "windows-1252"...); NULL while undecided (only ASCII read so far) or when
 * no decoder is set. Borrowed. */
const char *citeconv_charset_of(const citeconv_input *in);

#endif
