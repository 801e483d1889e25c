#!/usr/bin/env python3
"""The store import peer: pandas.read_csv + DataFrame.to_sql into a new SQLite file.
usage: pandas_sqlite.py EVENTS_CSV   (prints one JSON line like the shared peers)
Timed: read_csv (pandas, C engine, dates parsed) and to_sql (sqlite3, one table,
executemany in chunks, default settings) into a fresh file under /tmp."""
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time

import pandas as pd

path = sys.argv[1]
db = os.path.join(tempfile.mkdtemp(prefix="pandas-sqlite-"), "events.sqlite")
phases = {}
t0 = time.perf_counter()
df = pd.read_csv(path, parse_dates=["event_date"])
phases["read_csv"] = time.perf_counter() - t0
t1 = time.perf_counter()
con = sqlite3.connect(db)
df.to_sql("events", con, index=False, chunksize=10000)
con.commit()
rows = con.execute("select count(*) from events").fetchone()[0]
con.close()
phases["to_sql"] = time.perf_counter() - t1
print(json.dumps({
    "peer": f"pandas-{pd.__version__} + sqlite3 to_sql",
    "workload": "W1store",
    "total_s": round(sum(phases.values()), 4),
    "phases_s": {k: round(v, 4) for k, v in phases.items()},
    "timed": list(phases),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "check": {"rows": int(rows)},
}))
