#!/usr/bin/env python3
"""Cuts truce-extract's gazetteer files from the shared data (see data/README.md).

usage: python3 cut.py SHARED_DATA_DIR OUT_DIR

- places_<cc>.tsv: GeoNames cities500 rows for SY, UA, YE, as they are (CC BY 4.0).
- admin1.tsv: one row per first-order administrative unit from Natural Earth's
  admin-1 polygons (public domain): country code, name, its alternate names
  (Natural Earth's `name_alt`, `gn_name`, `name_en`, and the Arabic `name_ar`
  without the word "محافظة", governorate), Natural Earth's label point, and
  GeoNames' admin1 code of the unit (Natural Earth's `gn_a1_code`).
"""
import json
import os
import shutil
import sys

shared, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for cc in ("sy", "ua", "ye"):
    shutil.copyfile(
        os.path.join(shared, "gazetteer-geonames", f"geonames_cities500_{cc}.tsv"),
        os.path.join(out, f"places_{cc}.tsv"),
    )
rows = []
for cc, name in (("SY", "syr"), ("UA", "ukr"), ("YE", "yem")):
    path = os.path.join(shared, "boundaries-natural-earth-admin1", f"ne_10m_admin1_{name}.geojson")
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    for feature in features:
        p = feature["properties"]
        names = []
        for field in ("name_alt",):
            if p.get(field):
                names.extend(n.strip() for n in p[field].split("|"))
        for field in ("gn_name", "name_en", "woe_name"):
            if p.get(field):
                names.append(p[field].strip())
        if p.get("name_ar"):
            names.append(p["name_ar"].replace("محافظة", "").replace("أوبلاست", "").strip())
        alternates = sorted({n for n in names if n and n != p["name"]})
        # GeoNames' admin1 code of the unit (`SY.09`), so a GeoNames place knows its unit.
        code = (p.get("gn_a1_code") or "").split(".")[-1]
        rows.append((cc, p["name"], ",".join(alternates), f'{p["latitude"]:.5f}', f'{p["longitude"]:.5f}', code))
with open(os.path.join(out, "admin1.tsv"), "w", encoding="utf-8") as f:
    f.write("country\tname\talternatenames\tlatitude\tlongitude\tgeonames_admin1\n")
    for row in sorted(rows):
        f.write("\t".join(row) + "\n")
print(f"{len(rows)} admin-1 units written")
