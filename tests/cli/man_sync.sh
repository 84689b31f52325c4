#!/bin/sh
# The man page documents every option --help lists, and lints clean.
#   man_sync.sh CITECONV   (run from the source tree)
set -u
bin=$1
pass=0 fail=0
for opt in $("$bin" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
  esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
  if grep -q -- "Fl $(printf '%s' "$esc" | sed 's/^\\\\-//')" man/citeconv.1 ||
     grep -q -- "$esc" man/citeconv.1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $opt is in --help but not in man/citeconv.1"
  fi
done
for f in $("$bin" --list-formats | cut -d' ' -f1); do
  for page in man/citeconv.1 man/citeconv-formats.5; do
    if grep -q -- "^.It Cm $f\$" $page; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: format $f is not described in $page (.It Cm $f)"
    fi
  done
done
for o in $("$bin" --list-options | cut -d' ' -f1); do
  if grep -q -- "^.It Li $o" man/citeconv.1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: setting $o is not described in man/citeconv.1 (.It Li $o)"
  fi
done
if command -v mandoc >/dev/null 2>&1; then
  for page in man/*.[1-9]; do
    if out=$(mandoc -Tlint -Wwarning "$page" 2>&1) && [ -z "$out" ]; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: mandoc -Tlint $page:"; echo "$out"
    fi
  done
else
  fail=$((fail + 1))
  echo "FAIL: mandoc is not installed"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
