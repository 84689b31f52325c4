#!/bin/sh
# Every command in the EXAMPLES of citeconv(1) runs, on fixtures standing in
# for the files it names, with exit status 0 or 1 and no message of
# trouble.
#   man_examples.sh CITECONV   (run from the source tree)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/baseline"
ln -s "$bin" "$tmp/bin/citeconv"
cp fixtures/medline/biopython-medline-pubmed_result1.txt "$tmp/pubmed.nbib"
cp fixtures/ris/asreview-scopus.ris "$tmp/scopus.ris"
cp fixtures/csl-json/jgm-citeproc-issue_22.json "$tmp/refs.json"
cp fixtures/pubmed-xml/biopython-entrez-pubmed1.xml fixtures/pubmed-xml/metapub-pmid-11618220.xml "$tmp/baseline/"
awk '/^\.Sh EXAMPLES/ {on = 1; next} /^\.Sh / {on = 0}
     on && /^\.Bd/ {lit = 1; next} on && /^\.Ed/ {lit = 0; next}
     on && lit {print}' man/citeconv.1 >"$tmp/examples"
pass=0 fail=0
n=$(wc -l <"$tmp/examples")
[ "$n" -ge 5 ] || { echo "FAIL: only $n examples found"; fail=1; }
cd "$tmp" || exit 2
while IFS= read -r cmd; do
  PATH=$tmp/bin:$PATH sh -c "$cmd" >"$tmp/.stdout" 2>"$tmp/.stderr" </dev/null
  status=$?
  if [ $status -le 1 ] && ! grep -q "^citeconv:" "$tmp/.stderr"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL ($status): $cmd"
    head -n 5 "$tmp/.stderr"
  fi
done <"$tmp/examples"
[ -s refs.bib ] && [ -s fixed.ris ] && [ -s refs.ndjson ] && [ "$(ls out | wc -l)" -eq 2 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: an example wrote nothing"; }
cd "$src" || exit 2
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
