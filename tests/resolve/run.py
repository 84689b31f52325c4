#!/usr/bin/python3
"""Tests of the online DOI check (--check --resolve) against the local
server of tests/resolve/server.py: the exact diagnostics and exit status
(tests/golden/resolve/CASE.check, rewritten with UPDATE_GOLDEN=1), and the
requests the server saw (cache, retries, time budget, what is sent).

    run.py CITECONV SRCDIR CASE
"""
import difflib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

citeconv, src, case = sys.argv[1], sys.argv[2], sys.argv[3]
fails = []
passes = 0


def check(cond, what):
    global passes
    if cond:
        passes += 1
    else:
        fails.append(what)


class Server:
    def __init__(self, tmp):
        self.log = os.path.join(tmp, "requests.log")
        open(self.log, "w").close()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(src, "tests/resolve/server.py"),
             self.log], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self.url = "http://127.0.0.1:%d" % self.port

    def requests(self):
        """The requests since the last call: (path, query, user agent)."""
        with open(self.log, encoding="utf-8") as f:
            lines = f.read().splitlines()
        open(self.log, "w").close()
        out = []
        for line in lines:
            _, path, query, ua = line.split(" ", 3)
            out.append((path, query, ua))
        return out

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def run(args, env=None):
    """Run citeconv in the source tree; returns (stderr + exit line,
    seconds)."""
    start = time.monotonic()
    p = subprocess.run([citeconv] + args, cwd=src, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=120)
    took = time.monotonic() - start
    check(p.stdout == "", "nothing on standard output")
    return p.stderr + "exit: %d\n" % p.returncode, took


def golden(name, text):
    path = os.path.join(src, "tests/golden/resolve", name + ".check")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    try:
        with open(path, encoding="utf-8") as f:
            want = f.read()
    except FileNotFoundError:
        fails.append("missing %s (run with UPDATE_GOLDEN=1)" % path)
        return
    if want != text:
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), text.splitlines(True), path, "actual"))
        fails.append("diagnostics differ from %s" % path)
    else:
        check(True, "")


def doi_hash(doi):
    """The cache's file name hash: FNV-1a, 64 bits, of the lower-cased
    DOI."""
    h = 1469598103934665603
    for b in doi.lower().encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "doi-%016x.json" % h


def count(reqs, prefix):
    return sum(1 for r in reqs if r[0].startswith(prefix))


def version():
    out = subprocess.run([citeconv, "--version"], stdout=subprocess.PIPE,
                         text=True).stdout
    return out.split("\n")[0].split(" ")[1]


tmp = tempfile.mkdtemp()
env = dict(os.environ)
env["XDG_CACHE_HOME"] = os.path.join(tmp, "xdg")
server = Server(tmp)
urls = ["--resolver-url=" + server.url, "--crossref-url=" + server.url,
        "--datacite-url=" + server.url + "/"]
cache = "--cache-dir=" + os.path.join(tmp, "cache")
try:
    if case == "refs-bib":
        text, _ = run(["--check", "--resolve", cache] + urls +
                      ["fixtures/resolve/refs.bib"], env)
        golden("refs.bib", text)
        reqs = server.requests()
        handles = [r[0] for r in reqs if r[0].startswith("/api/handles/")]
        # The DOI of two records (once with a URL prefix, upper case) is
        # asked once; a DOI wrong by syntax and a record with only a PMID
        # are not asked about.
        check(sorted(handles) == sorted(
            "/api/handles/" + d for d in
            ["10.5555/cc-good", "10.5555/cc-other", "10.5555/cc-typo",
             "10.5072/dc-dataset", "10.5072/dc-sensors", "10.1430/99999"]),
            "one handle request per distinct DOI: %s" % handles)
        check(count(reqs, "/doiRA/") == 5, "agency asked for the 5 found")
        check(sorted(r[0] for r in reqs if r[0].startswith("/works/")) ==
              ["/works/10.5555/cc-good", "/works/10.5555/cc-other"],
              "Crossref asked for its two DOIs")
        check(sorted(r[0] for r in reqs if r[0].startswith("/dois/")) ==
              ["/dois/10.5072/dc-dataset", "/dois/10.5072/dc-sensors"],
              "DataCite asked for its two DOIs")
        ua = "citeconv/" + version()
        check(all(r[2] == ua and r[1] == "-" for r in reqs),
              "User-Agent %s and nothing else without --mailto: %s" %
              (ua, reqs))
        check(not os.path.exists(os.path.join(tmp, "xdg")),
              "--cache-dir is used instead of the XDG directory")
    elif case == "refs-json":
        text, _ = run(["--check", "--resolve", "--no-cache",
                       "--mailto=lab@example.org"] + urls +
                      ["fixtures/resolve/refs.json"], env)
        golden("refs.json", text)
        reqs = server.requests()
        for path, query, ua in reqs:
            if path.startswith("/works/"):
                check(query == "mailto=lab@example.org" and
                      ua.endswith("(mailto:lab@example.org)"),
                      "Crossref gets the mailto: %s %s" % (query, ua))
            else:
                check(query == "-" and "mailto" not in ua,
                      "only Crossref gets the mailto: %s %s" % (path, ua))
        check(any("(TEST)0001-0002(199806)49:8<693::AID>3.0.CO;2-X" in r[0]
                  for r in reqs), "a DOI with <, >, ; and ( is asked for")
        check(not os.path.exists(os.path.join(tmp, "xdg")),
              "--no-cache writes no cache")
    elif case == "cache":
        args = ["--check", "--resolve"] + urls + ["fixtures/resolve/refs.bib"]
        first, _ = run(args, env)
        golden("refs.bib", first)
        check(len(server.requests()) == 15, "15 requests the first time")
        d = os.path.join(tmp, "xdg", "citeconv")
        check(os.path.exists(os.path.join(d, doi_hash("10.5555/cc-good"))),
              "cache in $XDG_CACHE_HOME/citeconv")
        again, _ = run(args, env)
        check(again == first, "same findings from the cache")
        check(server.requests() == [], "no request the second time")
        # A broken cache file is a miss, and is written again.
        with open(os.path.join(d, doi_hash("10.5555/cc-good")), "w") as f:
            f.write('{"doi": "10.5555/cc-good", "ti')
        again, _ = run(args, env)
        check(again == first, "same findings with a broken cache file")
        check([r[0] for r in server.requests()] ==
              ["/api/handles/10.5555/cc-good", "/doiRA/10.5555/cc-good",
               "/works/10.5555/cc-good"], "only the broken entry is asked")
        # "Not registered" is kept one day at most, whatever the TTL.
        path = os.path.join(d, doi_hash("10.5555/cc-typo"))
        with open(path, encoding="utf-8") as f:
            entry = f.read()
        check('"status":"not-registered"' in entry, "not registered cached")
        with open(path, "w", encoding="utf-8") as f:
            f.write(re.sub(r'"time":(\d+)',
                           lambda m: '"time":%d' % (int(m.group(1)) - 90000),
                           entry))
        again, _ = run(args, env)
        check(again == first, "same findings after 'not registered' aged")
        check([r[0] for r in server.requests()] ==
              ["/api/handles/10.5555/cc-typo"],
              "an aged 'not registered' is asked again")
        # TTL 0 and --no-cache: everything is asked again.
        again, _ = run(["--set", "resolve-cache-ttl=0"] + args, env)
        check(again == first and len(server.requests()) == 15,
              "resolve-cache-ttl=0 asks again")
        again, _ = run(["--no-cache"] + args, env)
        check(again == first and len(server.requests()) == 15,
              "--no-cache asks again")
        # An unwritable cache directory changes nothing.
        blocked = os.path.join(tmp, "file")
        open(blocked, "w").close()
        again, _ = run(["--cache-dir=" + blocked + "/sub"] + args, env)
        check(again == first, "an unusable cache directory changes nothing")
    elif case == "retry":
        text, took = run(["--check", "--resolve", cache] + urls +
                         ["fixtures/resolve/busy.bib"], env)
        golden("busy.bib", text)
        reqs = server.requests()
        check(count(reqs, "/api/handles/") == 2,
              "asked again after 429: %s" % reqs)
        check(took >= 0.9, "waited for Retry-After: 1 (%.2f s)" % took)
    elif case == "server-error":
        text, took = run(["--check", "--resolve", cache] + urls +
                         ["fixtures/resolve/down.bib"], env)
        golden("down.bib", text)
        check(count(server.requests(), "/api/handles/") == 4,
              "four attempts on 503")
        check(took < 10, "retries within %.1f s" % took)
        text, _ = run(["--check", "--resolve", "--strict", cache] + urls +
                      ["fixtures/resolve/down.bib"], env)
        check(text.endswith("exit: 1\n"), "--strict: exit 1 when unchecked")
        check(not os.listdir(os.path.join(tmp, "cache"))
              if os.path.isdir(os.path.join(tmp, "cache")) else True,
              "a failure is not cached")
    elif case == "budget":
        text, took = run(["--check", "--resolve", cache, "--set",
                          "resolve-budget=2"] + urls +
                         ["fixtures/resolve/slow.bib"], env)
        golden("slow.bib", text)
        check(took < 4.5, "ends within the budget of 2 s (%.2f s)" % took)
        check(took >= 1.9, "waits for the budget (%.2f s)" % took)
        # What was answered in time is cached; what was not, is not.
        check(os.listdir(os.path.join(tmp, "cache")) ==
              [doi_hash("10.5555/cc-good")], "only the answered DOI cached")
    elif case == "malformed":
        text, _ = run(["--check", "--resolve", cache] + urls +
                      ["fixtures/resolve/malformed-metadata.json"], env)
        golden("malformed-metadata.json", text)
    elif case == "unreachable":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        down = "http://127.0.0.1:%d" % port
        args = ["--check", "--resolve", cache, "--resolver-url=" + down,
                "--crossref-url=" + down, "--datacite-url=" + down,
                "fixtures/resolve/busy.bib"]
        text, took = run(args, env)
        golden("unreachable", text)
        check(took < 5, "gives up at once (%.2f s)" % took)
        text, _ = run(["--strict"] + args, env)
        check(text.endswith("exit: 1\n"), "--strict: exit 1 when unchecked")
        text, _ = run(["-q"] + args, env)
        check(text == "0 errors, 0 warnings in 1 record\nexit: 0\n",
              "-q hides the note: %r" % text)
    elif case == "batches":
        # 150 records, more than two batches of 64 DOIs, every tenth with
        # the title of another work: findings in the order of the records,
        # each DOI asked once, no more than --resolve-jobs at a time.
        items = []
        for i in range(150):
            items.append('{"id": "g%d", "type": "article-journal", '
                         '"title": "%s", "author": [{"family": "Gen"}], '
                         '"container-title": "J. Gen. Works", '
                         '"issued": {"date-parts": [[2000]]}, '
                         '"DOI": "10.5555/gen-%d"}' %
                         (i, ("Generated work number %d" if i % 10
                              else "Something else entirely, %d") % i, i))
        path = os.path.join(tmp, "many.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write("[\n" + ",\n".join(items) + "\n]\n")
        text, _ = run(["--check", "--resolve", "--no-cache",
                       "--resolve-jobs=3"] + urls + [path], env)
        lines = text.splitlines()
        mismatches = [ln for ln in lines if "[doi-metadata-mismatch]" in ln]
        check(len(mismatches) == 15, "15 mismatches: %d" % len(mismatches))
        rows = [int(ln.split(":")[1]) for ln in mismatches]
        check(rows == sorted(rows) and rows[0] == 2 and rows[-1] == 142,
              "in the order of the records: %s" % rows)
        check(lines[-2:] == ["0 errors, 15 warnings in 150 records",
                             "exit: 0"], "summary: %s" % lines[-4:])
        reqs = server.requests()
        check(count(reqs, "/api/handles/") == 150, "each DOI asked once")
        with urllib.request.urlopen(server.url + "/stats") as r:
            stats = json.load(r)
        most = stats["max-in-flight"]
        check(2 <= most <= 3, "1 < requests at once <= 3: %d" % most)
        # Crossref's public pool takes one request at a time.
        check(stats["max-at-crossref"] == 1,
              "one request at a time at Crossref: %d" %
              stats["max-at-crossref"])
    elif case == "after-budget":
        # Once the budget is spent, DOIs not seen before are taken from the
        # cache or reported unchecked at once, without a request; a DOI
        # answered before is still compared.
        run(["--check", "--resolve", cache] + urls +
            ["fixtures/resolve/busy.bib"], env)
        server.requests()

        def item(i, doi, title, family="Gen", year=2000):
            return ('{"id": "r%d", "type": "article-journal", "title": "%s", '
                    '"author": [{"family": "%s"}], '
                    '"issued": {"date-parts": [[%d]]}, "DOI": "%s"}' %
                    (i, title, family, year, doi))
        items = [item(0, "10.5555/cc-slow", "A very slow registry", "Ito",
                      2024)]
        items += [item(i, "10.5555/fast-%d" % i,
                       "Generated work number %d" % i) for i in range(1, 64)]
        items.append(item(64, "10.5555/fast-1", "Generated work number 1"))
        items.append(item(65, "10.5555/fast-100", "Generated work 100"))
        items.append(item(66, "10.5555/cc-busy", "Not what Ito wrote", "Ito",
                          2022))
        path = os.path.join(tmp, "late.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write("[\n" + ",\n".join(items) + "\n]\n")
        text, took = run(["--check", "--resolve", cache, "--mailto=a@b.c",
                          "--set", "resolve-budget=5"] + urls + [path], env)
        lines = [re.sub(r"^.*:(\d+):\d+: ", r"\1: ", ln)
                 for ln in text.splitlines()
                 if re.search(r"\[doi-(check|metadata|not)", ln)]
        check(lines == [
            "2: note: DOI '10.5555/cc-slow' could not be checked online: the "
            "time budget of 5 s ran out [doi-check-unavailable]",
            "67: note: DOI '10.5555/fast-100' could not be checked online: "
            "the time budget of 5 s ran out [doi-check-unavailable]",
            "68: warning: DOI '10.5555/cc-busy' is registered at Crossref for "
            "a work that differs from this record: title 'Waiting for Busy "
            "Servers'; check that the DOI is the right one "
            "[doi-metadata-mismatch]"],
            "findings after the budget: %s" % "\n".join(lines))
        reqs = server.requests()
        check(not any("fast-100" in r[0] or "cc-busy" in r[0] for r in reqs),
              "nothing asked after the budget: %s" % reqs[-3:])
        check(took < 7.5, "within the budget (%.2f s)" % took)
    elif case == "output-dir":
        # -O: each input checked by a job of its own; findings in the order
        # of the inputs, as without -O.
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        text, _ = run(["--check", "--resolve", cache, "-O", out, "-j", "2"] +
                      urls + ["fixtures/resolve/refs.bib",
                              "fixtures/resolve/malformed-metadata.json"],
                      env)
        golden("output-dir", text)
        check(sorted(os.listdir(out)) == ["malformed-metadata.json",
                                          "refs.json"],
              "one output per input name: %s" % os.listdir(out))
    elif case == "usage":
        text, _ = run(["--resolve", "fixtures/resolve/busy.bib"], env)
        check(text == "citeconv: --resolve goes with --check\nexit: 2\n",
              "--resolve needs --check: %r" % text)
        text, _ = run(["--check", "--resolve", "--resolve-jobs=x",
                       "fixtures/resolve/busy.bib"], env)
        check(text.endswith("exit: 2\n"), "--resolve-jobs takes a number")
        text, _ = run(["--check", "--resolve", "--set", "resolve-cache=maybe",
                       "fixtures/resolve/busy.bib"], env)
        check(text.endswith("exit: 2\n") and "resolve-cache" in text,
              "resolve-cache takes yes or no: %r" % text)
        check(server.requests() == [], "nothing asked")
    else:
        fails.append("unknown case " + case)
finally:
    server.stop()
    subprocess.run(["rm", "-rf", tmp])

for f in fails:
    print("FAIL:", f)
print("%d passed, %d failed" % (passes, len(fails)))
sys.exit(1 if fails else 0)
