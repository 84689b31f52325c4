"""The jats writer's output for every fixture (standalone reference list
and jats-article=yes) is well-formed and follows the JATS 1.3 Archiving
element rules for the elements it writes: allowed children, their order
where the tag set fixes one, required parts.
   writer_valid.py CITECONV"""
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

XLINK = '{http://www.w3.org/1999/xlink}'
EMPH = {'italic', 'bold', 'sup', 'sub', 'sc'}
# Allowed element children (JATS 1.3 Archiving, the parts used here).
CIT = {'person-group', 'article-title', 'chapter-title', 'data-title',
       'part-title', 'source', 'year', 'month', 'day', 'season', 'edition',
       'publisher-loc', 'publisher-name', 'volume', 'issue', 'fpage', 'lpage',
       'page-range', 'elocation-id', 'size', 'isbn', 'issn', 'issn-l',
       'patent', 'std', 'conf-name', 'conf-loc', 'conf-date', 'conf-sponsor',
       'series', 'version', 'gov', 'role', 'pub-id', 'ext-link', 'uri',
       'date-in-citation', 'comment', 'trans-title', 'trans-source',
       'institution', 'issue-title', 'supplement', 'volume-series',
       'object-id', 'issue-part', 'collab', 'name', 'etal', 'string-name',
       'label', 'annotation'}
CHILDREN = {
    'ref-list': {'label', 'title', 'ref', 'ref-list'},
    'ref': {'label', 'element-citation', 'mixed-citation'},
    'element-citation': CIT,
    'person-group': {'name', 'collab', 'etal', 'string-name', 'anonymous',
                     'aff', 'role', 'name-alternatives'},
    'name': {'surname', 'given-names', 'prefix', 'suffix'},
    'article': {'front', 'body', 'back', 'floats-group', 'sub-article',
                'response', 'processing-meta'},
    'front': {'journal-meta', 'article-meta', 'notes'},
    'back': {'ref-list', 'ack', 'app-group', 'fn-group', 'glossary', 'notes',
             'sec', 'label', 'title', 'bio'},
    'journal-meta': {'journal-id', 'journal-title-group', 'contrib-group',
                     'aff', 'issn', 'issn-l', 'isbn', 'publisher', 'notes',
                     'self-uri'},
    'journal-title-group': {'journal-title', 'journal-subtitle',
                            'trans-title-group', 'abbrev-journal-title'},
    'publisher': {'publisher-name', 'publisher-loc'},
    'title-group': {'article-title', 'subtitle', 'trans-title-group',
                    'alt-title', 'fn-group'},
    'trans-title-group': {'trans-title', 'trans-subtitle'},
    'contrib-group': {'contrib', 'etal', 'aff', 'address', 'role', 'xref',
                      'on-behalf-of', 'author-comment', 'bio', 'email',
                      'ext-link', 'fn', 'uri', 'x', 'aff-alternatives'},
    'contrib': {'contrib-id', 'anonymous', 'collab', 'name', 'string-name',
                'name-alternatives', 'degrees', 'address', 'aff', 'email',
                'role', 'xref', 'bio', 'ext-link', 'uri', 'on-behalf-of',
                'author-comment', 'aff-alternatives', 'collab-alternatives'},
    'pub-date': {'day', 'month', 'season', 'year', 'string-date', 'era'},
    'abstract': {'label', 'title', 'p', 'sec', 'object-id', 'list'},
    'trans-abstract': {'label', 'title', 'p', 'sec'},
    'sec': {'label', 'title', 'p', 'sec'},
    'kwd-group': {'label', 'title', 'kwd', 'compound-kwd', 'nested-kwd'},
    'counts': {'count', 'fig-count', 'table-count', 'equation-count',
               'ref-count', 'page-count', 'word-count'},
}
# Elements of mixed content whose element children may only be emphasis.
TEXTUAL = {'article-title', 'chapter-title', 'data-title', 'source',
           'comment', 'collab', 'conf-name', 'series', 'journal-title',
           'kwd', 'p', 'title', 'aff', 'subtitle', 'trans-title',
           'alt-title', 'trans-source', 'issue-title', 'institution',
           'part-title', 'supplement'}
PLAIN = {'surname', 'given-names', 'suffix', 'prefix', 'year', 'month', 'day',
         'season', 'volume', 'issue', 'fpage', 'lpage', 'page-range',
         'elocation-id', 'pub-id', 'article-id', 'journal-id', 'issn', 'isbn',
         'edition', 'publisher-name', 'publisher-loc', 'ext-link', 'uri',
         'date-in-citation', 'size', 'patent', 'std', 'conf-loc', 'version',
         'gov', 'role', 'label', 'string-date', 'abbrev-journal-title',
         'contrib-id', 'etal', 'page-count', 'conf-date'}
# Fixed orders (JATS 1.3 Archiving article-meta, journal-meta).
ORDER = {
    'article-meta': ['article-id', 'article-version', 'article-categories',
                     'title-group', 'contrib-group', 'aff', 'author-notes',
                     'pub-date', 'volume', 'issue', 'issue-title',
                     'isbn', 'supplement', 'fpage', 'lpage', 'page-range',
                     'elocation-id', 'ext-link', 'history', 'permissions',
                     'self-uri', 'related-article', 'abstract',
                     'trans-abstract', 'kwd-group', 'funding-group',
                     'conference', 'counts', 'custom-meta-group'],
    'journal-meta': ['journal-id', 'journal-title-group', 'contrib-group',
                     'aff', 'issn', 'issn-l', 'isbn', 'publisher', 'notes',
                     'self-uri'],
    'pub-date': ['day', 'month', 'season', 'year', 'string-date'],
    'name': ['surname', 'given-names', 'prefix', 'suffix'],
    'title-group': ['article-title', 'subtitle', 'trans-title-group',
                    'alt-title', 'fn-group'],
    'front': ['journal-meta', 'article-meta', 'notes'],
    'article': ['processing-meta', 'front', 'body', 'back', 'floats-group',
                'sub-article', 'response'],
}


def check(el, path, errors):
    tag = el.tag
    kids = [c.tag for c in el]
    where = '%s/%s' % (path, tag)
    if tag in CHILDREN:
        for k in kids:
            if k not in CHILDREN[tag] and k not in EMPH:
                errors.append('%s: <%s> not allowed' % (where, k))
    elif tag in TEXTUAL:
        for k in kids:
            if k not in EMPH and k not in ('xref', 'inline-formula'):
                errors.append('%s: <%s> in text' % (where, k))
    elif tag in PLAIN:
        if kids:
            errors.append('%s: elements in a plain-text element' % where)
    elif tag in EMPH:
        for k in kids:
            if k not in EMPH:
                errors.append('%s: <%s> in emphasis' % (where, k))
    elif tag == 'article-meta':
        pass
    else:
        errors.append('%s: element not expected from the writer' % where)
    if tag in ORDER:
        pos = [ORDER[tag].index(k) for k in kids if k in ORDER[tag]]
        if pos != sorted(pos):
            errors.append('%s: children out of order: %s' % (where, kids))
        if tag == 'article-meta':
            for k in kids:
                if k not in ORDER[tag]:
                    errors.append('%s: <%s> not allowed' % (where, k))
    if tag == 'name':
        if 'surname' not in kids and el.get('name-style') != 'given-only':
            errors.append('%s: name without surname' % where)
    if tag == 'pub-date' and 'year' not in kids and 'string-date' not in kids:
        errors.append('%s: pub-date without year' % where)
    if tag == 'title-group' and (not kids or kids[0] != 'article-title'):
        errors.append('%s: title-group must start with article-title' % where)
    if tag == 'element-citation' and not el.get('publication-type'):
        errors.append('%s: no publication-type' % where)
    if tag == 'ref' and not el.get('id'):
        errors.append('%s: ref without id' % where)
    if tag == 'ext-link' and not el.get(XLINK + 'href'):
        errors.append('%s: ext-link without xlink:href' % where)
    if tag == 'article-meta' and 'elocation-id' in kids and 'fpage' in kids:
        errors.append('%s: elocation-id beside fpage' % where)
    for c in el:
        check(c, where, errors)


def main():
    citeconv = sys.argv[1]
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    files = sorted(glob.glob(os.path.join(root, 'fixtures', '*', '*')))
    fail = 0
    n = 0
    for path in files:
        d = os.path.basename(os.path.dirname(path))
        fmt = {'jats': 'jats', 'ris': 'ris', 'csl-json': 'csl-json',
               'pubmed-xml': 'pubmed-xml', 'bibtex': 'bibtex'}.get(d)
        if not fmt or os.path.basename(path).startswith('malformed') or \
                path.endswith(('.md', '.bib.expected', '.expected.bib')):
            continue
        for mode in ('no', 'yes'):
            out = subprocess.run([citeconv, '-q', '-f', fmt, '-t', 'jats',
                                  '--set', 'jats-article=' + mode, path],
                                 capture_output=True)
            if out.returncode == 2:
                continue
            n += 1
            try:
                tree = ET.fromstring(out.stdout)
            except ET.ParseError as e:
                print('FAIL %s (%s): not well-formed: %s' % (path, mode, e))
                fail = 1
                continue
            errors = []
            check(tree, '', errors)
            for e in errors[:5]:
                print('FAIL %s (%s): %s' % (os.path.relpath(path, root),
                                            mode, e))
            fail |= bool(errors)
    print('%d outputs checked' % n)
    return fail


if __name__ == '__main__':
    sys.exit(main())
