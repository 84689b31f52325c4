"""RIS -> CSL-JSON -> RIS keeps every tag's value: each value of the
first RIS output is found again, under the same tag, in the second
(keywords compared piece by piece: CSL-JSON holds them as one
comma-separated string)."""
import collections
import os
import subprocess
import sys


def tags(text):
    """(tag, value) pairs of RIS text, continuation lines joined."""
    out = collections.Counter()
    cur = None
    for line in text.splitlines():
        if len(line) >= 6 and line[2:6] == "  - ":
            if cur:
                out[cur] += 1
            cur = (line[:2], line[6:].strip())
        elif cur and line.strip():
            cur = (cur[0], cur[1] + "\n" + line.strip())
    if cur:
        out[cur] += 1
    # CSL's keyword is one comma-separated string: compare the pieces.
    for (tag, value), n in list(out.items()):
        if tag == "KW":
            del out[(tag, value)]
            for piece in value.split(","):
                out[(tag, piece.strip())] += n
    return out


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    lost_total = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ris") or name.startswith("malformed-"):
            continue
        path = os.path.join(folder, name)
        ris1 = subprocess.run([binary, "-q", "-f", "ris", "-t", "ris",
                               "--set", "ris-eol=lf", path],
                              stdout=subprocess.PIPE).stdout
        csl = subprocess.run([binary, "-q", "-f", "ris", "-t", "csl-json",
                              path], stdout=subprocess.PIPE).stdout
        ris2 = subprocess.run([binary, "-q", "-f", "csl-json", "-t", "ris",
                               "--set", "ris-eol=lf", "-"], input=csl,
                              stdout=subprocess.PIPE).stdout
        a = tags(ris1.decode("utf-8"))
        b = tags(ris2.decode("utf-8"))
        lost = {k: 1 for k in a if k not in b}
        if lost:
            lost_total += sum(lost.values())
            for (tag, value), n in sorted(lost.items())[:8]:
                print(f"{name}: lost {tag} {value[:70]!r}")
    print(f"values lost: {lost_total}")
    return 1 if lost_total else 0


if __name__ == "__main__":
    sys.exit(main())
