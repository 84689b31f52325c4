"""The same article read from PubMed XML and from MEDLINE text must give the
same record (CSL fields and names; extras are format-specific). The
fixtures hold no article in both forms, so the MEDLINE side is what PubMed
exports for it as this writer makes it: each XML fixture is written as
MEDLINE, read back, and compared with the XML reading, markup removed
(MEDLINE has none).   usage: xml_vs_medline.py CITECONV"""
import glob
import re
import subprocess
import sys

SKIP = ("title-short",)


def dump(bin_, fmt, path=None, data=None):
    cmd = [bin_, "-q", "-f", fmt, "-t", "debug", "--set", "debug-positions=no",
           "--set", "references=article"]
    cmd += [path] if path else ["-"]
    return subprocess.run(cmd, input=data, capture_output=True,
                          text=True).stdout


def fields(text):
    out = []
    for line in text.splitlines():
        if line.startswith("  extra "):
            continue
        line = re.sub(r'</?(i|b|sup|sub)>', '', line)
        out.append(line)
    return out


def main():
    bin_ = sys.argv[1]
    bad = n = 0
    for f in sorted(glob.glob("fixtures/pubmed-xml/*.xml")):
        if "/malformed-" in f:
            continue  # hand-made damage, not articles PubMed exports
        xml = dump(bin_, "pubmed-xml", f)
        if not xml.strip():
            continue
        nbib = subprocess.run([bin_, "-q", "-f", "pubmed-xml", "-t", "medline",
                               "--set", "references=article", f],
                              capture_output=True, text=True).stdout
        med = dump(bin_, "medline", data=nbib)
        a, b = fields(xml), fields(med)
        n += 1
        if a != b:
            bad += 1
            print(f"differs: {f}")
            import difflib
            for d in list(difflib.unified_diff(a, b, lineterm=""))[:12]:
                print("  " + d[:160])
    print(f"{n - bad}/{n} articles read the same from XML and MEDLINE")
    return 1 if bad else 0


sys.exit(main())
