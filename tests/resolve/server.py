#!/usr/bin/python3
"""A local stand-in for the DOI resolver, Crossref and DataCite, for the
tests of --resolve. Listens on 127.0.0.1 on a free port, prints the port on
standard output, and appends one line per request to LOG:
"GET <path> <User-Agent>".

    server.py LOG

Answers are shaped like the real services' documented ones:
  /api/handles/DOI  DOI Handbook REST API: {"responseCode":1,"handle":...,
                    "values":[...]}; 404 {"responseCode":100,...}
  /doiRA/DOI        [{"DOI": ..., "RA": "Crossref"}], or
                    [{"DOI": ..., "status": "DOI does not exist"}]
  /works/DOI        Crossref REST API: {"status":"ok","message-type":"work",
                    "message":{...}}; 404 "Resource not found."
  /dois/DOI         DataCite REST API (JSON:API): {"data":{"id":...,
                    "type":"dois","attributes":{...}}}; 404 {"errors":[...]}
Some DOIs misbehave on purpose (see SPECIAL). DOIs 10.5555/gen-N are
registered for made-up works (generated()) and answered after 50 ms, so
that requests overlap (10.5555/fast-N: at once). GET /stats gives the most
requests seen at once, in all and at /works/.
"""
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STAMP = "2019-05-02T10:11:12Z"


def crossref(doi, title, authors, year, container, short=None, subtitle=None,
             kind="journal-article"):
    """A Crossref work as /works/DOI gives it (trimmed to common fields)."""
    msg = {
        "indexed": {"date-parts": [[2024, 1, 15]],
                    "date-time": "2024-01-15T08:00:00Z",
                    "timestamp": 1705305600000},
        "reference-count": 12,
        "publisher": "Test Publisher",
        "issue": "3",
        "content-domain": {"domain": [], "crossmark-restriction": False},
        "short-container-title": [short] if short else [],
        "published-print": {"date-parts": [[year, 5]]},
        "DOI": doi,
        "type": kind,
        "created": {"date-parts": [[year, 4, 2]],
                    "date-time": "%d-04-02T10:11:12Z" % year,
                    "timestamp": 1554199872000},
        "page": "101-110",
        "source": "Crossref",
        "is-referenced-by-count": 3,
        "title": [title],
        "prefix": doi.split("/")[0],
        "volume": "12",
        "author": authors,
        "member": "7822",
        "container-title": [container] if container else [],
        "original-title": [],
        "language": "en",
        "link": [],
        "deposited": {"date-parts": [[year, 5, 2]],
                      "date-time": "%d-05-02T10:11:12Z" % year,
                      "timestamp": 1556791872000},
        "score": 1,
        "resource": {"primary": {"URL": "https://example.org/" + doi}},
        "subtitle": [subtitle] if subtitle else [],
        "issued": {"date-parts": [[year, 5, 2]]},
        "references-count": 12,
        "URL": "https://doi.org/" + doi,
        "ISSN": ["1234-5679"],
        "issn-type": [{"type": "print", "value": "1234-5679"}],
        "published": {"date-parts": [[year, 5, 2]]},
    }
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0",
            "message": msg}


def person(given, family, first):
    return {"given": given, "family": family,
            "sequence": "first" if first else "additional", "affiliation": []}


def datacite(doi, title, creator, year, publisher, subtitle=None,
             container=None):
    """A DataCite DOI as /dois/DOI gives it (JSON:API, trimmed)."""
    y = int(year)  # DataCite gives publicationYear as a number or a string
    titles = [{"title": title}]
    if subtitle:
        titles.append({"title": subtitle, "titleType": "Subtitle"})
    attrs = {
        "doi": doi,
        "identifiers": [],
        "creators": [creator],
        "titles": titles,
        "publisher": publisher,
        "container": container or {},
        "publicationYear": year,
        "subjects": [],
        "contributors": [],
        "dates": [{"date": str(y), "dateType": "Issued"}],
        "language": "en",
        "types": {"ris": "DATA", "bibtex": "misc", "citeproc": "dataset",
                  "schemaOrg": "Dataset", "resourceType": "Dataset",
                  "resourceTypeGeneral": "Dataset"},
        "relatedIdentifiers": [],
        "sizes": [],
        "formats": [],
        "version": None,
        "rightsList": [],
        "descriptions": [],
        "geoLocations": [],
        "fundingReferences": [],
        "url": "https://example.org/" + doi,
        "schemaVersion": "http://datacite.org/schema/kernel-4",
        "state": "findable",
        "created": "%d-03-01T12:00:00.000Z" % y,
        "registered": "%d-03-01T12:00:01.000Z" % y,
        "published": str(y),
        "updated": "%d-03-01T12:00:01.000Z" % y,
    }
    return {"data": {"id": doi, "type": "dois", "attributes": attrs,
                     "relationships": {"client": {"data": {
                         "id": "test.repository", "type": "clients"}}}}}


def dc_person(given, family):
    return {"name": "%s, %s" % (family, given), "nameType": "Personal",
            "givenName": given, "familyName": family, "affiliation": [],
            "nameIdentifiers": []}


SICI = "10.5555/(TEST)0001-0002(199806)49:8<693::AID>3.0.CO;2-X"

# Registered DOIs: lower-cased DOI -> (agency, metadata answer or None).
REGISTRY = {
    "10.5555/cc-good": ("Crossref", crossref(
        "10.5555/cc-good", "Catalytic Oxidation of Test Compounds in Water",
        [person("Jane", "Doe", True), person("Richard", "Roe", False)], 2019,
        "Journal of Test Chemistry", short="J. Test Chem.")),
    "10.5555/cc-other": ("Crossref", crossref(
        "10.5555/cc-other", "Thermal Properties of Fictional Alloys",
        [person("Petr", "Novak", True)], 2011,
        "Materials Letters of Testing", short="Mater. Lett. Test.")),
    "10.5555/cc-markup": ("Crossref", crossref(
        "10.5555/cc-markup",
        "<i>In Vitro</i> Tests of CO<sub>2</sub> Uptake &amp; Release",
        [person("Ana", "van der Berg", True)], 2020,
        "Proceedings of the National Academy of Sciences of the United "
        "States of America", short="Proc. Natl. Acad. Sci. U.S.A.")),
    "10.5555/cc-consortium": ("Crossref", crossref(
        "10.5555/cc-consortium", "Shared Protocols for Test Laboratories",
        [{"name": "Test Laboratories Consortium", "sequence": "first",
          "affiliation": []}], 2018, "Journal of Test Chemistry",
        subtitle="A Consensus Statement")),
    "10.5555/cc-conference": ("Crossref", crossref(
        "10.5555/cc-conference", "Learning to Test Learners",
        [person("Ola", "Nordmann", True)], 2020,
        "Proceedings of the 37th International Conference on Test Learning",
        kind="proceedings-article")),
    "10.5555/cc-busy": ("Crossref", crossref(
        "10.5555/cc-busy", "Waiting for Busy Servers",
        [person("Ken", "Ito", True)], 2022, "Journal of Test Chemistry")),
    "10.5555/cc-down": ("Crossref", None),
    "10.5555/cc-slow": ("Crossref", None),
    "10.5555/cc-malformed": ("Crossref", None),
    SICI.lower(): ("Crossref", crossref(
        SICI, "Identifiers with Awkward Characters",
        [person("Lin", "Chen", True)], 1998,
        "Journal of Test Chemistry")),
    "10.5072/dc-dataset": ("DataCite", datacite(
        "10.5072/dc-dataset", "Measurements of Test Flow Rates",
        dc_person("Richard", "Roe"), 2021, "Test Data Repository",
        subtitle="Raw Data and Scripts")),
    "10.5072/dc-sensors": ("DataCite", datacite(
        "10.5072/dc-sensors", "Calibration Series for Test Sensors",
        {"name": "Roe, Richard", "nameType": "Personal", "affiliation": [],
         "nameIdentifiers": []}, "2022", "Test Data Repository",
        container={"type": "Series", "title": "Test Sensor Data"})),
    "10.1430/99999": ("mEDRA", None),
}

# DOI -> what goes wrong.
SPECIAL = {
    "10.5555/cc-busy": "429 once",     # handle API: 429, Retry-After: 1
    "10.5555/cc-down": "503",          # handle API: always 503, Retry-After: 1
    "10.5555/cc-slow": "slow",         # handle API: answers after 10 s
    "10.5555/cc-malformed": "broken",  # Crossref: JSON cut short
}

lock = threading.Lock()
seen = {}
flying = {"now": 0, "max": 0, "works": 0, "works-max": 0}


def generated(doi):
    """Registry entry of 10.5555/gen-N: 'Generated work N' by Gen, 2000."""
    n = doi.split("-", 1)[1]
    return ("Crossref", crossref(doi, "Generated work number %s" % n,
                                 [person("Ann", "Gen", True)], 2000,
                                 "Journal of Generated Works"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        works = self.path.startswith("/works/")
        with lock:
            flying["now"] += 1
            flying["max"] = max(flying["max"], flying["now"])
            flying["works"] += works
            flying["works-max"] = max(flying["works-max"], flying["works"])
        try:
            self.get()
        finally:
            with lock:
                flying["now"] -= 1
                flying["works"] -= works

    def get(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/stats":
            return self.send(200, {"max-in-flight": flying["max"],
                                   "max-at-crossref": flying["works-max"]})
        path = urllib.parse.unquote(url.path)
        with lock:
            with open(sys.argv[1], "a", encoding="utf-8") as log:
                log.write("GET %s %s %s\n" % (
                    path, url.query or "-",
                    self.headers.get("User-Agent", "-")))
        for prefix, kind in (("/api/handles/", "handle"), ("/doiRA/", "ra"),
                             ("/works/", "crossref"), ("/dois/", "datacite")):
            if path.startswith(prefix):
                return self.answer(kind, path[len(prefix):])
        self.send(404, {"error": "no such service"})

    def answer(self, kind, doi):
        key = doi.lower()
        entry = REGISTRY.get(key)
        if key.startswith("10.5555/gen-") or key.startswith("10.5555/fast-"):
            entry = generated(doi)
            if key.startswith("10.5555/gen-"):
                time.sleep(0.05)
        special = SPECIAL.get(key)
        if kind == "handle":
            with lock:
                seen[key] = seen.get(key, 0) + 1
                count = seen[key]
            if special == "429 once" and count == 1:
                return self.send(429, {"responseCode": 2, "handle": doi,
                                       "message": "Too many requests"},
                                 headers=[("Retry-After", "1")])
            if special == "503":
                return self.send(503, b"Service Unavailable", "text/plain",
                                 headers=[("Retry-After", "1")])
            if special == "slow":
                time.sleep(10)
            if not entry:
                return self.send(404, {"responseCode": 100, "handle": doi})
            return self.send(200, {
                "responseCode": 1, "handle": doi,
                "values": [
                    {"index": 1, "type": "URL",
                     "data": {"format": "string",
                              "value": "https://example.org/" + doi},
                     "ttl": 86400, "timestamp": STAMP},
                    {"index": 100, "type": "HS_ADMIN",
                     "data": {"format": "admin",
                              "value": {"handle": "0.na/" + doi.split("/")[0],
                                        "index": 200,
                                        "permissions": "111111110010"}},
                     "ttl": 86400, "timestamp": STAMP}]})
        if kind == "ra":
            if not entry:
                return self.send(200, [{"DOI": doi,
                                        "status": "DOI does not exist"}])
            return self.send(200, [{"DOI": doi, "RA": entry[0]}])
        if kind == "crossref":
            if special == "broken":
                return self.send(200, b'{"status":"ok","message-type":"work",'
                                      b'"message":{"title":["Cut sho')
            if not entry or entry[0] != "Crossref" or not entry[1]:
                return self.send(404, b"Resource not found.", "text/plain")
            return self.send(200, entry[1])
        if not entry or entry[0] != "DataCite" or not entry[1]:
            return self.send(404, {"errors": [{
                "status": "404",
                "title": "The resource you are looking for doesn't exist."}]},
                "application/vnd.api+json")
        return self.send(200, entry[1], "application/vnd.api+json")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up on a slow answer is no error here


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
