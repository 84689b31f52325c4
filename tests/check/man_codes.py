#!/usr/bin/python3
"""man/citeconv-checks.7 lists exactly the codes of src/diag_codes.def:
the checks (the '---- checks ----' section) under CHECKS, each with its
severity and an example line ending in [code], and every other code under
OTHER DIAGNOSTICS.

    man_codes.py SRCDIR
"""
import re
import sys

src = sys.argv[1]
checks, others = {}, {}
section = None
with open(src + "/src/diag_codes.def", encoding="utf-8") as f:
    for line in f:
        m = re.match(r"/\* ---- (.*) ---- \*/", line)
        if m:
            section = m.group(1)
        m = re.match(r'CITECONV_DIAG_X\(\w+, "([^"]+)", (\w+),', line)
        if m:
            (checks if section == "checks" else others)[m.group(1)] = m.group(2).lower()

man = {"CHECKS": {}, "OTHER DIAGNOSTICS": {}}
examples = {}
cur = None
sh = None
with open(src + "/man/citeconv-checks.7", encoding="utf-8") as f:
    lines = f.read().split("\n")
for i, line in enumerate(lines):
    if line.startswith(".SH "):
        sh = line[4:].strip('"')
        continue
    m = re.match(r'\.BR (\S+) " \((\w+)\)"$', line)
    if m and i > 0 and lines[i - 1] == ".TP" and sh in man:
        cur = m.group(1).replace("\\-", "-")
        man[sh][cur] = m.group(2)
        continue
    if cur and line.endswith("[%s]" % cur):
        examples[cur] = line

fail = 0
for title, want in (("CHECKS", checks), ("OTHER DIAGNOSTICS", others)):
    have = man[title]
    for code in sorted(set(want) - set(have)):
        print("FAIL: %s is in diag_codes.def but not under %s" % (code, title))
        fail = 1
    for code in sorted(set(have) - set(want)):
        print("FAIL: %s is under %s but not in that part of diag_codes.def" % (code, title))
        fail = 1
    for code in sorted(set(have) & set(want)):
        if have[code] != want[code]:
            print("FAIL: %s is %s in the page, %s in the code" % (code, have[code], want[code]))
            fail = 1
for code in sorted(checks):
    if code not in examples:
        print("FAIL: check %s has no example" % code)
        fail = 1
print("%d checks, %d other codes" % (len(checks), len(others)))
sys.exit(fail)
