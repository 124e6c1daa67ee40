#!/usr/bin/env python3
"""A small reference importer for knot-bench: what filing referral letters costs with lxml
(libxml2) and sqlite3 alone, to compare `knot import` with.

Each letter is read whole, validated against the same schema Knot uses (knot-referral-1.xsd or
knot-cda-profile-1.xsd), mapped (patient, identifiers, author, sections as text), matched to a
patient on file (identifier first, then folded name and birth date through an index) and filed
with its SHA-256 so a second import is a no-op: one durable transaction per letter
(--batch 1, WAL, synchronous=FULL as Knot) or --batch N letters to one.

    reference_import.py --schemas Schemas --db out.sqlite --batch 500 FILE...
Prints one JSON line: {"seconds": ..., "filed": ..., "skipped": ..., "matched": ..., "rejected": ...}.
"""
import argparse, hashlib, json, os, sqlite3, sys, time, unicodedata
from lxml import etree

KNOT = "{urn:knot:referral:1}"
HL7 = "{urn:hl7-org:v3}"

def fold(name):
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if (c.isalnum() or c.isspace()) and not unicodedata.combining(c))
    return " ".join(s.split())

def text(node, path):
    found = node.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""

def map_knot(root):
    p = root.find(KNOT + "patient")
    ids = [(i.get("system"), (i.text or "").strip()) for i in p.findall(KNOT + "identifier")]
    return dict(given=text(p, KNOT + "givenNames"), family=text(p, KNOT + "familyName"), dob=text(p, KNOT + "dateOfBirth"),
                ids=ids, author=text(root, KNOT + "referrer/" + KNOT + "name"),
                body="\n".join(text(root, KNOT + t) for t in ("reason", "history", "medications", "allergies")))

def map_cda(root):
    role = root.find(f"{HL7}recordTarget/{HL7}patientRole")
    p = role.find(HL7 + "patient")
    ids = [(i.get("root"), i.get("extension") or "") for i in role.findall(HL7 + "id")]
    birth = p.find(HL7 + "birthTime").get("value", "")
    author = root.find(f"{HL7}author/{HL7}assignedAuthor/{HL7}assignedPerson/{HL7}name")
    sections = [text(s, HL7 + "title") + "\n" + " ".join("".join(s.find(HL7 + "text").itertext()).split())
                for s in root.iter(HL7 + "section")]
    return dict(given=text(p, f"{HL7}name/{HL7}given"), family=text(p, f"{HL7}name/{HL7}family"),
                dob=f"{birth[0:4]}-{birth[4:6]}-{birth[6:8]}", ids=ids,
                author=" ".join(author.itertext()) if author is not None else "", body="\n\n".join(sections))

SCHEMA = """
CREATE TABLE IF NOT EXISTS patient (id INTEGER PRIMARY KEY, given TEXT NOT NULL, family TEXT NOT NULL, dob TEXT NOT NULL, sort_name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS patient_birth_sort ON patient(dob, sort_name);
CREATE TABLE IF NOT EXISTS patient_identifier (patient_id INTEGER NOT NULL REFERENCES patient(id), system TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (system, value));
CREATE TABLE IF NOT EXISTS referral (id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patient(id), author TEXT, body TEXT, letter BLOB NOT NULL, sha256 TEXT NOT NULL UNIQUE);
"""

def file_letter(c, m, data, sha):
    """Files one mapped letter; returns 'created' or 'matched'."""
    pid = None
    for system, value in m["ids"]:
        row = c.execute("SELECT patient_id FROM patient_identifier WHERE system = ? AND value = ?", (system, value)).fetchone()
        if row: pid = row[0]; break
    sort_name = fold(m["family"]) + " " + fold(m["given"])
    if pid is None:
        row = c.execute("SELECT id FROM patient WHERE dob = ? AND sort_name = ?", (m["dob"], sort_name)).fetchone()
        if row: pid = row[0]
    status = "matched"
    if pid is None:
        pid = c.execute("INSERT INTO patient (given, family, dob, sort_name) VALUES (?, ?, ?, ?)",
                        (m["given"], m["family"], m["dob"], sort_name)).lastrowid
        c.executemany("INSERT INTO patient_identifier (patient_id, system, value) VALUES (?, ?, ?)", [(pid, s, v) for s, v in m["ids"]])
        status = "created"
    c.execute("INSERT INTO referral (patient_id, author, body, letter, sha256) VALUES (?, ?, ?, ?, ?)", (pid, m["author"], m["body"], data, sha))
    return status

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    start = time.perf_counter()
    schemas = {KNOT + "referral": (etree.XMLSchema(etree.parse(os.path.join(a.schemas, "knot-referral-1.xsd"))), map_knot),
               HL7 + "ClinicalDocument": (etree.XMLSchema(etree.parse(os.path.join(a.schemas, "knot-cda-profile-1.xsd"))), map_cda)}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    c = sqlite3.connect(a.db, isolation_level=None)
    c.execute("PRAGMA journal_mode = WAL"); c.execute("PRAGMA synchronous = FULL"); c.execute("PRAGMA foreign_keys = ON")
    c.executescript(SCHEMA)
    counts = dict(created=0, matched=0, skipped=0, rejected=0)
    in_batch = 0
    for path in a.files:
        with open(path, "rb") as f: data = f.read()
        sha = hashlib.sha256(data).hexdigest()
        if in_batch == 0: c.execute("BEGIN IMMEDIATE")
        if c.execute("SELECT 1 FROM referral WHERE sha256 = ?", (sha,)).fetchone():
            counts["skipped"] += 1
        else:
            try:
                root = etree.fromstring(data, parser)
                schema, mapper = schemas[root.tag]
                schema.assertValid(root)
                m = mapper(root)
                c.execute("SAVEPOINT letter")
                try:
                    counts[file_letter(c, m, data, sha)] += 1
                    c.execute("RELEASE letter")
                except sqlite3.Error:
                    c.execute("ROLLBACK TO letter"); c.execute("RELEASE letter")
                    counts["rejected"] += 1
            except (etree.XMLSyntaxError, etree.DocumentInvalid, KeyError, AttributeError):
                counts["rejected"] += 1
        in_batch += 1
        if in_batch >= a.batch:
            c.execute("COMMIT"); in_batch = 0
    if in_batch: c.execute("COMMIT")
    c.close()
    counts["seconds"] = time.perf_counter() - start
    print(json.dumps(counts))

if __name__ == "__main__":
    sys.exit(main())
