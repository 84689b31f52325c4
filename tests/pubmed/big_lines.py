"""Positions past line 65535, where libxml2's element nodes stop counting:
records, fields and diagnostics must carry the real line and column.
usage: big_lines.py CITECONV"""
import re
import subprocess
import sys

PAD = 70000  # blank lines before the second article

ARTICLE = """<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">{pmid}</PMID>
    <Article PubModel="Print">
      <Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2001</Year><Month>Smarch</Month></PubDate></JournalIssue></Journal>
      <ArticleTitle>Article {pmid}</ArticleTitle>
    </Article>
  </MedlineCitation>
</PubmedArticle>
"""


def main():
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n'
            + ARTICLE.format(pmid=1) + "\n" * PAD + ARTICLE.format(pmid=2)
            + "</PubmedArticleSet>\n")
    lines = text.split("\n")
    p = subprocess.run([sys.argv[1], "-f", "pubmed-xml", "-t", "debug", "-"],
                       input=text, capture_output=True, text=True)
    bad = 0
    # Every position points at the '<' of its element's start tag.
    positions = re.findall(r"@(\d+):(\d+)$", p.stdout, re.M)
    for line, col in positions:
        line, col = int(line), int(col)
        if col < 1 or lines[line - 1][col - 1:col] != "<":
            print(f"position {line}:{col} is not at a start tag")
            bad += 1
    second = 3 + ARTICLE.count("\n") + PAD
    want = f"record 2 @{second}:1"
    if want not in p.stdout:
        print(f"no '{want}' in the dump")
        bad += 1
    # The bad month of the second article, on its real line and column.
    month_line = second + 4
    col = lines[month_line - 1].index("<Month>") + 1
    want = f"<stdin>:{month_line}:{col}: warning: month 'Smarch' is not a month"
    if want not in p.stderr:
        print(f"no '{want}' in:\n{p.stderr}")
        bad += 1
    print(f"{len(positions)} positions checked, {bad} wrong")
    return 1 if bad or not positions else 0


sys.exit(main())
