#!/usr/bin/env python3
"""The pathological-input suite: for every format citeconv reads, inputs
that break readers (empty, binary garbage, truncated, deep nesting, a huge
field, a 50 MB line, 100,000 authors, NUL bytes, CR/CRLF/mixed line ends,
UTF-16 and Latin-1), each run under a time limit. Every case must end by
itself with exit status 0, 1 or 2 (no crash, no sanitizer report, no
hang), write valid UTF-8, and give the exit status and diagnostic codes
recorded in expected.tsv (rewritten with UPDATE_GOLDEN=1, reviewed once).

usage: run.py CITECONV [FORMAT...]

CITECONV_PATHOLOGICAL_WRAPPER runs each case under another program, e.g.
"valgrind -q --error-exitcode=99" (an error it finds is then an exit
status outside 0-2, a failure); CITECONV_PATHOLOGICAL_TIMEOUT sets the time
limit per case in seconds (default 120).
"""
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
EXPECTED = os.path.join(HERE, "expected.tsv")
TIMEOUT = float(os.environ.get("CITECONV_PATHOLOGICAL_TIMEOUT", "120"))
WRAPPER = shlex.split(os.environ.get("CITECONV_PATHOLOGICAL_WRAPPER", ""))

MB = 1024 * 1024


def fixture(path):
    with open(os.path.join(SRC, "fixtures", path), "rb") as f:
        return f.read()


# ---- one generator per format: name -> bytes ------------------------------

def bibtex_cases():
    good = fixture("bibtex/debian-texlive-xampl.bib")
    authors = " and ".join(f"Author{i}, Given{i}" for i in range(100000))
    return {
        "deep-braces": b"@article{deep, title = " + b"{" * 10000 + b"x" + b"}" * 10000 + b"}\n@book{after, title={Kept}}\n",
        "unclosed-braces": b"@article{open, title = " + b"{" * 10000 + b"\n@book{after, title={Kept}}\n",
        "huge-field": b"@misc{big, note = {" + b"word " * (10 * MB) + b"}}\n",
        "long-line": b"@misc{line, note = {" + b"x" * (50 * MB) + b"}}\n",
        "many-authors": ("@article{many, author = {" + authors + "}, title={T}}\n").encode(),
        "string-bomb": b"".join(b"@string{s%d = s%d # s%d}\n" % (i, i - 1, i - 1) for i in range(1, 60)).replace(b"s0 # s0", b"{ab}") + b"@misc{x, note = s59}\n",
        "self-crossref": b"@inbook{a, crossref = {a}, title = {Loop}}\n@inbook{b, crossref={c}}\n@inbook{c, crossref={b}}\n",
        "long-crossref-chain": b"@book{c0, title={Root}}\n" + b"".join(b"@book{c%d, crossref={c%d}}\n" % (i, i - 1) for i in range(1, 100)),
        "truncated": good[: len(good) // 2],
    }, good


def ris_cases():
    good = fixture("ris/asreview-baseline.ris")
    many = "TY  - JOUR\r\n" + "".join(f"AU  - Author{i}, G.\r\n" for i in range(100000)) + "TI  - Many\r\nER  - \r\n"
    return {
        "huge-field": b"TY  - JOUR\nAB  - " + b"word " * (10 * MB) + b"\nER  - \n",
        "long-line": b"TY  - JOUR\nN1  - " + b"x" * (50 * MB) + b"\nER  - \n",
        "many-authors": many.encode(),
        "no-er": b"TY  - JOUR\nTI  - No end\n",
        "no-ty": b"TI  - No type\nER  - \n",
        "truncated": good[: len(good) // 2],
    }, good


def csl_json_cases():
    good = fixture("csl-json/jgm-citeproc-issue_107.json")
    authors = ",".join('{"family":"A%d","given":"G"}' % i for i in range(100000))
    return {
        "deep-arrays": b'[{"id":"d","type":"book","note":' + b"[" * 100000 + b"]" * 100000 + b'},{"id":"after","type":"book"}]',
        "unclosed-arrays": b'[{"id":"d","type":"book","note":' + b"[" * 100000,
        "huge-field": b'[{"id":"h","type":"book","abstract":"' + b"word " * (10 * MB) + b'"}]',
        "long-line": b'[{"id":"l","type":"book","note":"' + b"x" * (50 * MB) + b'"}]',
        "many-authors": ('[{"id":"m","type":"book","author":[' + authors + "]}]").encode(),
        "bad-escapes": b'[{"id":"e","type":"book","title":"\\ud800 \\u0000 \\x"}]',
        "truncated": good[: len(good) // 2],
    }, good


def xml_many_authors(n):
    return ("<Author><LastName>A%d</LastName><ForeName>G</ForeName></Author>" * 1) and "".join(
        f"<Author><LastName>A{i}</LastName><ForeName>G</ForeName></Author>" for i in range(n))


def pubmed_xml_cases():
    good = fixture("pubmed-xml/biopython-entrez-pubmed1.xml")
    head = b'<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>'
    tail = b"</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n"
    return {
        "deep-elements": head + b"<ArticleTitle>" + b"<i>" * 10000 + b"x" + b"</i>" * 10000 + b"</ArticleTitle>" + tail,
        "huge-field": head + b"<Abstract><AbstractText>" + b"word " * (10 * MB) + b"</AbstractText></Abstract>" + tail,
        "long-line": head + b"<ArticleTitle>" + b"x" * (50 * MB) + b"</ArticleTitle>" + tail,
        "many-authors": head + b"<AuthorList>" + xml_many_authors(100000).encode() + b"</AuthorList>" + tail,
        "entity-bomb": b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY a "aaaaaaaaaa">\n'
                       + b"".join(b'<!ENTITY %c "%s">\n' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10) for i in range(9))
                       + b"]>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&j;</ArticleTitle>"
                       + tail,
        "external-entity": b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                           b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&x;</ArticleTitle>" + tail,
        "truncated": good[: len(good) // 2],
    }, good


def medline_cases():
    good = fixture("medline/biopython-medline-pubmed_result1.txt")
    many = "PMID- 1\n" + "".join(f"FAU - Author{i}, Given\nAU  - Author{i} G\n" for i in range(100000)) + "TI  - Many\n"
    return {
        "huge-field": b"PMID- 1\nAB  - " + b"word\n      " * (2 * MB) + b"end\n",
        "long-line": b"PMID- 1\nTI  - " + b"x" * (50 * MB) + b"\n",
        "many-authors": many.encode(),
        "truncated": good[: len(good) // 2],
    }, good


def jats_cases():
    good = fixture("jats/elife-00777.xml")
    refs = "".join(f'<ref id="r{i}"><element-citation publication-type="journal"><person-group person-group-type="author"><name><surname>S{i}</surname><given-names>G</given-names></name></person-group><article-title>T{i}</article-title><source>J</source><year>2001</year></element-citation></ref>' for i in range(20000))
    names = "".join(f"<name><surname>S{i}</surname><given-names>G</given-names></name>" for i in range(100000))
    head = '<?xml version="1.0"?>\n<article><front><article-meta><title-group><article-title>A</article-title></title-group></article-meta></front><back><ref-list>'
    return {
        "deep-elements": (head + '<ref id="d"><mixed-citation>' + "<italic>" * 10000 + "x" + "</italic>" * 10000 + "</mixed-citation></ref></ref-list></back></article>").encode(),
        "many-refs": (head + refs + "</ref-list></back></article>").encode(),
        "many-authors": (head + '<ref id="m"><element-citation><person-group>' + names + "</person-group></element-citation></ref></ref-list></back></article>").encode(),
        "truncated": good[: len(good) // 2],
    }, good


def pubmed_html_cases():
    good = fixture("pubmed-html/article-pmid-15613317-hku1-2022.html")
    return {
        "deep-elements": b"<html><body>" + b"<div>" * 100000 + b"x" + b"</div>" * 100000 + b"</body></html>",
        "not-pubmed": b"<html><head><title>Some page</title></head><body><p>Hello</p></body></html>",
        "truncated": good[: len(good) // 2],
    }, good


def pubmed_text_cases():
    good = fixture("pubmed-text/fgene-2023-1271381.txt")
    return {
        "long-line": b"Title\n" + b"x" * (50 * MB) + b"\n",
        "truncated": good[: len(good) // 2],
    }, good


GENERATORS = {
    "bibtex": bibtex_cases, "ris": ris_cases, "csl-json": csl_json_cases,
    "pubmed-xml": pubmed_xml_cases, "medline": medline_cases, "jats": jats_cases,
    "pubmed-html": pubmed_html_cases, "pubmed-text": pubmed_text_cases,
}


def common_cases(good):
    rnd = random.Random(20261127)
    garbage = bytes(rnd.getrandbits(8) for _ in range(65536))
    text = good.decode("utf-8", "replace")
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    cases = {
        "empty": b"",
        "garbage": garbage,
        "nul-bytes": good[: len(good) // 3] + b"\0\0\0" + good[len(good) // 3:],
        "crlf": lf.replace("\n", "\r\n").encode(),
        "cr": lf.replace("\n", "\r").encode(),
        "mixed-eol": "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lf.split("\n"))).encode(),
        "utf16": b"\xff\xfe" + lf.encode("utf-16-le"),
        "latin1": lf.encode("latin-1", "replace"),
    }
    return cases


def valid_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def run_case(binary, fmt, name, data, tmp):
    path = os.path.join(tmp, f"{fmt}-{name}")
    with open(path, "wb") as f:
        f.write(data)
    out = os.path.join(tmp, "out")
    start = time.monotonic()
    try:
        with open(out, "wb") as o:
            p = subprocess.run(WRAPPER + [binary, "-f", fmt, "-t", "csl-json", "--diagnostics", "json", path],
                               stdout=o, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"no answer after {TIMEOUT:.0f} s"
    secs = time.monotonic() - start
    err = p.stderr.decode("utf-8", "replace")
    problems = []
    if p.returncode not in (0, 1, 2):
        problems.append(f"exit status {p.returncode}")
    if "Sanitizer" in err or "runtime error:" in err or re.search(r"^==\d+== ", err, re.M):
        problems.append("sanitizer report: " + err[-2000:])
    with open(out, "rb") as o:
        if not valid_utf8(o.read()):
            problems.append("output is not valid UTF-8")
    codes = sorted(set(re.findall(r'"code":"([a-z0-9-]+)"', err)))
    os.unlink(path)
    return (p.returncode, codes, secs), "; ".join(problems)


def main():
    binary = os.path.abspath(sys.argv[1])
    listed = subprocess.run([binary, "--list-formats"], capture_output=True, text=True).stdout
    readable = [l.split()[0] for l in listed.splitlines() if l.split()[1].startswith("r")]
    wanted = sys.argv[2:] or [f for f in GENERATORS if f in readable]
    expected = {}
    if os.path.exists(EXPECTED):
        for line in open(EXPECTED, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            case, status, codes = (line.rstrip("\n").split("\t") + [""])[:3]
            expected[case] = (int(status), codes)
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    results = {}
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in wanted:
            cases, good = GENERATORS[fmt]()
            cases.update(common_cases(good))
            for name, data in cases.items():
                key = f"{fmt}/{name}"
                res, problem = run_case(binary, fmt, name, data, tmp)
                if res is None:
                    failed += 1
                    print(f"FAIL {key}: {problem}")
                    continue
                status, codes, secs = res
                results[key] = (status, ",".join(codes))
                want = expected.get(key)
                if problem:
                    failed += 1
                    print(f"FAIL {key}: {problem}")
                elif not update and want is None:
                    failed += 1
                    print(f"FAIL {key}: no expectation in expected.tsv (exit {status}, codes {codes})")
                elif not update and want != results[key]:
                    failed += 1
                    print(f"FAIL {key}: exit {status} codes {','.join(codes)}; expected exit {want[0]} codes {want[1]}")
                else:
                    passed += 1
                print(f"  {key}: exit {status}, {secs:.2f} s, {','.join(codes) or 'no diagnostics'}")
    if update:
        merged = dict(expected)
        merged.update(results)
        with open(EXPECTED, "w", encoding="utf-8") as f:
            f.write("# case\texit status\tdiagnostic codes (run.py; UPDATE_GOLDEN=1 rewrites)\n")
            for key in sorted(merged):
                f.write(f"{key}\t{merged[key][0]}\t{merged[key][1]}\n")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
