"""Independent per-day count of ceasefire violations in Donetsk and Luhansk oblasts, 6 Sep - 31 Oct 2014.

Written from the agreement's terms (agreement.toml, README.md) and the GED data, not from
truce's code, so truce's step counts can be checked against it. Python 3 stdlib only.

    python3 examples/ukraine-minsk-2014/count.py     (prints CSV: day,certain,possible_upper)

Rules (one GED row = one report; the ceasefire began at 18:00 Kyiv time on 5 Sep 2014, so
the window starts on the first full day, 6 Sep):
  * Sides. side_a / side_b are split on ", " (GED's coalition separator; no 2014 Ukraine row
    has one). A side is BOUND when every member is an actor of a party: "Government of
    Ukraine" (ukraine); "DPR", "LPR", "United Armed Forces of Novorossiya"
    (donbas-formations); "Government of Russia (Soviet Union)" (russia, no row). NOT BOUND
    when every member is a known outside actor ("Maidan", Kyiv protests, Jan-Feb 2014), and
    PARTLY bound otherwise (a name the agreement does not list).
  * Violation, certain: a state-based or non-state row (type_of_violence 1, 2) with both
    sides bound (GED does not say who fired, but fire between the parties breaks the
    ceasefire whoever started), or a one-sided row (type 3) whose perpetrator side_a is
    bound (the clause protects anyone; the file has no type 3 row). Possible: the same with
    a side only partly bound. A row with a side not bound is no violation.
  * Set aside, never counted per day: event_clarity 2 (aggregates over weeks or months),
    where_prec 6 or 7 (only the country is known), and date spans (date_end - date_start)
    longer than 7 days. They are listed in the header line.
  * CERTAIN column: single-day rows (date_start == date_end) with adm_1 "Donetsk oblast" or
    "Luhansk oblast" (GED's spellings, lower-case "oblast") and a certain violation.
  * POSSIBLE_UPPER column: the certain rows plus possible violations in the zone, plus rows
    dated over 2-8 calendar days (span 1-7) counted on every day of their span inside the
    window, plus rows without adm_1 (where_prec <= 5; GED's "Donets Basin Area" front-line
    rows) as possibly in the zone.
  * Not counted (truce may count them on its upper bound): rows of neighbouring oblasts
    (Kharkiv, Zaporizhzhia, Dnipropetrovsk) near the zones' edges.
"""
import csv
import datetime
import os
import sys
from pathlib import Path

CSV = Path(__file__).parent / "data" / "ged_ukraine_2014.csv"
FIRST, LAST = datetime.date(2014, 9, 6), datetime.date(2014, 10, 31)
ZONE_ADM1 = {"Donetsk oblast", "Luhansk oblast"}
MAX_SPAN = 7

# GED names of actors that answer to a party (agreement.toml [[actor]] name/aliases).
BOUND = {
    "Government of Ukraine",                                   # ukraine
    "DPR", "LPR", "United Armed Forces of Novorossiya",         # donbas-formations
    "Government of Russia (Soviet Union)",                     # russia (no GED row)
}
# Known names that answer to no party (outside): the Kyiv protest movement of early 2014.
NOT_BOUND = {"Maidan"}


def side(text):
    """'bound', 'partly' or 'not' for one GED side."""
    names = text.split(", ")
    if all(n in BOUND for n in names):
        return "bound"
    if all(n in NOT_BOUND for n in names):
        return "not"
    return "partly"


def verdict(row):
    """'certain', 'possible' or None: does the row break the cessation, whoever is where?"""
    if row["type_of_violence"] == "3":
        sides = [side(row["side_a"])]
    else:
        sides = [side(row["side_a"]), side(row["side_b"])]
    if "not" in sides:
        return None
    return "certain" if all(s == "bound" for s in sides) else "possible"


def main():
    day = datetime.date.fromisoformat
    certain = {FIRST + datetime.timedelta(i): 0 for i in range((LAST - FIRST).days + 1)}
    upper = dict(certain)
    aside = {"aggregate": [], "country-level": [], "long-span": []}
    deaths_aggregate = 0
    with open(CSV, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            start, end = day(row["date_start"]), day(row["date_end"])
            if end < FIRST or start > LAST:
                continue
            v = verdict(row)
            in_zone = row["adm_1"] in ZONE_ADM1
            maybe_zone = row["adm_1"] == "" and row["where_prec"] not in ("6", "7")
            if v is None or not (in_zone or row["adm_1"] == ""):
                continue
            span = (end - start).days
            if row["event_clarity"] == "2":
                aside["aggregate"].append(row["id"])
                deaths_aggregate += int(row["best"] or 0)
                continue
            if row["where_prec"] in ("6", "7"):
                aside["country-level"].append(row["id"])
                continue
            if span > MAX_SPAN:
                aside["long-span"].append(row["id"])
                continue
            if span == 0 and in_zone and v == "certain":
                certain[start] += 1
            if in_zone or maybe_zone:
                for i in range(span + 1):
                    d = start + datetime.timedelta(i)
                    if d in upper:
                        upper[d] += 1
    out = csv.writer(sys.stdout, lineterminator="\n")
    n_certain = sum(certain.values())
    n_upper = sum(upper.values())
    days_c = sum(1 for n in certain.values() if n)
    days_u = sum(1 for n in upper.values() if n)
    print(f"# ukraine-minsk-2014, Donetsk+Luhansk oblasts, {FIRST}..{LAST}: certain {n_certain} on {days_c} days;"
          f" possible_upper {n_upper} (row-days) on {days_u} days")
    print(f"# set aside: {len(aside['aggregate'])} aggregates (event_clarity 2, best deaths"
          f" {deaths_aggregate}): {' '.join(aside['aggregate']) or '-'};"
          f" {len(aside['country-level'])} country-level (where_prec 6/7):"
          f" {' '.join(aside['country-level']) or '-'};"
          f" {len(aside['long-span'])} spans > {MAX_SPAN} days: {' '.join(aside['long-span']) or '-'}")
    out.writerow(["day", "certain", "possible_upper"])
    for d in certain:
        out.writerow([d.isoformat(), certain[d], upper[d]])


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
