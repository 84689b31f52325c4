#!/bin/sh
# The references option: article only, references only, or both (the
# article first); any other value is a usage error (exit status 2).
#   references_option.sh CITECONV
set -u
bin=$1
fail=0
count() {
  "$bin" -q -f "$1" -t debug --set references="$2" "$3" | grep -c '^record'
}
check() {
  got=$(count "$1" "$2" "$3")
  [ "$got" = "$4" ] || { echo "$3 references=$2: $got records, want $4"; fail=1; }
}
check pubmed-html both fixtures/pubmed-html/pmc-PMC3531190-metascraper.html 14
check pubmed-html article fixtures/pubmed-html/pmc-PMC3531190-metascraper.html 1
check pubmed-html references fixtures/pubmed-html/pmc-PMC3531190-metascraper.html 13
check pubmed-text both fixtures/pubmed-text/fgene-2023-1271381.txt 6
check pubmed-text article fixtures/pubmed-text/fgene-2023-1271381.txt 1
check pubmed-text references fixtures/pubmed-text/fgene-2023-1271381.txt 5
first=$("$bin" -q -f pubmed-html -t debug --set references=references \
  fixtures/pubmed-html/pmc-PMC3531190-metascraper.html | grep -m1 'citation-number')
case $first in *'"1"'*) ;; *) echo "references=references: first is not reference 1"; fail=1 ;; esac
"$bin" -q -f pubmed-html -t debug --set references=some \
  fixtures/pubmed-html/pmc-PMC3531190-metascraper.html >/dev/null 2>&1
[ $? = 2 ] || { echo "references=some: want exit status 2"; fail=1; }
exit $fail
