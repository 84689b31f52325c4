#!/bin/sh
# The writer's line ends: CRLF by default, LF with ris-eol=lf; a bad value
# of the option is a usage error (exit 2).
set -u
bin=$1
f=fixtures/ris/zotero-RIS-case0.ris
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$bin" -q -f ris -t ris "$f" >"$tmp/crlf" || { echo "crlf write failed"; exit 1; }
"$bin" -q -f ris -t ris --set ris-eol=lf "$f" >"$tmp/lf" || { echo "lf write failed"; exit 1; }
lines=$(wc -l <"$tmp/crlf")
crs=$(tr -cd '\r' <"$tmp/crlf" | wc -c)
[ "$lines" -gt 5 ] && [ "$lines" -eq "$crs" ] || { echo "not CRLF: $lines lines, $crs CRs"; exit 1; }
[ "$(tr -cd '\r' <"$tmp/lf" | wc -c)" -eq 0 ] || { echo "CR in LF output"; exit 1; }
tr -d '\r' <"$tmp/crlf" | cmp -s - "$tmp/lf" || { echo "LF and CRLF outputs differ"; exit 1; }
head -n 1 "$tmp/lf" | grep -q '^TY  - JOUR$' || { echo "TY is not first"; exit 1; }
grep -v '^$' "$tmp/lf" | tail -n 1 | grep -q '^ER  - $' || { echo "ER is not last"; exit 1; }
"$bin" -q -f ris -t ris --set ris-eol=cr "$f" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "ris-eol=cr accepted"; exit 1; }
"$bin" -q -f ris -t debug --set input-encoding=no-such-set "$f" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "unknown input-encoding accepted"; exit 1; }
exit 0
