#!/bin/sh
# The outside tools the test suite runs are installed, so that no test is
# skipped for want of one (make test installs them: scripts/deps.sh).
#   tools.sh CITECONV
set -u
pass=0 fail=0
for t in bibtex kpsewhich pandoc xmllint mandoc zsh; do
  if command -v "$t" >/dev/null 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $t is not installed"
  fi
done
if command -v kpsewhich >/dev/null 2>&1 && [ -n "$(kpsewhich plain.bst 2>/dev/null)" ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: plain.bst is not installed"
fi
[ -x /usr/bin/time ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: /usr/bin/time is not installed"; }
if "${CITECONV_PYTHON:-python3}" -c 'import jsonschema' 2>/dev/null; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: python3-jsonschema is not installed"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
