#!/usr/bin/env python3
"""Nothing is lost in silence: every writer is given records that hold every
variable of the record (read from include/citeconv/vars.def, so a new
variable is covered the day it is added), each value carrying a token of its
own. After the conversion each token must be in the output, or the writer
must have reported, for that record, a not-carried diagnostic that names the
variable.

  carry.py CITECONV SOURCE-DIR [--keep DIR]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TYPES = ["article-journal", "book", "chapter", "paper-conference", "thesis",
         "report", "webpage", "dataset"]

# Values with a shape of their own; the rest get a bare token.  Each maps
# the record's index to (value, token that must survive).
SHAPED = {
    "DOI": lambda r: ("10.5555/qz-doi-%d" % r, "qz-doi-%d" % r),
    "PMID": lambda r: ("3141592%d" % r, "3141592%d" % r),
    "PMCID": lambda r: ("PMC271828%d" % r, "271828%d" % r),
    "ISBN": lambda r: ("978316148410%d" % r, "978316148410%d" % r),
    "ISSN": lambda r: ("2049-36%02d" % r, "2049-36%02d" % r),
    "URL": lambda r: ("https://example.org/qz-url-%d" % r, "qz-url-%d" % r),
    "page": lambda r: ("%d-%d" % (4100 + r, 4190 + r), "%d" % (4100 + r)),
    "page-first": lambda r: ("%d" % (4300 + r), "%d" % (4300 + r)),
    "language": lambda r: ("qz-lang-%d" % r, "qz-lang-%d" % r),
}


def variables(src):
    out = []
    pat = re.compile(r'CITECONV_VAR_X\(\w+, "([^"]+)", (\w+)\)')
    with open(os.path.join(src, "include/citeconv/vars.def")) as f:
        for line in f:
            m = pat.search(line)
            if m:
                out.append((m.group(1), m.group(2)))
    return out


def token(r, i, part=""):
    return "qz%dv%03d%s" % (r, i, part)


def make_record(r, typ, vars_):
    """One CSL-JSON item holding every variable; returns (item, checks) where
    checks lists (variable, token)."""
    item = {"id": token(r, 0), "type": typ}
    checks = []
    year = 1700 + 10 * r
    for i, (name, kind) in enumerate(vars_):
        if name == "id":
            checks.append((name, item["id"]))
            continue
        if kind == "NAME":
            person = {"family": token(r, i, "f"), "given": token(r, i, "g")}
            checks += [(name, person["family"]), (name, person["given"])]
            if name == "author":
                person.update({"suffix": token(r, i, "s"),
                               "non-dropping-particle": token(r, i, "n"),
                               "dropping-particle": token(r, i, "d")})
                checks += [(name, person["suffix"]),
                           (name, person["non-dropping-particle"]),
                           (name, person["dropping-particle"])]
                org = {"literal": token(r, i, "l")}
                checks.append((name, org["literal"]))
                item[name] = [person, org]
            else:
                item[name] = [person]
        elif kind == "DATE":
            year += 1
            item[name] = {"date-parts": [[year, 3, 14]]}
            checks.append((name, str(year)))
        elif name in SHAPED:
            value, tok = SHAPED[name](r)
            item[name] = value
            checks.append((name, tok))
        elif name == "keyword":
            item[name] = token(r, i, "a") + ", " + token(r, i, "b")
            checks += [(name, token(r, i, "a")), (name, token(r, i, "b"))]
        else:
            item[name] = token(r, i)
            checks.append((name, item[name]))
    item["custom"] = {"qz-extra": token(r, 999)}
    checks.append(("qz-extra", token(r, 999)))
    return item, checks


def writers(bin_):
    out = subprocess.run([bin_, "--list-formats"], capture_output=True,
                         text=True, check=True).stdout
    names = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and "w" in f[1]:
            names.append(f[0])
    return names


def main():
    bin_, src = sys.argv[1], sys.argv[2]
    keep = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--keep" else None
    vars_ = variables(src)
    items, checks = [], []
    for r, typ in enumerate(TYPES, 1):
        item, c = make_record(r, typ, vars_)
        items.append(item)
        checks.append(c)
    tmp = keep or tempfile.mkdtemp()
    inp = os.path.join(tmp, "every-variable.json")
    with open(inp, "w") as f:
        json.dump(items, f, indent=1)
    failures = 0
    total = 0
    for w in writers(bin_):
        p = subprocess.run([bin_, "-f", "csl-json", "-t", w, "--diagnostics",
                            "json", inp], capture_output=True)
        if p.returncode not in (0, 1):
            print("FAIL %s: exit %d\n%s" % (w, p.returncode,
                                            p.stderr.decode()[:2000]))
            failures += 1
            continue
        text = p.stdout.decode("utf-8")
        if keep:
            with open(os.path.join(tmp, "out." + w), "w") as f:
                f.write(text)
        reported = {}
        for line in p.stderr.decode().splitlines():
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if d.get("code") == "not-carried":
                reported.setdefault(d.get("record"), []).append(d["message"])
        for r, c in enumerate(checks, 1):
            msgs = " | ".join(reported.get(r, []))
            for var, tok in c:
                total += 1
                if tok in text:
                    continue
                if re.search(r"(^|[^\w-])%s([^\w-]|$)" % re.escape(var), msgs):
                    continue
                failures += 1
                print("FAIL %s: record %d (%s): '%s' (%s) neither written "
                      "nor reported" % (w, r, TYPES[r - 1], var, tok))
    print("%d values x writers checked, %d lost in silence" % (total, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
