#!/bin/sh
# No records, no PubmedArticleSet: the PubMed DTD requires one PubmedArticle
# or PubmedBookArticle at least, so the writer writes nothing and reports an
# error instead of an invalid (or made-up) document.
#   empty_set.sh CITECONV XMLLINT
set -u
bin=$1 xmllint=$2
dtd=fixtures/dtd/biopython-pubmed_250101.dtd
empty=fixtures/pubmed-xml/metapub-pmid-37909814.xml # efetch's empty answer
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

# The DTD does reject an empty set (what efetch returns for no hits).
if "$xmllint" --noout --nonet --dtdvalid "$dtd" "$empty" >"$tmp/log" 2>&1 &&
    ! grep -q 'validity error' "$tmp/log"; then
  echo "the DTD accepts an empty PubmedArticleSet: the test is wrong"
  fail=1
fi

# Nothing written, one error, exit 1: from PubMed XML and from empty RIS.
: >"$tmp/empty.ris"
for case in "pubmed-xml $empty" "ris $tmp/empty.ris"; do
  set -- $case
  "$bin" -f "$1" -t pubmed-xml "$2" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 1 ] || [ -s "$tmp/out" ] ||
      ! grep -q 'error: no record to write.*\[empty-output\]' "$tmp/err"; then
    echo "from $1: exit $rc, $(wc -c <"$tmp/out") bytes out:"
    cat "$tmp/err"
    fail=1
  fi
done

# One record is enough for a valid document.
"$bin" -q -f pubmed-xml -t pubmed-xml \
  fixtures/pubmed-xml/jabref-medline-minimalentry.xml >"$tmp/one.xml" 2>/dev/null
if ! "$xmllint" --noout --nonet --dtdvalid "$dtd" "$tmp/one.xml" \
    >"$tmp/log" 2>&1 || grep -q 'validity error' "$tmp/log"; then
  echo "one minimal record is not valid:"
  grep error "$tmp/log" | head -5
  fail=1
fi
exit $fail
