"""CSL-JSON -> RIS -> record keeps every CSL variable: variables with no
RIS tag travel in N1 as "variable: value", which the reader reads back.
What RIS cannot hold is reported by the writer as not-carried and left
out of the comparison here: ORCID iDs, affiliations, 'circa', years
before 1 AD, CSL's comma-suffix flag. Extra fields travel in N1 as
"name: value" and come back."""
import os
import re
import subprocess
import sys

DROP = [
    (re.compile(r' orcid="[^"]*"'), ""),
    (re.compile(r' affiliation="[^"]*"'), ""),
    (re.compile(r" circa"), ""),
    (re.compile(r" comma-suffix"), ""),
    # A date given only as raw text comes back as a literal.
    (re.compile(r'^(  \S+: )raw='), r"\1literal="),
]


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
        lines.append(line)
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
