#!/usr/bin/env python3
"""Validate CSL-JSON files against the CSL-JSON schema.

usage: validate_schema.py SCHEMA FILE...   (a FILE ending in .ndjson holds
one item per line; each line is validated as a one-item array)"""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            if path.endswith(".ndjson"):
                docs = [[json.loads(line)] for line in f if line.strip()]
            else:
                docs = [json.load(f)]
        for doc in docs:
            for err in validator.iter_errors(doc):
                bad += 1
                where = "/".join(str(p) for p in err.absolute_path)
                print(f"{path}: {where}: {err.message[:300]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
