#!/bin/sh
# The demo: the main jobs on the bundled examples.
#   demo.sh CITECONV
set -u
bin=$1
here=$(dirname "$0")
echo "== citeconv $("$bin" --version | head -n 1 | cut -d' ' -f2): formats"
"$bin" --list-formats
echo
echo "== a PubMed article page saved as text -> BibTeX: the article, then each of its references"
"$bin" -t bibtex "$here/pubmed-page.txt"
echo
echo "== the same page as CSL-JSON, one item per line"
"$bin" -q -t csl-ndjson "$here/pubmed-page.txt"
echo
echo "== checking a bibliography before submission (exit status 1: an error was found)"
"$bin" --check "$here/refs-to-check.bib"
echo "(exit status $?)"
echo
echo "== fixing what cannot change meaning while converting to RIS"
"$bin" --fix -t ris --eol lf "$here/refs-to-check.bib" 2>&1 | head -n 30
echo
echo "== a broken file: diagnostics with file:line:col (exit status 2)"
"$bin" -t csl-json "$here/broken.json" >/dev/null
echo "(exit status $?)"
exit 0
