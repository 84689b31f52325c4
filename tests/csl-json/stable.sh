#!/bin/sh
# CSL-JSON output of FILE is valid against the schema, a second pass gives
# identical bytes, and csl-ndjson output is valid too.
#   stable.sh CITECONV PYTHON SCHEMA FILE
set -u
bin=$1 py=$2 schema=$3 file=$4
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$bin" -q -t csl-json "$file" >"$tmp/1.json" || { echo "first pass failed"; exit 1; }
"$bin" -q -f csl-json -t csl-json "$tmp/1.json" >"$tmp/2.json" || { echo "second pass failed"; exit 1; }
if ! cmp -s "$tmp/1.json" "$tmp/2.json"; then
  echo "second pass differs:"; diff -u "$tmp/1.json" "$tmp/2.json" | head -n 40; exit 1
fi
"$bin" -q -t csl-ndjson "$file" >"$tmp/3.ndjson" || { echo "ndjson pass failed"; exit 1; }
"$bin" -q -f csl-ndjson -t csl-json "$tmp/3.ndjson" >"$tmp/4.json" || { echo "ndjson read failed"; exit 1; }
if ! cmp -s "$tmp/1.json" "$tmp/4.json"; then
  echo "csl-ndjson round trip differs:"; diff -u "$tmp/1.json" "$tmp/4.json" | head -n 40; exit 1
fi
"$py" "$(dirname "$0")/validate_schema.py" "$schema" "$tmp/1.json" "$tmp/3.ndjson"
