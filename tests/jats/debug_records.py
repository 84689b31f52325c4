"""Read `citeconv -t debug --set debug-positions=no` output into dicts."""
import re
import subprocess

LINE = re.compile(r'^  (\S+?)(?:\[(\d+)\])?: (.*)$')
EXTRA = re.compile(r'^  extra "((?:[^"\\]|\\.)*)": "((?:[^"\\]|\\.)*)"$')
PART = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(
        m.group(1), m.group(1)), s)


def parse(text):
    """A list of records: {'type':, 'fields': {name: [values]},
    'names': {role: [dict]}, 'extras': {name: [values]}, 'year': str}."""
    recs = []
    for line in text.splitlines():
        if line.startswith('record '):
            recs.append({'type': None, 'fields': {}, 'names': {},
                         'extras': {}, 'year': None})
            continue
        if not recs:
            continue
        rec = recs[-1]
        m = EXTRA.match(line)
        if m:
            rec['extras'].setdefault(unescape(m.group(1)), []).append(
                unescape(m.group(2)))
            continue
        m = LINE.match(line)
        if not m:
            continue
        key, idx, val = m.groups()
        if key == 'type':
            rec['type'] = val
        elif idx is not None:
            rec['names'].setdefault(key, []).append(
                {k: unescape(v) for k, v in PART.findall(val)})
        elif key == 'issued':
            y = re.match(r'(\d{4})', val)
            rec['year'] = y.group(1) if y else None
        elif val.startswith('"'):
            rec['fields'].setdefault(key, []).append(unescape(val[1:-1]))
    return recs


def read(citeconv, path, *args):
    out = subprocess.run([citeconv, '-q', '-f', 'jats', '-t', 'debug',
                          '--set', 'debug-positions=no', *args, path],
                         capture_output=True, text=True)
    return parse(out.stdout)


def name_text(n):
    """'Family Given' or the literal name."""
    if 'literal' in n:
        return n['literal']
    return ' '.join(x for x in (n.get('family'), n.get('given')) if x)
