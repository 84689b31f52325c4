#!/bin/sh
# Install what citeconv needs to build and test, on Debian or Ubuntu, when
# it is missing. Elsewhere, print what to install.
#   scripts/deps.sh build   libraries and tools to build
#   scripts/deps.sh test    also the tools the tests run
#   scripts/deps.sh valgrind  the build's needs and valgrind
set -u
what=${1:-build}

build_pkgs="cmake make gcc pkg-config libxml2-dev libicu-dev libjansson-dev libcurl4-openssl-dev"
test_pkgs="libcmocka-dev python3 python3-jsonschema libxml2-utils mandoc zsh bash-completion pandoc texlive-binaries texlive-base time clang libclang-rt-dev"

pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$build_pkgs $test_pkgs"
[ "$what" = valgrind ] && pkgs="$build_pkgs valgrind python3"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$status" in
      *"install ok installed"*) ;;
      *) missing="$missing $p" ;;
    esac
  done
else
  # Not Debian: check the libraries through pkg-config and say what to do.
  for m in libxml-2.0 icu-uc icu-i18n jansson; do
    pkg-config --exists "$m" 2>/dev/null || missing="$missing $m"
  done
  [ "$what" = test ] && { pkg-config --exists cmocka 2>/dev/null || missing="$missing cmocka"; }
  if [ -n "$missing" ]; then
    echo "citeconv needs:$missing (and cmake, a C compiler, pkg-config)." >&2
    echo "On Fedora: dnf install cmake gcc pkgconf libxml2-devel libicu-devel jansson-devel libcmocka-devel python3-jsonschema" >&2
    echo "On macOS:  brew install cmake pkg-config libxml2 icu4c jansson cmocka" >&2
    exit 1
  fi
  exit 0
fi

[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "citeconv needs these Debian packages:$missing" >&2
  echo "Run as root: apt-get install$missing" >&2
  exit 1
fi
echo "Installing:$missing"
$sudo apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
