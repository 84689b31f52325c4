#!/usr/bin/env python3
"""Accuracy of the reference-string parser.

1. The reference lists of the fixture pages, read with the pubmed-html
   reader, against the truth each page carries: the identifiers of a
   reference's own links and the fields of its Google Scholar look-up link
   (journal, title, first author, year, DOI).
2. Reference strings in fixtures/refstrings/ and the references of the
   pubmed-text fixture, against hand-checked expectations in
   tests/refparse/*.tsv.

Prints the share of references with each field right and fails when the
first author's family name, the year or the DOI is right for fewer than
95% of them, or the title or container title for fewer than 90%.

usage: accuracy.py CITECONV SRCDIR REFPARSE_DUMP
"""
import html
import json
import re
import subprocess
import sys
import unicodedata
import urllib.parse

FIELDS = ["family", "year", "doi", "title", "container"]
NEED = {"family": 95, "year": 95, "doi": 95, "title": 90, "container": 90}


def norm(s):
    s = unicodedata.normalize("NFKC", html.unescape(s or "")).casefold()
    s = re.sub(r"<[^>]+>", "", s)
    return "".join(c for c in s if c.isalnum())


def same(field, got, want):
    if field == "doi":
        return (got or "").casefold() == (want or "").casefold()
    return norm(got) == norm(want)


def debug_records(citeconv, path, fmt):
    """Records of a file as dicts, from the debug writer's dump."""
    out = subprocess.run([citeconv, "-q", "-f", fmt, "-t", "debug", "--set",
                          "debug-positions=no", path],
                         capture_output=True, text=True).stdout
    recs = []
    for line in out.splitlines():
        if line.startswith("record "):
            recs.append({"family": None})
            continue
        if line.startswith('  extra "pubmed-html:reference": ') and recs:
            recs[-1]["reference"] = json.loads(line.split(": ", 1)[1])
            continue
        m = re.match(r'  (\S+?)(\[\d+\])?: (.*)$', line)
        if not m or not recs:
            continue
        key, idx, val = m.groups()
        r = recs[-1]
        if key == "author" and idx == "[0]":
            fam = re.search(r'family=("(?:[^"\\]|\\.)*")', val)
            lit = re.search(r'literal=("(?:[^"\\]|\\.)*")', val)
            ndp = re.search(r'non-dropping-particle=("(?:[^"\\]|\\.)*")', val)
            f = json.loads(fam.group(1)) if fam else \
                json.loads(lit.group(1)) if lit else ""
            if ndp:
                f = json.loads(ndp.group(1)) + " " + f
            r["family"] = f
        elif key == "issued":
            r["year"] = val.split("-")[0].split()[0]
        elif key in ("DOI", "title", "container-title", "citation-number",
                     "PMID"):
            r[key] = json.loads(val)
    return recs


def page_truth(path):
    """Per reference list item: the Scholar look-up fields and link ids."""
    s = open(path, encoding="utf-8").read()
    items = re.findall(r'<li id="(?:b\d+-ehp|gks1195-B)[^"]*">(.*?)</li>', s,
                       re.S)
    truth = []
    for it in items:
        t = {}
        m = re.search(r'href="https://scholar\.google\.com/scholar_lookup\?'
                      r'([^"]*)"', it)
        if m:
            q = urllib.parse.parse_qs(html.unescape(m.group(1)))
            if "title" in q:
                t["title"] = q["title"][0]
            if "journal" in q:
                t["container"] = q["journal"][0]
            if "publication_year" in q:
                t["year"] = q["publication_year"][0][:4]
            if "author" in q:
                t["family"] = q["author"][0].split()[-1]
            if "doi" in q:
                t["doi"] = q["doi"][0]
        d = re.search(r'href="https://doi\.org/([^"]+)"', it)
        if d:
            t["doi"] = urllib.parse.unquote(html.unescape(d.group(1)))
        if "title" in t and "doi" not in t:
            t["doi"] = ""
        truth.append(t)
    return truth


def tsv(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        c = line.rstrip("\n").split("\t")
        rows.append((c[1], dict(zip(FIELDS, c[2:7]))))
    return rows


class Score:
    def __init__(self):
        self.n = {f: 0 for f in FIELDS}
        self.ok = {f: 0 for f in FIELDS}
        self.misses = []

    def add(self, where, got, want):
        for f in FIELDS:
            if f not in want:
                continue
            self.n[f] += 1
            if same(f, got.get(f), want[f]):
                self.ok[f] += 1
            else:
                self.misses.append((where, f, got.get(f), want[f]))

    def line(self, name):
        parts = []
        for f in FIELDS:
            if self.n[f]:
                parts.append("%s %d/%d (%.1f%%)" % (
                    f, self.ok[f], self.n[f], 100.0 * self.ok[f] / self.n[f]))
        return "%-28s %s" % (name, ", ".join(parts))


def main():
    citeconv, src, dump = sys.argv[1:4]
    total = Score()
    styles = set()
    # 1. Fixture pages.
    for page in ("pmc-PMC1280342-howdju-2023.html",
                 "pmc-PMC3531190-metascraper.html"):
        path = "%s/fixtures/pubmed-html/%s" % (src, page)
        refs = [r for r in debug_records(citeconv, path, "pubmed-html")
                if "citation-number" in r]
        truth = page_truth(path)
        sc = Score()
        if len(refs) != len(truth):
            print("%s: %d references read, page has %d" % (
                page, len(refs), len(truth)))
            return 1
        for r, t in zip(refs, truth):
            # Scholar names a chapter by its book: that is the container.
            if " In: " in r.get("reference", "") and "title" in t:
                t["container"] = t.pop("title")
            got = {"family": r.get("family"), "year": r.get("year"),
                   "doi": r.get("DOI", ""), "title": r.get("title"),
                   "container": r.get("container-title")}
            for s in (sc, total):
                s.add("%s #%s" % (page, r["citation-number"]), got, t)
        styles.add("vancouver")
        print(sc.line(page))
    # 2. The text fixture's references.
    path = "%s/fixtures/pubmed-text/fgene-2023-1271381.txt" % src
    refs = [r for r in debug_records(citeconv, path, "pubmed-text")
            if "citation-number" in r]
    sc = Score()
    for (style, want), r in zip(tsv("%s/tests/refparse/fgene-text.tsv" % src),
                                refs):
        got = {"family": r.get("family"), "year": r.get("year"),
               "doi": r.get("DOI", ""), "title": r.get("title"),
               "container": r.get("container-title")}
        styles.add(style)
        for s in (sc, total):
            s.add("fgene #%s" % r["citation-number"], got, want)
    print(sc.line("fgene-2023-1271381.txt"))
    # 3. Reference strings with hand-checked expectations.
    for name in ("plos-pone-0046493", "handmade-styles"):
        out = subprocess.run([dump, "%s/fixtures/refstrings/%s.txt" %
                              (src, name)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
        rows = tsv("%s/tests/refparse/%s.tsv" % (src, name))
        sc = Score()
        per_style = {}
        for i, ((style, want), line) in enumerate(zip(rows, out), 1):
            c = line.split("\t")
            got = dict(zip(FIELDS, c[1:6]))
            styles.add(style.split("-")[0])
            per_style.setdefault(style.split("-")[0], Score()).add(
                "%s:%d" % (name, i), got, want)
            for s in (sc, total):
                s.add("%s:%d" % (name, i), got, want)
        print(sc.line(name + ".txt"))
        if len(per_style) > 1:
            for st in sorted(per_style):
                print(per_style[st].line("  " + st))
    print(total.line("all (%d styles)" % len(styles)))
    for m in total.misses:
        print("  miss %s %s: got %r, want %r" % m)
    fail = False
    for f in FIELDS:
        if total.n[f] and 100.0 * total.ok[f] / total.n[f] < NEED[f]:
            print("FAIL: %s below %d%%" % (f, NEED[f]))
            fail = True
    if total.n["family"] < 60:
        print("FAIL: fewer than 60 references checked")
        fail = True
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
