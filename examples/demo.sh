#!/bin/sh
# The demo: convert the bundled examples and show the results.
#   demo.sh CITECONV
set -eu
bin=$1
here=$(dirname "$0")
echo "== citeconv $("$bin" --version | head -n 1 | cut -d' ' -f2): formats"
"$bin" --list-formats
echo
echo "== CSL-JSON from Zotero/Better BibTeX, read and written back as CSL-JSON"
"$bin" -t csl-json "$here/zotero-export.json"
echo
echo "== the same, one compact item per line (csl-ndjson)"
"$bin" -t csl-ndjson "$here/zotero-export.json"
echo
echo "== a broken file: diagnostics with file:line:col (exit status 2)"
"$bin" -t csl-json "$here/broken.json" || echo "(exit status $?)"
