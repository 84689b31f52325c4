#!/bin/sh
# The bibtex writer's output for every fixture must go through BibTeX
# (plain.bst, an .aux citing every entry) without an error. An error the
# input itself gives BibTeX (a crossref to an entry the file lacks) is
# the input's, and is accepted when BibTeX reports it for the input too.
#   bibtex_run.sh CITECONV FIXTURE_DIR
set -u
bin=$1 dir=$2
command -v bibtex >/dev/null 2>&1 || { echo "bibtex is not installed"; exit 77; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
printf '\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n' >"$tmp/test.aux"
fail=0 n=0
for f in "$dir"/*.bib; do
  n=$((n + 1))
  if ! "$bin" -q -f bibtex -t bibtex "$f" >"$tmp/refs.bib" 2>"$tmp/conv.err"; then
    # error diagnostics in the input are fine; a failed write is not
    [ -s "$tmp/refs.bib" ] || { echo "$f: no output"; fail=1; continue; }
  fi
  (cd "$tmp" && bibtex -terse test >bibtex.out 2>&1)
  status=$?
  if [ $status -ge 2 ] || grep -q "error message" "$tmp/bibtex.out"; then
    # errors of the output, as "message|next line", against the input's
    awk '/---/ { getline nxt; print $0 "|" nxt }' "$tmp/test.blg" |
      sed 's/ of file refs.bib//' | sort -u >"$tmp/ours"
    cp "$f" "$tmp/refs.bib"
    (cd "$tmp" && bibtex -terse test >/dev/null 2>&1)
    awk '/---/ { getline nxt; print $0 "|" nxt }' "$tmp/test.blg" |
      sed 's/ of file refs.bib//' | sort -u >"$tmp/theirs"
    if [ -s "$tmp/ours" ] && ! grep -q "line [0-9]" "$tmp/ours" &&
       [ -z "$(comm -23 "$tmp/ours" "$tmp/theirs")" ]; then
      echo "$f: only the input's own errors: $(wc -l <"$tmp/ours")"
      continue
    fi
    echo "== $f: bibtex exit $status"
    grep -B2 -A2 -E "error|---" "$tmp/test.blg" | head -20
    fail=1
  fi
done
echo "$n files through bibtex"
exit $fail
