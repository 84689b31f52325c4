#!/usr/bin/env python3
"""A PubMed article page with 5,000 references, generated from a
template, must read into 5,001 records; prints the time it took.

usage: large_page.py CITECONV
"""
import os
import subprocess
import sys
import tempfile
import time

HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Large</title></head>
<body><main class="article-details" id="article-details">
<div class="full-view" id="full-view-heading">
<div class="article-citation"><div class="article-source">
<button class="journal-actions-trigger trigger" title="Journal of Tests">J Tests</button>
<span class="cit">2020 Jan;1(2):3-4.</span></div></div>
<h1 class="heading-title">A page with many references</h1>
<ul class="identifiers" id="full-view-identifiers"><li><span class="identifier pubmed">
<strong class="current-id">12345678</strong></span></li></ul></div>
<div class="references" id="references"><ol class="references-list" id="full-references-list-1">
"""
REF = """<li class="skip-numbering">Smith J{i}, Jones KL, Brown A, et al. Title of
study number {i} on things. J Clin Oncol. {y} Jun;{v}({n}):{p}-{q}.
<ul class="reference-links"><li><a class="reference-link" href="https://doi.org/10.1000/test.{i}">DOI</a></li>
<li><a class="reference-link" href="/{pmid}/">PubMed</a></li></ul></li>
"""
TAIL = "</ol></div></main></body></html>\n"


def main():
    citeconv = sys.argv[1]
    n = 5000
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "large.html")
        with open(path, "w") as f:
            f.write(HEAD)
            for i in range(1, n + 1):
                f.write(REF.format(i=i, y=1950 + i % 70, v=i % 90 + 1,
                                   n=i % 12 + 1, p=i, q=i + 9,
                                   pmid=10000000 + i))
            f.write(TAIL)
        t0 = time.monotonic()
        out = subprocess.run([citeconv, "-q", "-f", "pubmed-html", "-t",
                              "debug", path], capture_output=True, text=True)
        dt = time.monotonic() - t0
    count = out.stdout.count("\nrecord ") + out.stdout.startswith("record ")
    print("%d references read in %.3f s (%d records)" % (n, dt, count))
    if out.returncode != 0 or count != n + 1:
        print(out.stderr[:2000])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
