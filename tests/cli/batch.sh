#!/bin/sh
# One output per input (-O) on several threads (-j): the same files and the
# same diagnostics whatever the number of threads; the progress line shows
# on a terminal only.
#   batch.sh CITECONV   (run from the source tree)
set -u
bin=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

for dir in ris pubmed-xml medline bibtex jats; do
  [ -d "fixtures/$dir" ] || { ko "no fixtures/$dir"; continue; }
  files=$(ls fixtures/$dir/* | grep -v -e '\.md$' -e '\.expected' -e '\.json$')
  for to in csl-json ris; do
    mkdir -p "$tmp/$dir-$to-1" "$tmp/$dir-$to-2"
    # shellcheck disable=SC2086
    "$bin" -t $to -O "$tmp/$dir-$to-1" -j 1 $files 2>"$tmp/e1"
    s1=$?
    # shellcheck disable=SC2086
    "$bin" -t $to -O "$tmp/$dir-$to-2" -j 2 $files 2>"$tmp/e2"
    s2=$?
    sed "s|$dir-$to-2|$dir-$to-1|g" "$tmp/e2" >"$tmp/e2n"
    if diff -r "$tmp/$dir-$to-1" "$tmp/$dir-$to-2" >/dev/null &&
       cmp -s "$tmp/e1" "$tmp/e2n" && [ $s1 -eq $s2 ]; then
      ok
    else
      ko "$dir -> $to: -j 2 differs from -j 1 (exit $s1/$s2)"
    fi
    n_in=$(echo "$files" | wc -l)
    n_out=$(ls "$tmp/$dir-$to-1" | wc -l)
    [ "$n_in" -eq "$n_out" ] && ok || ko "$dir -> $to: $n_in inputs, $n_out outputs"
  done
done

# The outputs equal what a run per file writes.
f=fixtures/csl-json/jgm-citeproc-issue_22.json
mkdir -p "$tmp/one"
"$bin" -q -t ris -O "$tmp/one" "$f" && "$bin" -q -t ris "$f" >"$tmp/one.ris" &&
  cmp -s "$tmp/one/jgm-citeproc-issue_22.ris" "$tmp/one.ris" && ok || ko "-O output differs from -o"

# Wrong uses: status 2.
expect2() {
  name=$1; shift
  "$@" >/dev/null 2>&1
  [ $? -eq 2 ] && ok || ko "$name: exit status not 2"
}
expect2 no-dir "$bin" -O "$tmp/no-such-dir" "$f"
expect2 stdin "$bin" -O "$tmp/one" -
expect2 no-files "$bin" -O "$tmp/one"
expect2 jobs-without-O "$bin" -j 2 "$f"
expect2 bad-jobs "$bin" -O "$tmp/one" -j 0 "$f"
expect2 o-and-O "$bin" -o "$tmp/x" -O "$tmp/one" "$f"
expect2 same-name "$bin" -O "$tmp/one" "$f" "$f"

# The progress line: on a terminal, not in a pipe, not with --quiet.
"${CITECONV_PYTHON:-python3}" - "$tmp/big.json" <<'PY'
import json, sys
items = [{"id": f"i{i}", "type": "article-journal", "title": "T" * 200,
          "author": [{"family": "F", "given": "G"}] * 20} for i in range(30000)]
json.dump(items, open(sys.argv[1], "w"))
PY
run_pty() {
  "${CITECONV_PYTHON:-python3}" -c '
import os, pty, sys
out = bytearray()
def read(fd):
    data = os.read(fd, 4096)
    out.extend(data)
    return data
pty.spawn(sys.argv[1:], read)
sys.stdout.write(out.decode("utf-8", "replace"))
' "$@"
}
# The line is redrawn every quarter of a second, so the input comes through
# a named pipe, a tenth of it every tenth of a second: each run lasts about
# a second however fast the machine converts.
mkfifo "$tmp/slow.json" || ko "mkfifo"
feed() {
  "${CITECONV_PYTHON:-python3}" - "$tmp/big.json" "$tmp/slow.json" <<'PY' &
import sys, time
data = open(sys.argv[1], "rb").read()
step = len(data) // 10 + 1
with open(sys.argv[2], "wb") as f:
    for i in range(0, len(data), step):
        f.write(data[i:i + step])
        f.flush()
        time.sleep(0.1)
PY
}
feed
run_pty "$bin" -t csl-ndjson -o "$tmp/big.out" "$tmp/slow.json" >"$tmp/pty.txt"
wait
grep -q "records, .* MB/s" "$tmp/pty.txt" && ok || ko "no progress line on a terminal"
"$bin" -q -t csl-ndjson -o "$tmp/fast.out" "$tmp/big.json" &&
  cmp -s "$tmp/big.out" "$tmp/fast.out" && ok || ko "output through the named pipe differs"
feed
run_pty "$bin" -q -t csl-ndjson -o "$tmp/big.out" "$tmp/slow.json" >"$tmp/pty.txt"
wait
grep -q "MB/s" "$tmp/pty.txt" && ko "progress line with --quiet" || ok
feed
"$bin" -t csl-ndjson -o "$tmp/big.out" "$tmp/slow.json" 2>"$tmp/pipe.txt"
wait
grep -q "MB/s" "$tmp/pipe.txt" && ko "progress line when standard error is not a terminal" || ok

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
