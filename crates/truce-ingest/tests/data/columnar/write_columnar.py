#!/usr/bin/env python3
"""Writes the Parquet and Arrow IPC fixtures in this folder from the real CSV
fixtures beside it, each with the tool a user would write it with, as that
tool writes it by default (types inferred, its own compression).

usage: python3 write_columnar.py   (from this folder; needs pandas, pyarrow,
polars, duckdb, geopandas and shapely: the versions of bench/peers)

The rows are those of ../ged191_syria_subset.csv, ../ged_ukraine_subset.csv
and ../gdelt2_events_20170701234500_sample.tsv; only the container differs.
"""
import os

import duckdb
import geopandas
import pandas
import polars
import pyarrow.feather
import shapely

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
SYRIA = os.path.join(DATA, "ged191_syria_subset.csv")
UKRAINE = os.path.join(DATA, "ged_ukraine_subset.csv")
GDELT = os.path.join(DATA, "gdelt2_events_20170701234500_sample.tsv")


def out(name):
    return os.path.join(HERE, name)


# pandas + pyarrow (snappy): dates parsed to timestamps, counts as integers.
syria = pandas.read_csv(SYRIA, parse_dates=["date_start", "date_end"])
syria.to_parquet(out("ged_syria_pandas.parquet"), index=False)

# polars (zstd): strings as views, dates parsed where polars sees them.
polars.read_csv(UKRAINE, try_parse_dates=True).write_parquet(out("ged_ukraine_polars.parquet"))

# DuckDB (snappy): its own type inference (DATE and TIMESTAMP columns).
duckdb.sql(
    f"COPY (SELECT * FROM read_csv('{SYRIA}')) TO '{out('ged_syria_duckdb.parquet')}' (FORMAT parquet)"
)

# GeoPandas: the point as a WKB geometry column with GeoParquet metadata, and
# no latitude or longitude column left.
points = shapely.points(syria["longitude"], syria["latitude"])
geo = geopandas.GeoDataFrame(
    syria.drop(columns=["latitude", "longitude"]), geometry=points, crs="EPSG:4326"
)
geo.to_parquet(out("ged_syria_geopandas.parquet"), index=False)

# Arrow IPC file (Feather v2, lz4 by default) and stream.
ukraine = pandas.read_csv(UKRAINE)
pyarrow.feather.write_feather(ukraine, out("ged_ukraine.feather"))
table = pyarrow.Table.from_pandas(ukraine, preserve_index=False)
with pyarrow.ipc.new_stream(out("ged_ukraine.arrows"), table.schema) as writer:
    writer.write_table(table)

# GDELT 2.0 rows under the codebook's names (the export has no header).
names = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode",
    "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode",
    "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code",
    "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long",
    "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
]
gdelt = pandas.read_csv(
    GDELT, sep="\t", header=None, names=names, quoting=3,
    dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str},
)
gdelt.to_parquet(out("gdelt2_sample.parquet"), index=False)
