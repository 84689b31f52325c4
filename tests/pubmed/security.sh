#!/bin/sh
# PubMed XML security: an external entity is neither read nor expanded,
# and an entity-expansion bomb is refused fast.   security.sh CITECONV
set -u
bin=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
echo "SECRET-CONTENT-42" >"$tmp/secret.txt"
cat >"$tmp/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
<!ENTITY xxe SYSTEM "file://$tmp/secret.txt">
<!ENTITY passwd SYSTEM "file:///etc/passwd">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE">
<PMID Version="1">1</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2000</Year></PubDate></JournalIssue></Journal>
<ArticleTitle>A &xxe; B &passwd;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
XML
"$bin" -f pubmed-xml -t debug "$tmp/xxe.xml" >"$tmp/out" 2>"$tmp/err"
status=$?
if grep -q 'SECRET-CONTENT\|root:' "$tmp/out" "$tmp/err"; then
  echo "external entity was read"; fail=1
fi
# It does not fail open: the record is there, without the entity text,
# and the unexpanded reference is reported.
grep -q 'title: "A B"' "$tmp/out" || { echo "record missing or wrong"; cat "$tmp/out"; fail=1; }
grep -q 'not expanded' "$tmp/err" || { echo "no diagnostic"; cat "$tmp/err"; fail=1; }
echo "xxe: exit $status"

{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE PubmedArticleSet ['
  echo '<!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    echo "<!ENTITY lol$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
    prev=lol$i
  done
  echo ']>'
  echo '<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">2</PMID>'
  echo "<Article PubModel=\"Print\"><ArticleTitle>&$prev;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
} >"$tmp/bomb.xml"
start=$(date +%s)
"$bin" -f pubmed-xml -t debug "$tmp/bomb.xml" >"$tmp/out" 2>"$tmp/err"
status=$?
end=$(date +%s)
size=$(wc -c <"$tmp/out")
echo "bomb: exit $status, $size bytes of output, $((end - start)) s"
[ "$size" -lt 100000 ] || { echo "entities were expanded"; fail=1; }
[ $((end - start)) -le 5 ] || { echo "too slow"; fail=1; }
exit $fail
