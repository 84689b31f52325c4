"""Compare our reading of the RIS fixtures that come with a peer's
expected output (JabRef's .expected.bib, Zotero's .expected-zotero.json)
field by field, every field of the peer's output, the entry or item
type too. Every disagreement must be listed, with its reason, in
peer-disagreements.tsv; the test fails on an unlisted disagreement, on a
listed one that no longer occurs, or below the agreement reached so far
(95.6%, 241 of 252: JabRef 151 of 161, Zotero 90 of 91). The ten
disagreements with JabRef are JabRef readings that go against the RIS
specification or lose data; the one with Zotero is Zotero's (GEN read as
a journal article). The target is 97% (245 of 252): each further field
would mean reading A2 as authors, JO as the journal beside a full JF/T2,
AN as the issue, L2 over UR, AD as the publisher's place, eleven TY lines
as one record, or GEN as a journal article."""
import json
import os
import re
import subprocess
import sys
import unicodedata


def norm(s):
    s = unicodedata.normalize("NFC", str(s))
    s = re.sub(r"<[^>]+>", "", s)  # Zotero wraps notes in <p>
    s = s.replace("\u2013", "-").replace("--", "-")
    s = re.sub(r"\s+", " ", s).strip().rstrip(".").casefold()
    return s


def our_records(binary, path):
    """Our records from the debug dump: {var: [values]}; names as
    'family, given' in their role; issued as year and month."""
    out = subprocess.run([binary, "-q", "-f", "ris", "-t", "debug", "--set",
                          "debug-positions=no", path],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode("utf-8")
    recs = []
    for line in out.split("\n"):
        if line.startswith("record "):
            recs.append({})
            continue
        m = re.match(r'  extra ("(?:[^"\\]|\\.)*"): (".*")$', line)
        if m and recs:
            recs[-1].setdefault("extra:" + json.loads(m.group(1)), []).append(
                json.loads(m.group(2)))
            continue
        m = re.match(r"  (\S+?)(\[\d+\])?: (.*)$", line)
        if not m or not recs:
            continue
        key, idx, rest = m.groups()
        r = recs[-1]
        if key == "type":
            r.setdefault("type", []).append(rest)
        elif idx is not None:
            parts = dict(re.findall(r'(\S+?)=("(?:[^"\\]|\\.)*")', rest))
            parts = {k: json.loads(v) for k, v in parts.items()}
            fam = " ".join(x for x in (parts.get("non-dropping-particle"),
                                       parts.get("family")) if x)
            giv = " ".join(x for x in (parts.get("given"),
                                       parts.get("dropping-particle")) if x)
            name = parts.get("literal") or (fam + (", " + giv if giv else ""))
            r.setdefault(key, []).append(name)
        elif key in ("issued", "accessed"):
            d = re.match(r"(-?\d+)(?:-(\d\d))?(?:-(\d\d))?", rest)
            if d:
                r.setdefault(key + ".year", []).append(str(int(d.group(1))))
                if d.group(2):
                    r.setdefault(key + ".month", []).append(
                        str(int(d.group(2))))
                if d.group(3):
                    r.setdefault(key + ".day", []).append(str(int(d.group(3))))
        elif key == "extra":
            m2 = re.match(r'"([^"]+)": (".*")$', rest)
            if m2:
                r.setdefault("extra:" + m2.group(1), []).append(
                    json.loads(m2.group(2)))
        else:
            try:
                r.setdefault(key, []).append(json.loads(rest))
            except ValueError:
                r.setdefault(key, []).append(rest)
    # Further values of one-valued variables are extras (a second N1, AB,
    # N2): they are part of our reading too.
    for r in recs:
        for tag in ("N1",):
            r.setdefault("note", []).extend(r.get("extra:ris:" + tag, []))
        for tag in ("AB", "N2"):
            r.setdefault("abstract", []).extend(r.get("extra:ris:" + tag, []))
        r["comment"] = r.get("note", []) + [
            v for t in ("U1", "U2", "U3", "U4", "U5")
            for v in r.get("extra:ris:" + t, [])]
    return recs


MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}

# Peer field -> our variable(s); the first of ours that has a value is
# compared.
BIB = {
    "title": ["title"], "author": ["author"], "editor": ["editor"],
    "journal": ["container-title"], "booktitle": ["container-title"],
    "year": ["issued.year"], "month": ["issued.month"],
    "volume": ["volume"], "number": ["issue", "number"], "pages": ["page"],
    "doi": ["DOI"], "url": ["URL"], "abstract": ["abstract"],
    "keywords": ["keyword"], "publisher": ["publisher"],
    "address": ["publisher-place"], "issn": ["ISSN", "ISBN"],
    "isbn": ["ISBN"], "series": ["collection-title"],
    "language": ["language"], "comment": ["comment"], "note": ["note"],
    # RIS ID (the record's label), DB (the database) and ET (edition;
    # PubMed writes its electronic publication date there, which both
    # read as the edition); a thesis' PB is JabRef's school and our
    # publisher (the degree-granting institution); CA (caption) has no CSL
    # variable and is kept as an extra.
    "refid": ["id"], "database": ["archive"], "edition": ["edition"],
    "school": ["publisher"], "caption": ["extra:ris:CA"],
}
ZOT = {
    "title": ["title"], "publicationTitle": ["container-title"],
    "bookTitle": ["container-title"], "proceedingsTitle": ["container-title"],
    "journalAbbreviation": ["journalAbbreviation"], "date": ["issued"],
    "volume": ["volume"], "issue": ["issue"], "pages": ["page"],
    "DOI": ["DOI"], "url": ["URL"], "abstractNote": ["abstract"],
    "ISSN": ["ISSN"], "ISBN": ["ISBN"], "publisher": ["publisher"],
    "place": ["publisher-place"], "language": ["language"],
    "series": ["collection-title"], "edition": ["edition"],
    "callNumber": ["call-number"], "archiveLocation": ["archive_location"],
    "libraryCatalog": ["source"], "accessDate": ["accessed"],
    "patentNumber": ["number"], "reportNumber": ["number"],
    "shortTitle": ["title-short"], "numPages": ["number-of-pages"],
    # A patent's issuing organization (RIS A2 of a PAT) is CSL's
    # authority. Its application number (M1) and assignee (PB, the
    # patent's owner) have no CSL variable (a patent's number is its patent
    # number, its publisher not its owner): they belong in an extra of
    # their tag, as the values of other tags without a variable.
    "issuingAuthority": ["authority"],
    "applicationNumber": ["extra:ris:M1"], "assignee": ["extra:ris:PB"],
}

# Our CSL type -> the entry types and item types that say the same. A
# record's type agrees when the peer's is one of those of ours.
CSL_TO_BIB = {
    "article-journal": {"article"}, "article-magazine": {"article"},
    "article-newspaper": {"article"}, "book": {"book"},
    "chapter": {"incollection", "inbook"},
    "paper-conference": {"inproceedings", "conference"},
    "thesis": {"phdthesis", "mastersthesis", "thesis"},
    "report": {"techreport", "report"}, "manuscript": {"unpublished"},
    "patent": {"patent"}, "pamphlet": {"booklet"},
    "collection": {"collection"}, "periodical": {"periodical"},
    "webpage": {"online"}, "dataset": {"dataset"},
    "software": {"software"}, "standard": {"standard"},
    "document": {"misc"},
}
CSL_TO_ZOT = {
    "article-journal": {"journalArticle"},
    "article-magazine": {"magazineArticle"},
    "article-newspaper": {"newspaperArticle"}, "book": {"book"},
    "chapter": {"bookSection"}, "paper-conference": {"conferencePaper"},
    "thesis": {"thesis"}, "report": {"report"},
    "manuscript": {"manuscript"}, "patent": {"patent"},
    "webpage": {"webpage"}, "dataset": {"dataset"},
    "software": {"computerProgram"}, "standard": {"standard"},
    "motion_picture": {"film", "videoRecording"}, "graphic": {"artwork"},
    "map": {"map"}, "bill": {"bill"}, "legal_case": {"case"},
    "legislation": {"statute"}, "hearing": {"hearing"},
    "personal_communication": {"letter", "email"},
    "entry-dictionary": {"dictionaryEntry"},
    "entry-encyclopedia": {"encyclopediaArticle"},
    "post-weblog": {"blogPost"}, "speech": {"presentation"},
    "song": {"audioRecording"}, "interview": {"interview"},
    "broadcast": {"tvBroadcast", "radioBroadcast", "podcast"},
    "document": {"document"},
}


def type_row(field, value, ours, table):
    """The record's type: ours mapped to the peer's types. A merged
    record (several TY lines, see main) has the type of its last TY line,
    as each TY line sets the peer's type anew; it is compared with the
    type of our last record."""
    mine = (ours.get("type") or [""])[-1]
    return (field, value, mine, value in table.get(mine, set()))


def links(ours):
    """Our file links (L1, L4) in order, EndNote's 'internal-pdf://NAME'
    written as the peer writes it: 'PDF/NAME', the file in the PDF folder
    of the library the export came from."""
    out = []
    for tag in ("L1", "L4"):
        for v in ours.get("extra:ris:" + tag, []):
            if v.startswith("internal-pdf://"):
                v = "PDF/" + v[len("internal-pdf://"):]
            out.append(v)
    return out


ROLES = {"author": "author", "editor": "editor", "contributor": "editor",
         "seriesEditor": "collection-editor", "translator": "translator",
         "inventor": "author", "attorneyAgent": "editor",
         "bookAuthor": "editor"}


def bib_entries(path):
    """Fields of each entry of JabRef's expected file (simple form)."""
    text = open(path, encoding="utf-8").read()
    entries = []
    for m in re.finditer(r"@(\w+)\{[^,]*,(.*?)\n\}", text, re.S):
        fields = {"@type": m.group(1).lower()}
        for f in re.finditer(r"^\s*(\w+)\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\w+)",
                             m.group(2), re.M):
            v = f.group(2)
            fields[f.group(1).lower()] = v[1:-1] if v.startswith("{") else v
        entries.append(fields)
    return entries


def ids(values):
    """The identifiers of ISSN/ISBN lists ("0915-5287, 2187-5626")."""
    return {norm(p) for v in values for p in v.split(", ")}


def compare_bib(peer, ours):
    """(field, peer value, our value, agree) for each peer field."""
    res = []
    for field, value in peer.items():
        if field == "@type":
            res.append(type_row(field, value, ours, CSL_TO_BIB))
            continue
        if field not in BIB:
            # A field of the peer that nothing of ours is compared with
            # counts as a disagreement until it is mapped.
            res.append((field, value, "(not compared)", False))
            continue
        if field in ("author", "editor"):
            theirs = [norm(x) for x in value.split(" and ")]
            mine = [norm(x) for x in ours.get(BIB[field][0], [])]
            res.append((field, value, "; ".join(ours.get(BIB[field][0], [])),
                        theirs == mine))
            continue
        if field == "keywords":
            theirs = sorted(norm(x) for x in value.split(","))
            mine = sorted(norm(x) for x in ours.get("keyword", []))
            res.append((field, value, ", ".join(ours.get("keyword", [])),
                        theirs == mine))
            continue
        if field == "month":
            value = str(MONTHS.get(value.lower()[:3], value))
        mine_all = []
        for var in BIB[field]:
            mine_all = ours.get(var, [])
            if mine_all:
                break
        agree = any(norm(x) == norm(value) for x in mine_all)
        if field in ("issn", "isbn") and not agree:
            # Several SN are one list, "0915-5287, 2187-5626": the peer's
            # identifier agrees when it is one of ours.
            agree = norm(value) in ids(mine_all)
        if field in ("comment", "note", "abstract") and not agree:
            # JabRef joins several values (N1, U1...) with new lines.
            agree = norm(value) == norm(" ".join(x for x in mine_all if x))
            if field == "comment" and not agree:
                pieces = [norm(x) for x in value.split("\n") if x.strip()]
                agree = all(p in [norm(x) for x in mine_all] for p in pieces)
        res.append((field, value, " | ".join(mine_all), agree))
    return res


def zot_date(ours):
    y = (ours.get("issued.year") or [""])[0]
    m = (ours.get("issued.month") or [""])[0]
    d = (ours.get("issued.day") or [""])[0]
    parts = [y] + ([m.zfill(2)] if m else []) + ([d.zfill(2)] if d else [])
    return "-".join(p for p in parts if p)


def compare_zot(peer, ours):
    res = []
    for field, value in peer.items():
        if field == "creators":
            by_role = {}
            for c in value:
                role = ROLES.get(c.get("creatorType"), c.get("creatorType"))
                name = c.get("lastName", "")
                if c.get("firstName"):
                    name += ", " + c["firstName"]
                if c.get("fieldMode") == 1 or "name" in c:
                    name = c.get("name", name)
                by_role.setdefault(role, []).append(name)
            for role, names in by_role.items():
                mine = ours.get(role, [])
                res.append(("creators:" + role, "; ".join(names),
                            "; ".join(mine),
                            [norm(x) for x in names] == [norm(x) for x in mine]))
            continue
        if field == "tags":
            theirs = sorted(norm(t["tag"]) for t in value)
            mine = sorted(norm(x) for x in ours.get("keyword", []))
            if theirs or mine:
                res.append(("tags", ", ".join(t["tag"] for t in value),
                            ", ".join(ours.get("keyword", [])),
                            theirs == mine))
            continue
        if field == "notes":
            for n in value:
                mine = ours.get("note", []) + [
                    v for k, vs in ours.items() if k.startswith("extra:")
                    for v in vs]
                res.append(("notes", n["note"], " | ".join(ours.get("note", [])),
                            any(norm(n["note"]) in norm(x) or
                                norm(x) in norm(n["note"]) for x in mine)))
            continue
        if field == "itemType":
            res.append(type_row(field, value, ours, CSL_TO_ZOT))
            continue
        if isinstance(value, list) and not value:
            # An empty list (no attachments, no related items in seeAlso)
            # carries nothing to compare.
            continue
        if field == "attachments":
            # A file the peer attaches is one of our L1/L4 links; its title
            # is the file's name or a fixed word, nothing of the record.
            theirs = [a.get("path") or a.get("url", "") for a in value]
            mine = links(ours)
            res.append((field, " | ".join(theirs), " | ".join(mine),
                        theirs == mine))
            continue
        if field == "extra":
            # Zotero's extra holds, a line each, values of tags it has no
            # field for (here M2); each is one of our extras.
            mine = [v for k, vs in ours.items() if k.startswith("extra:ris:")
                    for v in vs]
            lines = [x for x in value.split("\n") if x.strip()]
            res.append((field, value, " | ".join(mine),
                        bool(lines) and all(any(norm(x) == norm(v)
                                                for v in mine)
                                            for x in lines)))
            continue
        if field == "issueDate":
            # A patent's date (PY/Y1/DA of a PAT): our issued date.
            mine = zot_date(ours)
            res.append((field, value, mine, norm(mine) == norm(value)))
            continue
        if field not in ZOT:
            res.append((field, json.dumps(value, ensure_ascii=False),
                        "(not compared)", False))
            continue
        if field == "date":
            mine = zot_date(ours)
            res.append((field, value, mine, norm(mine) == norm(value)))
            continue
        if field == "accessDate":
            y = ours.get("accessed.year", [""])[0]
            m = ours.get("accessed.month", [""])[0]
            d = ours.get("accessed.day", [""])[0]
            mine = "-".join(p for p in (y, m.zfill(2) if m else "",
                                        d.zfill(2) if d else "") if p)
            res.append((field, value, mine, value.startswith(mine) and mine))
            continue
        mine_all = []
        for var in ZOT[field]:
            mine_all = ours.get(var, [])
            if mine_all:
                break
        agree = any(norm(x) == norm(value) for x in mine_all)
        if field in ("ISSN", "ISBN") and not agree:
            agree = norm(value) in ids(mine_all)
        res.append((field, value, " | ".join(mine_all), agree))
    return res


def main():
    binary, folder, tsv = sys.argv[1], sys.argv[2], sys.argv[3]
    listed = {}
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            listed[(cols[0], cols[1], cols[2])] = cols[-1]
    total = agree = 0
    per_peer = {}
    found = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".expected.bib"):
            stem = name[:-len(".expected.bib")]
            peer = bib_entries(os.path.join(folder, name))
            cmp = compare_bib
        elif name.endswith(".expected-zotero.json"):
            stem = name[:-len(".expected-zotero.json")]
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                peer = json.load(f)
            cmp = compare_zot
        else:
            continue
        ours = our_records(binary, os.path.join(folder, stem + ".ris"))
        # Records are matched in order; a peer that merges records (JabRef
        # reads several TY lines as one record) is matched with the union
        # of ours, in order.
        if len(peer) == 1 and len(ours) > 1:
            merged = {}
            for r in ours:
                for k, v in r.items():
                    merged.setdefault(k, []).extend(v)
            ours = [merged]
        for i, p in enumerate(peer):
            o = ours[i] if i < len(ours) else {}
            peer_name = "JabRef" if cmp is compare_bib else "Zotero"
            for field, theirs, mine, ok in cmp(p, o):
                total += 1
                stat = per_peer.setdefault(peer_name, [0, 0])
                stat[1] += 1
                if ok:
                    agree += 1
                    stat[0] += 1
                else:
                    found.append((stem + ".ris", str(i + 1), field, theirs,
                                  mine))
    bad = 0
    seen = set()
    for f, rec, field, theirs, mine in found:
        key = (f, rec, field)
        seen.add(key)
        if not listed.get(key):
            bad += 1
            t = re.sub(r"\s+", " ", str(theirs))[:80]
            m = re.sub(r"\s+", " ", str(mine))[:80]
            print(f"unlisted\t{f}\t{rec}\t{field}\t{t}\t{m}\t")
    for key in listed:
        if key not in seen:
            bad += 1
            print("listed but agrees now:", "\t".join(key))
    for peer_name, (a, t) in sorted(per_peer.items()):
        print(f"{peer_name}: {a} of {t} fields agree ({100.0 * a / t:.1f}%)")
    pct = 100.0 * agree / total if total else 100.0
    print(f"{agree} of {total} peer fields agree ({pct:.1f}%), "
          f"{len(found)} disagreements")
    # A floor against regressions at what is reached (241 of 252, 95.6%).
    if pct < 95.6:
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
