#!/bin/sh
# Run every libFuzzer target of a CITECONV_FUZZ build for SECONDS seconds,
# starting from its seed folders; a crash fails the run and leaves its
# input in BUILD/fuzz-crashes/ (copy it to tests/fuzz/corpus/<name>/).
#   run.sh BUILD SECONDS
set -u
build=$1 seconds=$2
list=$build/fuzz-targets.txt
[ -f "$list" ] || { echo "no fuzz targets in $build (configure with -DCITECONV_FUZZ=ON)"; exit 2; }
mkdir -p "$build/fuzz-corpus" "$build/fuzz-crashes"
status=0
while read -r bin dirs; do
  name=$(basename "$bin")
  corpus=$build/fuzz-corpus/$name
  mkdir -p "$corpus"
  echo "== $name ($seconds s)"
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
    -artifact_prefix="$build/fuzz-crashes/$name-" -print_final_stats=1 \
    "$corpus" $dirs 2>"$build/fuzz-$name.log"
  rc=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)" "$build/fuzz-$name.log" | tail -3
  grep -E "cov: [0-9]+" -o "$build/fuzz-$name.log" | tail -1
  if [ $rc -ne 0 ]; then
    echo "FAIL $name (exit $rc); see $build/fuzz-$name.log"
    tail -n 30 "$build/fuzz-$name.log"
    status=1
  fi
done <"$list"
exit $status
