#!/bin/sh
# The command line: exit statuses, diagnostics format, options, streams.
#   basics.sh CITECONV   (run from the source tree)
set -u
bin=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() { # check NAME EXPECTED-STATUS COMMAND...
  name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  if [ "$got" -eq "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: exit $got, expected $want"
    sed 's/^/  stderr: /' "$tmp/err" | head -n 5
  fi
}

contains() { # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1: '$3' not in $2:"
    head -n 5 "$2" | sed 's/^/  /'
  fi
}

good=fixtures/csl-json/jgm-citeproc-issue_22.json

check help 0 "$bin" --help
contains help-usage "$tmp/out" "Usage: citeconv"
check version 0 "$bin" --version
contains version-deps "$tmp/out" "libxml2"
contains version-icu "$tmp/out" "ICU"
check list-formats 0 "$bin" --list-formats
contains list-formats-csl "$tmp/out" "csl-json"
check list-options 0 "$bin" --list-options
contains list-options-depth "$tmp/out" "max-depth"
check list-codes 0 "$bin" --list-codes
contains list-codes-json "$tmp/out" "json-syntax"

check clean 0 "$bin" "$good"
contains clean-output "$tmp/out" '"type": "book"'
check detect-and-debug 0 "$bin" -t debug "$good"
contains debug-output "$tmp/out" "record 7"
check stdin 0 sh -c "\"$bin\" -f csl-json -t csl-ndjson < $good"
contains stdin-ndjson "$tmp/out" '{"id":'
check stdin-dash 0 sh -c "cat $good | \"$bin\" -t debug -"
contains stdin-dash-out "$tmp/out" "record 1"
check two-files 0 "$bin" -t debug "$good" "$good"
contains two-files-count "$tmp/out" "record 14"
check output-file 0 "$bin" -o "$tmp/o.json" "$good"
contains output-file-written "$tmp/o.json" '"id":'
check set-option 0 "$bin" --set csl-json-indent=0 "$good"

# Usage errors: status 2 and a message.
check unknown-option 2 "$bin" --no-such-option "$good"
check unknown-from 2 "$bin" -f no-such-format "$good"
contains unknown-from-msg "$tmp/err" "unknown format 'no-such-format'"
check unknown-to 2 "$bin" -t no-such-format "$good"
check debug-cannot-read 2 "$bin" -f debug "$good"
contains debug-cannot-read-msg "$tmp/err" "cannot be read"
check bad-set 2 "$bin" --set nonsense "$good"
check unknown-set 2 "$bin" --set no-such=1 "$good"
check set-not-number 2 "$bin" --set max-depth=deep "$good"
check bad-diagnostics 2 "$bin" --diagnostics xml "$good"

# Unreadable inputs: status 2.
check missing-file 2 "$bin" "$tmp/does-not-exist.json"
contains missing-file-msg "$tmp/err" "No such file"
printf 'plain words, no format\n' >"$tmp/words.txt"
check undetectable 2 "$bin" "$tmp/words.txt"
contains undetectable-msg "$tmp/err" "words.txt:1:1: error: cannot tell the input's format"
check syntax-error 2 "$bin" fixtures/csl-json/malformed-syntax.json
contains syntax-position "$tmp/err" "malformed-syntax.json:3:21: error:"
check one-bad-of-two 2 "$bin" -t debug "$good" fixtures/csl-json/malformed-truncated.json
contains one-bad-of-two-kept "$tmp/out" "record 8"

# Findings: errors give 1, warnings give 0 (1 with --strict).
check limit-error 1 "$bin" fixtures/csl-json/malformed-deep-nesting.json
check max-records 1 "$bin" -t debug --set max-records=3 "$good"
contains max-records-kept "$tmp/out" "record 3"
if grep -q "record 4" "$tmp/out"; then
  fail=$((fail + 1)); echo "FAIL max-records-stops: record 4 was written"
else
  pass=$((pass + 1))
fi
contains max-records-msg "$tmp/err" "more than max-records (3) records in this input; this record and the rest are not read [limit]"
check max-records-none 0 "$bin" -t debug --set max-records=0 "$good"
contains max-records-none-all "$tmp/out" "record 7"
check warnings 0 "$bin" fixtures/csl-json/malformed-wrong-types.json
check warnings-strict 1 "$bin" --strict fixtures/csl-json/malformed-wrong-types.json
check quiet 0 "$bin" -q fixtures/csl-json/manubot-datacite-thesis.raw.json
if grep -q "note:" "$tmp/err"; then
  fail=$((fail + 1)); echo "FAIL quiet: notes printed"
else
  pass=$((pass + 1))
fi

# Diagnostics as JSON lines, each a valid object.
check diag-json 0 "$bin" --diagnostics json fixtures/csl-json/malformed-wrong-types.json
contains diag-json-code "$tmp/err" '"code":"wrong-type"'
if "${CITECONV_PYTHON:-python3}" -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert {"file", "line", "column", "severity", "code", "message"} <= set(d)
' "$tmp/err"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL diag-json-parse"
fi

# A write error is reported, with status 2.
if [ -w /dev/full ]; then
  check write-error 2 sh -c "\"$bin\" $good > /dev/full"
  contains write-error-msg "$tmp/err" "write error"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
