#!/bin/sh
# Round trip: FILE read as FORMAT, written as FORMAT and read again must give
# the same records (compared as debug dumps without positions).
#   roundtrip.sh CITECONV FORMAT FILE [EXTRA-ARGS]...
set -u
bin=$1 fmt=$2 file=$3
shift 3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$bin" -q "$@" -f "$fmt" -t debug --set debug-positions=no "$file" >"$tmp/a" || { echo "first read failed"; exit 1; }
"$bin" -q "$@" -f "$fmt" -t "$fmt" "$file" >"$tmp/w" || { echo "write failed"; exit 1; }
"$bin" -q "$@" -f "$fmt" -t debug --set debug-positions=no "$tmp/w" >"$tmp/b" 2>"$tmp/err" || { cat "$tmp/err"; echo "second read failed"; exit 1; }
# Identifiers a writer had to make up (CSL-JSON requires one) are not
# differences.
grep -v '^  id: "item-[0-9]*"$' "$tmp/b" >"$tmp/b2"
grep -q '^  id: "item-[0-9]*"$' "$tmp/a" || mv "$tmp/b2" "$tmp/b"
if ! cmp -s "$tmp/a" "$tmp/b"; then
  diff -u "$tmp/a" "$tmp/b" | head -n 60
  exit 1
fi
exit 0
