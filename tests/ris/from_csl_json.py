"""CSL-JSON -> RIS -> record keeps every CSL variable: variables with no
RIS tag travel in N1 as "variable: value", which the reader reads back.
Authors' affiliations travel as AD lines. What RIS cannot hold is
reported by the writer as not-carried and left out of the comparison
here: ORCID iDs, 'circa', years before 1 AD,
CSL's comma-suffix flag, and the inline markup (<i>, <b>, <sup>, <sub>,
<sc>, nocase and nodecor spans), since RIS text is plain. Extra fields travel
in N1 as "name: value" and come back."""
import os
import re
import subprocess
import sys

DROP = [
    (re.compile(r' orcid="[^"]*"'), ""),
    (re.compile(r" circa"), ""),
    (re.compile(r" comma-suffix"), ""),
    # A date given only as raw text comes back as a literal.
    (re.compile(r'^(  \S+: )raw='), r"\1literal="),
]


SIMPLE_TAGS = re.compile(r"</?(?:i|b|sup|sub|sc)>")
SPAN = re.compile(r'<span[^>]*>|</span>')
KNOWN_SPANS = ('<span class=\\"nocase\\">', '<span class=\\"nodecor\\">',
               '<span style=\\"font-variant:small-caps;\\">')


def strip_markup(line):
    """The record's markup out of a debug line (quotes escaped as \\"):
    spans that are not markup keep their closing tag."""
    line = SIMPLE_TAGS.sub("", line)
    out, stack, pos = [], [], 0
    for m in SPAN.finditer(line):
        out.append(line[pos:m.start()])
        tag = m.group(0)
        if tag != "</span>":
            known = tag in KNOWN_SPANS
            stack.append(known)
            if not known:
                out.append(tag)
        elif stack and not stack.pop():
            out.append(tag)
        pos = m.end()
    out.append(line[pos:])
    return "".join(out)


def dump(binary, data=None, path=None, fmt="csl-json"):
    args = [binary, "-q", "-f", fmt, "-t", "debug", "--set",
            "debug-positions=no", path or "-"]
    out = subprocess.run(args, input=data, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    lines = []
    for line in out.decode("utf-8").split("\n"):
        if re.match(r"  \S+: -\d", line):
            continue  # years before 1 AD: reported as not carried
        for pat, rep in DROP:
            line = pat.sub(rep, line)
        lines.append(strip_markup(line))
    return lines


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    bad = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json") or "malformed" in name or \
                "expected" in name:
            continue
        path = os.path.join(folder, name)
        a = dump(binary, path=path)
        ris = subprocess.run([binary, "-q", "-f", "csl-json", "-t", "ris",
                              path], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout
        b = dump(binary, data=ris, fmt="ris")
        if a != b:
            bad += 1
            diff = [f"- {x}" for x in a if x not in b][:4] + \
                   [f"+ {x}" for x in b if x not in a][:4]
            print(f"{name}:")
            for line in diff:
                print("   ", line[:150])
    print(f"{bad} files changed by the trip through RIS")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
