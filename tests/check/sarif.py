#!/usr/bin/python3
"""--diagnostics sarif: one SARIF 2.1.0 log on standard error, valid
against the official SARIF 2.1.0 schema and against the stricter schema of
the part of SARIF citeconv writes, with one result
per diagnostic of the text output, each pointing at its rule.

    sarif.py CITECONV SRCDIR
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema

citeconv, srcdir = sys.argv[1], sys.argv[2]
os.chdir(srcdir)
here = os.path.join(srcdir, "tests", "check")
with open(os.path.join(here, "sarif-2.1.0-subset.schema.json")) as f:
    schema = json.load(f)
checker = jsonschema.FormatChecker()
validator = jsonschema.Draft7Validator(schema, format_checker=checker)
# The official SARIF 2.1.0 schema (OASIS, draft-04) as well: every log must
# pass both, the subset being the stricter on what citeconv writes.
with open(os.path.join(srcdir, "fixtures", "schema",
                       "sarif-schema-2.1.0.json")) as f:
    official = jsonschema.Draft4Validator(json.load(f), format_checker=checker)

failures = 0
files = sorted(glob.glob("fixtures/check/*"))
# All inputs in one run, and a clean input alone (an empty result list).
runs = [files, ["fixtures/check/clean.json"]]
for inputs in runs:
    p = subprocess.run([citeconv, "--check", "--diagnostics", "sarif"] + inputs,
                       capture_output=True)
    t = subprocess.run([citeconv, "--check"] + inputs, capture_output=True)
    if p.stdout:
        print("FAIL: --check wrote to standard output")
        failures += 1
    try:
        log = json.loads(p.stderr.decode("utf-8"))
    except ValueError as e:
        print("FAIL: standard error is not one JSON document: %s" % e)
        failures += 1
        continue
    for e in list(official.iter_errors(log))[:10]:
        print("FAIL (official schema): %s: %s" % ("/".join(str(x) for x in e.path), e.message))
        failures += 1
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        print("FAIL: %s: %s" % ("/".join(str(x) for x in e.path), e.message))
    failures += len(errors)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for r in run["results"]:
        # format "uri-reference" is only enforced when rfc3987 is
        # installed; check the characters citeconv writes here.
        for loc in r.get("locations", []) + r.get("relatedLocations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            if not re.fullmatch(r"[A-Za-z0-9._~/%-]+", uri):
                print("FAIL: artifact uri %r" % uri)
                failures += 1
        if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
            print("FAIL: ruleIndex %d is not rule %s" % (r["ruleIndex"], r["ruleId"]))
            failures += 1
    text = t.stderr.decode("utf-8").splitlines()[:-1]  # without the summary
    # "first seen here" notes are related locations of the finding before
    seen = [l for l in text if l.endswith(": note: first seen here [%s]" % l.rsplit("[", 1)[-1][:-1])]
    related = sum(len(r.get("relatedLocations", [])) for r in run["results"])
    if len(text) - len(seen) != len(run["results"]) or len(seen) != related:
        print("FAIL: %d results + %d related, %d text diagnostics (%d first seen)"
              % (len(run["results"]), related, len(text), len(seen)))
        failures += 1
    if p.returncode != t.returncode:
        print("FAIL: exit %d with sarif, %d with text" % (p.returncode, t.returncode))
        failures += 1
    print("%d inputs: %d results, %d related locations, %d rules"
          % (len(inputs), len(run["results"]), related, len(rules)))
sys.exit(1 if failures else 0)
