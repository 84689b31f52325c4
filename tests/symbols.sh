#!/bin/sh
# Every global symbol of the static library starts with citeconv_, and the
# library has no mutable zero-initialised statics (.bss), which would make
# separate sessions unsafe to use from separate threads.
#   symbols.sh LIBCITECONV.A
set -u
lib=$1
bad=$(nm -A "$lib" | awk '$2 ~ /^[TDBRCGS]$/ && $3 !~ /^citeconv_/ && $3 !~ /^__(odr_)?asan/ {print}')
bss=$(nm -A "$lib" | awk '$2 ~ /^[bB]$/ && $3 !~ /^__(odr_)?asan/ {print}')
fail=0
if [ -n "$bad" ]; then
  echo "global symbols without the citeconv_ prefix:"; echo "$bad"; fail=1
fi
if [ -n "$bss" ]; then
  echo "mutable statics (.bss):"; echo "$bss"; fail=1
fi
[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
