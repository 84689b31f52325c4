#!/usr/bin/env python3
"""Every @entry block of each .bib file becomes one record.

Usage: entry_count.py CITECONV FIXTURE_DIR

Entries are counted the way BibTeX finds them: an '@' outside any entry,
followed by a name and '{' or '(', not inside a '%' comment line;
@string, @preamble and @comment are not entries. The count must equal the
number of records `citeconv -t debug` prints.
"""
import glob
import os
import re
import subprocess
import sys

START = re.compile(rb"@\s*([A-Za-z][\w:.+-]*)\s*([{(])")


def count_entries(data):
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        data = data.decode("utf-16").encode("utf-8")
    n = 0
    i = 0
    while True:
        at = data.find(b"@", i)
        if at < 0:
            return n
        line_start = data.rfind(b"\n", 0, at) + 1
        cr = data.rfind(b"\r", 0, at) + 1
        line_start = max(line_start, cr)
        if b"%" in data[line_start:at]:
            i = at + 1
            continue
        m = START.match(data, at)
        if not m:
            i = at + 1
            continue
        kind = m.group(1).lower()
        close = b"}" if m.group(2) == b"{" else b")"
        # skip to the end of the block, counting braces
        j = m.end()
        depth = 1
        while j < len(data) and depth:
            c = data[j:j + 1]
            if c == b"{" or (close == b")" and c == b"("):
                depth += 1
            elif c == b"}" or (close == b")" and c == b")"):
                depth -= 1
            elif c == b"@" and data[data.rfind(b"\n", 0, j) + 1:j].strip() == b"":
                break  # an unclosed entry ends where the next one starts
            j += 1
        if kind not in (b"string", b"preamble", b"comment"):
            n += 1
        i = j


def main():
    bin_, fixdir = sys.argv[1:3]
    bad = 0
    files = sorted(glob.glob(os.path.join(fixdir, "*.bib")))
    for path in files:
        with open(path, "rb") as f:
            want = count_entries(f.read())
        p = subprocess.run([bin_, "-q", "-f", "bibtex", "-t", "debug", path],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        got = sum(1 for line in p.stdout.splitlines()
                  if line.startswith(b"record "))
        if got != want:
            print("%s: %d @entry blocks, %d records" % (
                os.path.basename(path), want, got))
            bad += 1
    print("%d files, %d with a different count" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
