#!/bin/sh
# README's pandoc pipelines: CSL-JSON for --citeproc and BibTeX for
# --bibliography, from RIS and MEDLINE fixtures; every reference must come
# out in pandoc's bibliography. Fails when pandoc is not installed.
#   pandoc.sh CITECONV   (run from the source tree)
set -u
bin=$1
command -v pandoc >/dev/null 2>&1 || { echo "pandoc is not installed"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
printf -- '---\nnocite: |\n  @*\n---\n\nText.\n' >"$tmp/paper.md"

cp fixtures/ris/asreview-pubmed-via-zotero.ris "$tmp/refs.ris"
cp fixtures/medline/biopython-medline-pubmed_result1.txt "$tmp/pubmed-export.nbib"
cd "$tmp" || exit 2
# As in README.md:
"$bin" -t csl-json refs.ris > refs.json 2>/dev/null
pandoc --citeproc --bibliography refs.json paper.md -o paper.html
n_json=$(grep -c 'class="csl-entry"' paper.html)
n_ris=$(grep -c '^TY  -' refs.ris)
if [ "$n_json" -eq "$n_ris" ] && [ "$n_ris" -gt 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL csl-json: $n_json of $n_ris references in pandoc's output"; fi
"$bin" -t bibtex pubmed-export.nbib > refs.bib 2>/dev/null
pandoc --citeproc --bibliography refs.bib paper.md -o paper2.html 2>pandoc.err
n_bib=$(grep -c 'class="csl-entry"' paper2.html)
n_nbib=$(grep -c '^PMID-' pubmed-export.nbib)
if [ "$n_bib" -eq "$n_nbib" ] && [ "$n_nbib" -gt 0 ] && [ ! -s pandoc.err ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL bibtex: $n_bib of $n_nbib references"; cat pandoc.err; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
