#!/usr/bin/env python3
"""Converting many BibTeX entries to CSL-JSON runs in flat memory.

Usage: flat_memory.py CITECONV

Writes 2,000 and 50,000 generated entries (macros, accents, crossrefs) to
temporary files, converts each with -t csl-json and compares the peak
resident sizes: the larger input may use at most 4 MiB more (the reader
keeps only a hash of each key to report duplicates).
"""
import os
import resource
import subprocess
import sys
import tempfile

SANITIZED = "ASAN_OPTIONS" in os.environ
# Under AddressSanitizer freed memory waits in a quarantine, which looks like
# growth; without it the sanitizer build measures what the code keeps.
os.environ["ASAN_OPTIONS"] = ":".join(
    x for x in (os.environ.get("ASAN_OPTIONS", ""), "quarantine_size_mb=0",
                "thread_local_quarantine_size_kb=0") if x)

ENTRY = """@article{{key{i},
  author = {{M{{\\"u}}ller, J{{\\"o}}rg and van der Berg, Anna and others}},
  title = {{On the {{DNA}} of entry {i}: a \\textit{{study}} of $\\alpha$-helices}},
  journal = jnl,
  year = {year},
  month = mar,
  volume = {{{v}}},
  pages = {{{p}--{q}}},
  doi = {{10.1000/x{i}}},
  keywords = {{one, two, three}},
  abstract = {{{abstract}}},
}}

@inproceedings{{child{i},
  author = {{Smith, John}},
  title = {{Part {i}}},
  crossref = {{proc{i}}},
}}

@proceedings{{proc{i},
  title = {{Proceedings {i}}},
  year = 2001,
}}
"""


def peak(bin_, path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.devnull, "wb") as null:
        rc = subprocess.call([bin_, "-q", "-f", "bibtex", "-t", "csl-json",
                              path], stdout=null, stderr=null)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if rc not in (0, 1):
        sys.exit("citeconv failed on %s" % path)
    return max(before, after)


def write(path, n):
    text = "a" * 400
    with open(path, "w", encoding="utf-8") as f:
        f.write('@string{jnl = "Journal of Tests"}\n\n')
        for i in range(n):
            f.write(ENTRY.format(i=i, year=1950 + i % 70, v=i % 90,
                                 p=i % 500, q=i % 500 + 9, abstract=text))


def main():
    bin_ = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        small, large = os.path.join(d, "s.bib"), os.path.join(d, "l.bib")
        write(small, 2000)
        write(large, 50000)
        # the small run first: ru_maxrss of children only grows
        a = peak(bin_, small)
        b = peak(bin_, large)
    print("peak RSS: 6,000 entries %d KiB, 150,000 entries %d KiB" % (a, b))
    # 4 MiB of slack (the duplicate-key index holds 8 bytes a key); the
    # sanitizers' allocator keeps more per size class, so 16 MiB there.
    # Memory that grew with the input would be hundreds of MiB here.
    slack = 16384 if SANITIZED else 4096
    return 0 if b - a <= slack else 1


if __name__ == "__main__":
    sys.exit(main())
