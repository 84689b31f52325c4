#!/bin/sh
# Every fixture page and the text fixture, written as pubmed-html, parses
# with libxml2's HTML parser without an error or warning; the written page
# reads back (round trips of the pages are separate tests).
#   writer_valid.sh CITECONV HTML_CHECK
set -u
bin=$1 check=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in fixtures/pubmed-html/*.html fixtures/pubmed-text/*.txt; do
  case $f in *.txt) fmt=pubmed-text ;; *) fmt=pubmed-html ;; esac
  case $f in */malformed-not-*|*/malformed-furniture-*) continue ;; esac
  "$bin" -q -f "$fmt" -t pubmed-html "$f" >"$tmp/out.html" || {
    echo "$f: write failed"; fail=1; continue; }
  "$check" "$tmp/out.html" || { echo "$f: invalid HTML written"; fail=1; }
  n1=$("$bin" -q -f "$fmt" -t debug "$f" | grep -c '^record')
  n2=$("$bin" -q -f pubmed-html -t debug "$tmp/out.html" | grep -c '^record')
  [ "$n1" = "$n2" ] || { echo "$f: $n1 records, $n2 read back"; fail=1; }
done
exit $fail
