#!/bin/sh
# Install the build into a temporary prefix, then build a small program
# against it with pkg-config and with CMake (shared and static), run them,
# and load the shell completions.
#   run.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
expect='{"id":"x","type":"book","title":"Installed"}'
# A sanitizer build's library needs the sanitizer runtimes in the programs
# built against it.
san=${CITECONV_SANITIZE:+-fsanitize=$CITECONV_SANITIZE}

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; ko install; }
[ -x "$prefix/bin/citeconv" ] && ok || ko "no bin/citeconv"
[ -f "$prefix/include/citeconv/citeconv.h" ] && ok || ko "no headers"
[ -f "$prefix/include/citeconv/export.h" ] && ok || ko "no export.h"
ls "$prefix"/share/man/man1/citeconv.1 >/dev/null 2>&1 && ok || ko "no man page"
pc=$(find "$prefix" -name citeconv.pc | head -n 1)
[ -n "$pc" ] && ok || ko "no citeconv.pc"
libdir=$(dirname "$(dirname "$pc")")

# pkg-config, shared library.
if cc $san -o "$tmp/c1" "$src/tests/install/consumer.c" \
     $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs citeconv) 2>"$tmp/cc.log"; then
  out=$(LD_LIBRARY_PATH=$libdir "$tmp/c1")
  case $out in *"$expect"*) ok ;; *) ko "pkg-config program printed: $out" ;; esac
else
  cat "$tmp/cc.log"; ko "build with pkg-config"
fi
# pkg-config, static library.
if cc $san -o "$tmp/c2" "$src/tests/install/consumer.c" \
     $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --static --cflags citeconv) \
     "$libdir/libciteconv.a" \
     $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --static --libs-only-l citeconv | sed 's/-lciteconv//') \
     2>"$tmp/cc2.log"; then
  out=$("$tmp/c2")
  case $out in *"$expect"*) ok ;; *) ko "static pkg-config program printed: $out" ;; esac
else
  cat "$tmp/cc2.log"; ko "static build with pkg-config"
fi
# CMake package.
if cmake -S "$src/tests/install" -B "$tmp/cb" -DCMAKE_PREFIX_PATH="$prefix" \
     -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" >"$tmp/cm.log" 2>&1 &&
   cmake --build "$tmp/cb" >>"$tmp/cm.log" 2>&1; then
  out=$(LD_LIBRARY_PATH=$libdir "$tmp/cb/consumer_shared")
  case $out in *"$expect"*) ok ;; *) ko "CMake shared program printed: $out" ;; esac
  out=$("$tmp/cb/consumer_static")
  case $out in *"$expect"*) ok ;; *) ko "CMake static program printed: $out" ;; esac
else
  cat "$tmp/cm.log"; ko "build with find_package(citeconv)"
fi
# The example program of libciteconv(3) builds and runs.
awk '/^Convert a file to CSL-JSON/ {want = 1} want && /^\.Bd/ {on = 1; next}
     on && /^\.Ed/ {exit} on {print}' "$src/man/libciteconv.3" |
  sed 's/\\e/\\/g' >"$tmp/example.c"
if cc $san -o "$tmp/example" "$tmp/example.c" \
     $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs citeconv) 2>"$tmp/ex.log"; then
  out=$(LD_LIBRARY_PATH=$libdir "$tmp/example" "$src/fixtures/csl-json/jgm-citeproc-issue_22.json")
  case $out in *'"type": "book"'*) ok ;; *) ko "man page example printed: $(echo "$out" | head -n 3)" ;; esac
else
  cat "$tmp/ex.log"; ko "man page example does not build"
fi

# Completions load without error.
bc=$prefix/share/bash-completion/completions/citeconv
if bash -c ". '$bc' && complete -p citeconv" >/dev/null 2>"$tmp/bash.log" && [ ! -s "$tmp/bash.log" ]; then
  ok
else
  cat "$tmp/bash.log"; ko "bash completion"
fi
if PATH=$prefix/bin:$PATH bash -c ". '$bc'; COMP_WORDS=(citeconv -t c); COMP_CWORD=2; _citeconv; printf '%s\n' \"\${COMPREPLY[@]}\"" | grep -q '^csl-json$'; then
  ok
else
  ko "bash completion of -t"
fi
if command -v zsh >/dev/null 2>&1; then
  zc=$prefix/share/zsh/site-functions
  if zsh -fc "fpath=('$zc' \$fpath); autoload -Uz compinit; compinit -u -d '$tmp/zcd'; autoload -Uz _citeconv; (( \$+functions[_citeconv] ))" 2>"$tmp/zsh.log" && [ ! -s "$tmp/zsh.log" ]; then
    ok
  else
    cat "$tmp/zsh.log"; ko "zsh completion"
  fi
else
  ko "zsh is not installed"
fi
# The zsh completion lists the options by hand: every long option of
# --help must be in it.
missing=""
for o in $("$prefix/bin/citeconv" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
  grep -q -- "$o" "$src/completions/_citeconv" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok; else ko "zsh completion lacks$missing"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
