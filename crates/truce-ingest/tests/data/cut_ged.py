#!/usr/bin/env python3
"""Cuts the small UCDP GED fixtures in this folder from the full files.

usage: python3 cut_ged.py SYRIA_CSV UKRAINE_CSV OUTDIR

Rows are copied byte for byte (including multi-line quoted cells), in file order;
only the choice of rows is ours (see README.md).
"""
import csv
import io
import sys


def records(path):
    """(row dict, raw text of the record) for each record of a CSV file."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    text = "\n".join(lines)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    start = reader.line_num
    out = []
    for row in reader:
        end = reader.line_num
        raw = "\n".join(lines[start:end])
        out.append((dict(zip(header, row)), raw))
        start = end
    return lines[0], out


def pick(rows, pred, n, chosen):
    got = 0
    for i, (r, _) in enumerate(rows):
        if got >= n:
            break
        if i not in chosen and pred(r):
            chosen.add(i)
            got += 1


def unordered(r):
    """GED rows whose low, best, high are not in order (they exist)."""
    return not int(r["low"]) <= int(r["best"]) <= int(r["high"])


def write(path, header, rows, chosen):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        for i in sorted(chosen):
            f.write(rows[i][1] + "\n")


def main():
    syria, ukraine, out = sys.argv[1:4]

    header, rows = records(syria)
    chosen = set()
    # the 12 Sep 2016 arrangement (its first week) and the 27 Feb 2016 cessation (first days)
    pick(rows, lambda r: "2016-09-12" <= r["date_start"] <= "2016-09-20", 10_000, chosen)
    pick(rows, lambda r: "2016-02-27" <= r["date_start"] <= "2016-02-29", 10_000, chosen)
    # every date and location precision, one-sided violence, coalitions, multi-line cells
    for prec in "2345":
        pick(rows, lambda r, p=prec: r["date_prec"] == p, 8, chosen)
    for prec in "3456":
        pick(rows, lambda r, p=prec: r["where_prec"] == p, 6, chosen)
    pick(rows, lambda r: r["type_of_violence"] == "3", 10, chosen)
    pick(rows, lambda r: ", " in r["side_a"] or ", " in r["side_b"], 8, chosen)
    pick(rows, lambda r: any("\n" in v for v in r.values()), 4, chosen)
    pick(rows, lambda r: r["adm_1"] == "" or r["adm_2"] == "", 4, chosen)
    pick(rows, unordered, 3, chosen)
    pick(rows, lambda r: r["year"] in ("2018", "2019"), 300 - len(chosen), chosen)
    write(f"{out}/ged191_syria_subset.csv", header, rows, chosen)

    header, rows = records(ukraine)
    chosen = set()
    pick(rows, lambda r: r["year"] == "2014", 2, chosen)
    pick(rows, lambda r: "2015-02-15" <= r["date_start"] <= "2015-02-28", 24, chosen)
    for prec in "345":
        pick(rows, lambda r, p=prec: r["date_prec"] == p, 3, chosen)
    for prec in "3567":
        pick(rows, lambda r, p=prec: r["where_prec"] == p, 2, chosen)
    pick(rows, lambda r: r["active_year"] == "False", 2, chosen)
    pick(rows, lambda r: any("\n" in v for v in r.values()), 2, chosen)
    pick(rows, unordered, 2, chosen)
    pick(rows, lambda r: r["year"] >= "2020", 50 - len(chosen), chosen)
    write(f"{out}/ged_ukraine_subset.csv", header, rows, chosen)


if __name__ == "__main__":
    main()
