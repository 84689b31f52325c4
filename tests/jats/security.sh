#!/bin/sh
# JATS security: an external entity (file or network) is neither read nor
# expanded, a DTD is not loaded, an entity bomb is refused fast.
#   security.sh CITECONV
set -u
bin=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
echo "SECRET-CONTENT-42" >"$tmp/secret.txt"
cat >"$tmp/ents.dtd" <<DTD
<!ENTITY dtdsecret "DTD-WAS-LOADED">
DTD
cat >"$tmp/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE article SYSTEM "file://$tmp/ents.dtd" [
<!ENTITY xxe SYSTEM "file://$tmp/secret.txt">
<!ENTITY passwd SYSTEM "file:///etc/passwd">
]>
<article><front><article-meta><title-group><article-title>A &xxe; B &passwd; C &dtdsecret;</article-title></title-group>
<pub-date pub-type="ppub"><year>2000</year></pub-date></article-meta></front>
<back><ref-list><ref id="r1"><mixed-citation>Smith J. &xxe; Title. J Test. 2001;1:2.</mixed-citation></ref></ref-list></back></article>
XML
"$bin" -f jats -t debug "$tmp/xxe.xml" >"$tmp/out" 2>"$tmp/err"
status=$?
if grep -q 'SECRET-CONTENT\|root:\|DTD-WAS-LOADED' "$tmp/out" "$tmp/err"; then
  echo "external entity or DTD was read"; fail=1
fi
grep -q 'title: "A B C"' "$tmp/out" || { echo "record missing or wrong"; cat "$tmp/out"; fail=1; }
grep -q 'not expanded' "$tmp/err" || { echo "no diagnostic"; cat "$tmp/err"; fail=1; }
grep -c '^record' "$tmp/out" | grep -q '^2$' || { echo "expected 2 records"; fail=1; }
echo "xxe: exit $status"
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE article ['
  echo '<!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    echo "<!ENTITY lol$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
    prev=lol$i
  done
  echo ']>'
  echo "<article><front><article-meta><title-group><article-title>&$prev;</article-title></title-group></article-meta></front></article>"
} >"$tmp/bomb.xml"
start=$(date +%s)
"$bin" -f jats -t debug "$tmp/bomb.xml" >"$tmp/out" 2>"$tmp/err"
status=$?
end=$(date +%s)
size=$(wc -c <"$tmp/out")
echo "bomb: exit $status, $size bytes of output, $((end - start)) s"
[ "$size" -lt 100000 ] || { echo "entities were expanded"; fail=1; }
[ $((end - start)) -le 5 ] || { echo "too slow"; fail=1; }
exit $fail
