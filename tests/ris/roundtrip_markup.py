"""Round trip of RIS files whose text carries CSL markup (Dimensions
writes "CO<sub>2</sub>" in abstracts): read, written as RIS, read again
gives the same records but for the markup, which RIS text cannot hold;
the writer reports it as not carried, once per field of a record."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from from_csl_json import strip_markup  # noqa: E402


def dump(binary, path=None, data=None):
    out = subprocess.run([binary, "-q", "-f", "ris", "-t", "debug", "--set",
                          "debug-positions=no", path or "-"], input=data,
                         stdout=subprocess.PIPE, check=True).stdout
    return out.decode("utf-8").split("\n")


def main():
    binary, paths = sys.argv[1], sys.argv[2:]
    bad = 0
    for path in paths:
        name = os.path.basename(path)
        a = [strip_markup(x) for x in dump(binary, path=path)]
        w = subprocess.run([binary, "-f", "ris", "-t", "ris", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        notes = re.findall(r"the markup .* of the '([^']+)' field has no "
                           r"place in ris output.*\[not-carried\]",
                           w.stderr.decode("utf-8"))
        b = dump(binary, data=w.stdout)
        if a != b:
            bad += 1
            print(f"{name}: changed by the round trip")
            for x in [f"- {x}" for x in a if x not in b][:4] + \
                    [f"+ {x}" for x in b if x not in a][:4]:
                print("   ", x[:150])
        marked = sum(1 for x in dump(binary, path=path)
                     if x != strip_markup(x))
        if marked and not notes:
            bad += 1
            print(f"{name}: markup left out with no not-carried note")
        print(f"{name}: {marked} fields with markup, {len(notes)} notes")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
