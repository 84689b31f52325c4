"""The eLife fragments' fields against what elife-tools expects for them
(tests/jats/elife-expected.tsv); agreement must reach 97%.
   elife_expected.py CITECONV"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debug_records  # noqa: E402

# elife-tools' reference types to CSL types.
TYPES = {'web': 'webpage', 'webpage': 'webpage', 'journal': 'article-journal',
         'book': 'book', 'book-chapter': 'chapter', 'patent': 'patent',
         'preprint': 'article', 'data': 'dataset', 'software': 'software',
         'thesis': 'thesis', 'report': 'report',
         'conference-proceeding': 'paper-conference'}


def value(rec, field):
    if field == 'type':
        return rec['type']
    if field == 'year':
        return rec['year']
    if '+' in field:
        parts = [value(rec, f) for f in field.split('+')]
        return ', '.join(p for p in parts if p)
    if field.startswith('extra:'):
        v = rec['extras'].get(field[6:])
        return v[0] if v else None
    if '[' in field:
        role, idx = field[:-1].split('[')
        names = rec['names'].get(role, [])
        return debug_records.name_text(names[int(idx)]) \
            if int(idx) < len(names) else None
    v = rec['fields'].get(field)
    return v[0] if v else None


def expected_of(elife_field, field, exp):
    if field == 'type':
        return TYPES.get(exp, exp)
    if elife_field.endswith('.index') and ', ' in exp:
        family, given = exp.split(', ', 1)
        return family + ' ' + given
    return exp


def main():
    citeconv = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    recs = {}
    agree = total = skipped = 0
    with open(os.path.join(here, 'elife-expected.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            fixture, efield, exp, field, _src = line.rstrip('\n').split('\t')
            if field == '-':
                skipped += 1
                continue
            if fixture not in recs:
                path = os.path.join(root, 'fixtures', 'jats',
                                    'elife-tools-refs-' + fixture + '.xml')
                recs[fixture] = debug_records.read(citeconv, path)
            rs = recs[fixture]
            got = value(rs[0], field) if rs else None
            want = expected_of(efield, field, exp)
            total += 1
            if got == want:
                agree += 1
            else:
                print('%s %s: expected %r, got %r' % (fixture, efield, want,
                                                      got))
    pct = 100.0 * agree / total if total else 0
    print('elife-tools fields: %d of %d agree (%.1f%%); %d not compared'
          % (agree, total, pct, skipped))
    return 0 if pct >= 97.0 else 1


if __name__ == '__main__':
    sys.exit(main())
