#!/bin/sh
# The MEDLINE writer gives back PubMed's own export, line for line (blank
# lines at the start and trailing blanks aside), for the files PubMed made.
#   medline_as_pubmed.sh CITECONV
set -u
bin=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in fixtures/medline/biopython-medline-pubmed_result1.txt \
    fixtures/medline/biopython-medline-pubmed_result2.txt; do
  "$bin" -q -f medline -t medline "$f" | sed 's/ *$//' >"$tmp/ours"
  sed 's/ *$//' "$f" | sed '/./,$!d' >"$tmp/theirs"
  if ! diff -u "$tmp/theirs" "$tmp/ours"; then
    echo "differs: $f"; fail=1
  fi
done
exit $fail
