#!/bin/sh
# Every PubMed XML the writer makes, from every fixture that has records
# (PubMed XML, MEDLINE, and the RIS, CSL-JSON and BibTeX fixtures), must be
# valid against the PubMed DTD.
#   dtd_valid.sh CITECONV XMLLINT
set -u
bin=$1 xmllint=$2
dtd=fixtures/dtd/biopython-pubmed_250101.dtd
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for f in fixtures/pubmed-xml/*.xml fixtures/medline/*.txt \
    fixtures/medline/*.nbib fixtures/medline/*.medline fixtures/ris/*.ris \
    fixtures/csl-json/*.json fixtures/bibtex/*.bib; do
  [ -f "$f" ] || continue
  case $f in *.expected.*) continue ;; esac
  from=pubmed-xml
  case $f in
    fixtures/medline/*) from=medline ;;
    fixtures/ris/*) from=ris ;;
    fixtures/csl-json/*) from=csl-json ;;
    fixtures/bibtex/*) from=bibtex ;;
  esac
  "$bin" -q -f $from -t pubmed-xml "$f" >"$tmp/out.xml" 2>/dev/null
  grep -q '<PubmedArticle>\|<PubmedBookArticle>' "$tmp/out.xml" || continue
  n=$((n + 1))
  # The DTD's MathML module is not needed (the writer emits no MathML);
  # xmllint warns that it cannot load it, which is not a validity error.
  if ! "$xmllint" --noout --nonet --dtdvalid "$dtd" "$tmp/out.xml" \
      >"$tmp/log" 2>&1 || grep -q 'validity error\|parser error' "$tmp/log"; then
    echo "not valid: $f"; grep 'error' "$tmp/log" | head -5; fail=1
  fi
done
echo "$n outputs checked"
[ $n -gt 0 ] || fail=1
exit $fail
