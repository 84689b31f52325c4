#!/bin/sh
# Golden-file test: run a command in the source tree and compare its
# standard output with OUT_FILE and its standard error plus exit status
# with CHECK_FILE ("-" to skip either). With UPDATE_GOLDEN=1 the files are
# rewritten instead.
#   golden.sh SRCDIR OUT_FILE CHECK_FILE -- COMMAND [ARG]...
set -u
srcdir=$1 out_file=$2 check_file=$3
shift 3
[ "$1" = "--" ] && shift
cd "$srcdir" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$@" >"$tmp/out" 2>"$tmp/err"
status=$?
echo "exit: $status" >>"$tmp/err"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  [ "$out_file" != - ] && { mkdir -p "$(dirname "$out_file")"; cp "$tmp/out" "$out_file"; }
  [ "$check_file" != - ] && { mkdir -p "$(dirname "$check_file")"; cp "$tmp/err" "$check_file"; }
  exit 0
fi
fail=0
if [ "$out_file" != - ]; then
  if [ ! -f "$out_file" ]; then
    echo "missing expected output $out_file (run with UPDATE_GOLDEN=1)"; fail=1
  elif ! cmp -s "$out_file" "$tmp/out"; then
    diff -u "$out_file" "$tmp/out" | head -n 80; fail=1
  fi
fi
if [ "$check_file" != - ]; then
  if [ ! -f "$check_file" ]; then
    echo "missing expected diagnostics $check_file (run with UPDATE_GOLDEN=1)"; fail=1
  elif ! cmp -s "$check_file" "$tmp/err"; then
    diff -u "$check_file" "$tmp/err" | head -n 80; fail=1
  fi
fi
exit $fail
