#!/bin/sh
# Round trip that ignores the order of lines within the dump: for MEDLINE
# files whose tags are not in PubMed's order, the writer puts extras back
# in PubMed's order.   roundtrip_unordered.sh CITECONV FORMAT FILE
set -u
bin=$1 fmt=$2 file=$3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$bin" -q -f "$fmt" -t debug --set debug-positions=no "$file" 2>/dev/null | sort >"$tmp/a"
"$bin" -q -f "$fmt" -t "$fmt" "$file" >"$tmp/w" 2>/dev/null
[ $? -le 1 ] || exit 1 # 1: the input has errors, reported on reading
"$bin" -q -f "$fmt" -t debug --set debug-positions=no "$tmp/w" 2>/dev/null | sort >"$tmp/b"
diff -u "$tmp/a" "$tmp/b" && exit 0
exit 1
