"""Every well-formed JATS fixture gives one record per <ref> element (with
--set references=references), and the article's own record first with the
default (references=both) when the file has an article front.
   ref_count.py CITECONV"""
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def records(citeconv, path, *args):
    out = subprocess.run([citeconv, '-q', '-f', 'jats', '-t', 'debug',
                          *args, path], capture_output=True, text=True)
    return sum(1 for line in out.stdout.splitlines()
               if line.startswith('record '))


def main():
    citeconv = sys.argv[1]
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    fail = 0
    files = sorted(glob.glob(os.path.join(root, 'fixtures', 'jats', '*.xml')) +
                   glob.glob(os.path.join(root, 'fixtures', 'jats', '*.nxml')))
    for path in files:
        name = os.path.basename(path)
        if name.startswith('malformed-'):
            continue
        tree = ET.parse(path)
        refs = sum(1 for _ in tree.iter('ref'))
        # an article front with metadata gives one more record
        fronts = sum(1 for f in tree.iter('front')
                     if f.find('article-meta') is not None)
        got = records(citeconv, path, '--set', 'references=references')
        both = records(citeconv, path)
        art = records(citeconv, path, '--set', 'references=article')
        ok = got == refs and both == refs + fronts and art == fronts
        print('%s %s: %d <ref>, %d records; %d front, %d article records'
              % ('ok  ' if ok else 'FAIL', name, refs, got, fronts, art))
        fail |= not ok
    return 1 if fail else 0


if __name__ == '__main__':
    sys.exit(main())
