#!/bin/sh
# A generated article with N references reads in flat memory: the peak
# resident size for 10,000 references stays within a few MiB of the one
# for 1,000 (the reader expands one <ref> at a time).
#   big_file.sh CITECONV [N]
set -u
bin=$1 n=${2:-10000}
# Under AddressSanitizer freed memory waits in a quarantine; without it
# the peak is the program's own.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
export ASAN_OPTIONS
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
gen() {
  awk -v n="$1" 'BEGIN {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<article xmlns:xlink=\"http://www.w3.org/1999/xlink\"><front><article-meta>"
    print "<article-id pub-id-type=\"doi\">10.5555/big.1</article-id>"
    print "<title-group><article-title>Many references</article-title></title-group>"
    print "</article-meta></front><back><ref-list>"
    for (i = 1; i <= n; i++)
      printf "<ref id=\"r%d\"><element-citation publication-type=\"journal\"><person-group person-group-type=\"author\"><name><surname>Author%d</surname><given-names>A</given-names></name><name><surname>Second</surname><given-names>B</given-names></name><etal/></person-group><article-title>Reference number %d about <italic>things</italic></article-title><source>J Big</source><year>%d</year><volume>%d</volume><fpage>%d</fpage><lpage>%d</lpage><pub-id pub-id-type=\"doi\">10.5555/ref.%d</pub-id></element-citation></ref>\n", i, i, i, 1900 + i % 120, i % 50, i, i + 9, i
    print "</ref-list></back></article>"
  }' >"$2"
}
peak() {
  /usr/bin/time -v "$bin" -q -f jats -t csl-json "$1" 2>"$tmp/time" >"$tmp/out" || return 1
  sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time"
}
gen 1000 "$tmp/small.xml"
gen "$n" "$tmp/big.xml"
small=$(peak "$tmp/small.xml") || { echo "small read failed"; exit 1; }
big=$(peak "$tmp/big.xml") || { echo "big read failed"; exit 1; }
recs=$(grep -c '"DOI"' "$tmp/out")
size=$(wc -c <"$tmp/big.xml")
echo "1000 refs: peak RSS ${small} KiB; $n refs ($size bytes): peak RSS ${big} KiB, $recs records"
[ "$recs" -eq $((n + 1)) ] || { echo "expected $((n + 1)) records"; exit 1; }
[ $((big - small)) -le 8192 ] || { echo "memory grows with the input"; exit 1; }
exit 0
