"""A UTF-8 fixture transcoded to ISO-8859-1, Windows-1252 and UTF-16 reads
as the same records as the UTF-8 text it stands for, with the named
characters intact and a note saying which character set was assumed."""
import os
import subprocess
import sys
import tempfile

FIXTURE = "citesource-pubmed-46.ris"
NAMED = ["\u00fc", "\u00e9", "\u00f8"]  # u-umlaut, e-acute, o-slash


def run(binary, path, *extra):
    r = subprocess.run([binary, "-f", "ris", "-t", "debug", "--set",
                        "debug-positions=no", *extra, path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, FIXTURE), encoding="utf-8-sig") as f:
        text = f.read()
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ("latin1", "latin-1", "ISO-8859-1", None),
            ("cp1252", "cp1252", "windows-1252", None),
            ("cp1252-early", "cp1252", "windows-1252", None),
            ("utf16le", "utf-16", None, None),  # Python writes a BOM
            ("latin1-explicit", "latin-1", None, "ISO-8859-1"),
        ]
        for label, codec, named, explicit in cases:
            src = text
            if label == "cp1252-early":
                # A curly quote near the start: detected from the sample.
                src = text.replace("TY  - ", "TY  - ", 1).replace(
                    "\n", "\nN1  - \u201cquoted\u201d \u2013 caf\u00e9\n", 2)
            legacy = src.encode(codec, errors="replace")
            same = legacy.decode(codec)  # what the file now says
            lpath = os.path.join(tmp, label + ".ris")
            upath = os.path.join(tmp, label + ".utf8.ris")
            with open(lpath, "wb") as f:
                f.write(legacy)
            with open(upath, "wb") as f:
                f.write(same.encode("utf-8"))
            extra = ["--set", "input-encoding=" + explicit] if explicit else []
            rc, out, err = run(binary, lpath, *extra)
            _, want, _ = run(binary, upath)
            problems = []
            if rc != 0:
                problems.append(f"exit {rc}")
            if out != want:
                problems.append("records differ from the UTF-8 reading")
            for ch in NAMED:
                if ch not in out:
                    problems.append(f"no {ch!r} in the output")
            if named and not ("encoding-assumed" in err and named in err):
                problems.append(f"no encoding-assumed note naming {named}")
            if not named and "encoding-assumed" in err:
                problems.append("an encoding was assumed: " + err.strip())
            if "[encoding]" in err:
                problems.append("encoding warnings: " + err.strip()[:200])
            if label.startswith("cp1252") and "\u2019" not in out and "\u2013" not in out:
                problems.append("no curly quote or en dash from 0x80-0x9F")
            print(f"{label}: {'ok' if not problems else '; '.join(problems)}")
            fails += bool(problems)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
