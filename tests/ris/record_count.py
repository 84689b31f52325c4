"""Every RIS fixture gives as many records as it has TY lines."""
import os
import re
import subprocess
import sys

# Hand-made inputs with records that do not start with TY.
NO_TY = {"malformed-no-ty.ris": 1}
TY = re.compile(rb"^(\xef\xbb\xbf)?TY\s*-", re.M)


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    bad = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ris"):
            continue
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            data = f.read().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        want = len(TY.findall(data)) + NO_TY.get(name, 0)
        run = subprocess.run([binary, "-q", "-f", "ris", "-t", "debug", path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        got = sum(1 for line in run.stdout.splitlines()
                  if line.startswith(b"record "))
        if run.returncode not in (0, 1) or got != want:
            print(f"{name}: {got} records, {want} TY lines, "
                  f"exit {run.returncode}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
