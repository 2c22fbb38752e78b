#!/usr/bin/env python3
"""Compares two `vigil scan` JSON Lines outputs record by record on the contract's fields only (new fields are
allowed), and prints the first differences. Exit 0 when every record's contract fields are identical, 1 otherwise.

usage: compare.py BEFORE.jsonl AFTER.jsonl
"""
import json
import sys

CONTRACT = ["id", "verdict", "labels", "scores", "context", "language", "evidence", "legal_basis", "error", "source"]


def contract(line):
    record = json.loads(line)
    return json.dumps({k: record[k] for k in CONTRACT if k in record}, ensure_ascii=False, separators=(",", ":"))


def main(before_path, after_path):
    with open(before_path, encoding="utf-8") as f:
        before = [contract(l) for l in f if l.strip()]
    with open(after_path, encoding="utf-8") as f:
        after = [contract(l) for l in f if l.strip()]
    differ = [i for i, (b, a) in enumerate(zip(before, after)) if b != a]
    if len(before) != len(after):
        print(f"{after_path}: {len(after)} records, {len(before)} before")
    for i in differ[:5]:
        print(f"{after_path}: record {i + 1} differs\n  before: {before[i][:300]}\n  after:  {after[i][:300]}")
    print(f"{after_path}: {len(before) - len(differ)} of {len(before)} records identical")
    return 0 if not differ and len(before) == len(after) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
