#!/bin/sh
# The checker's options: --list-checks, --disable/--enable (also with
# 'all' and 'prefix*'), --strict, --check with -t, and a bad code.
#   options.sh CITECONV  (run in the source tree)
set -u
bin=$1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

n=$("$bin" --list-checks | wc -l)
want=$(sed -n '/^\/\* ---- checks ---- \*\//,/^$/p' src/diag_codes.def |
       grep -c '^CITECONV_DIAG_X')
[ "$n" -eq "$want" ] && ok "--list-checks lists $n checks" ||
  bad "--list-checks lists $n checks, diag_codes.def has $want"

f=fixtures/check/doi-syntax.json
"$bin" --check "$f" 2>/dev/null; s=$?
[ $s -eq 1 ] && ok "error exits 1" || bad "error exits $s, not 1"
"$bin" --check --disable doi-syntax "$f" 2>/dev/null; s=$?
[ $s -eq 0 ] && ok "--disable turns a check off" || bad "--disable: exit $s"
"$bin" --check --disable 'doi-*' --enable doi-syntax "$f" 2>/dev/null; s=$?
[ $s -eq 1 ] && ok "--enable after a prefix --disable" || bad "--enable: exit $s"
out=$("$bin" --check --disable all "$f" 2>&1)
[ "$out" = "0 errors, 0 warnings in 3 records" ] && ok "--disable all" ||
  bad "--disable all printed '$out'"
"$bin" --check --disable no-such-code "$f" 2>/dev/null; s=$?
[ $s -eq 2 ] && ok "unknown code exits 2" || bad "unknown code: exit $s"

w=fixtures/check/doi-url-prefix.json
"$bin" --check "$w" 2>/dev/null; s=$?
[ $s -eq 0 ] && ok "warnings alone exit 0" || bad "warnings alone: exit $s"
"$bin" --check --strict "$w" 2>/dev/null; s=$?
[ $s -eq 1 ] && ok "--strict: warnings exit 1" || bad "--strict: exit $s"

n=$("$bin" --check "$w" 2>/dev/null | wc -c)
[ "$n" -eq 0 ] && ok "--check alone writes nothing" || bad "--check wrote $n bytes"
n=$("$bin" --check -t csl-json "$w" 2>/dev/null | grep -c '"DOI"')
[ "$n" -eq 3 ] && ok "--check -t converts too" || bad "--check -t: $n DOIs out"

line=$("$bin" --check --diagnostics json "$w" 2>&1 >/dev/null | head -n 1)
case $line in
  '{"file":"fixtures/check/doi-url-prefix.json","line":23,"column":5,"record":1,"severity":"warning","code":"doi-url-prefix",'*)
    ok "--diagnostics json" ;;
  *) bad "--diagnostics json printed '$line'" ;;
esac
exit $fail
