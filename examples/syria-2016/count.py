"""Independent per-day count of ceasefire violations in Aleppo governorate, 13 Sep - 31 Oct 2016.

Written from the agreement's terms (agreement.toml, README.md) and the GED data, not from
truce's code, so truce's step counts can be checked against it. Python 3 stdlib only.

    python3 examples/syria-2016/count.py            (prints CSV: day,certain,possible_upper)

Rules (one GED row = one report; the window starts on the first full day after sundown on
12 Sep 2016, the start of the "seven days" step):
  * Sides. side_a / side_b are split on ", " (GED lists a coalition that way). A side is
    BOUND when every member is an actor of a party (lists below, as in agreement.toml),
    NOT BOUND when every member is excluded (IS, Nusra/JFS) or outside (SDF, Turkey...),
    and PARTLY bound otherwise (a bound group next to an excluded one, or a name the
    agreement does not list).
  * Violation, certain: a state-based or non-state row (type_of_violence 1, 2) with both
    sides bound (GED does not say who fired, but fire between two parties to the cessation
    breaks it whoever started; two opposition groups fighting each other count too, each
    being a party - no such row in this window), or a one-sided row (type 3, the
    Civilians are side_b) whose perpetrator side_a is bound (clause coh-civilians: GED
    names the perpetrator).
    Possible: the same with a side (either side, or the perpetrator) only partly bound.
    A row with a side not bound is no violation (fighting IS or the SDF is allowed).
  * Set aside, never counted per day: event_clarity 2 (aggregates such as a year's deaths),
    where_prec 6 or 7 (only the country is known), and date spans (date_end - date_start)
    longer than 7 days. They are listed in the header line.
  * CERTAIN column: single-day rows (date_start == date_end) with adm_1 "Aleppo Governorate"
    (GED's spelling, capital G) and a certain violation.
  * POSSIBLE_UPPER column: the certain rows plus possible violations in the zone, plus rows
    dated over 2-8 calendar days (span 1-7) counted on every day of their span inside the
    window, plus rows without adm_1 (where_prec <= 5) as possibly in the zone.
  * Not counted (truce may count them on its upper bound): possible violations at protected
    hospitals (clause coh-hospitals) and rows of other governorates near Aleppo's edge.
"""
import csv
import datetime
import os
import sys
from pathlib import Path

CSV = Path(__file__).parent / "data" / "ged191_syria_2016.csv"
FIRST, LAST = datetime.date(2016, 9, 13), datetime.date(2016, 10, 31)
ZONE_ADM1 = {"Aleppo Governorate"}
MAX_SPAN = 7

# GED 2016 names of actors that answer to a party (agreement.toml [[actor]] name/aliases).
BOUND = {
    # government-side, russia, usa
    "Government of Syria", "NDF (Syria)", "Hezbollah", "Government of Iran",
    "Government of Russia (Soviet Union)", "Government of United States of America",
    # opposition
    "Syrian insurgents", "FSA", "Southern Front", "Jaysh al-Islam", "Ahrar al-Sham",
    "Fatah Halab", "Rahman Corps", "Levant Front", "Sham Legion", "Nour al-Din al-Zenki",
    "Jaysh Asoud al-Sharqiya", "Martyr Lieutenant Ahmed Abdou Brigades",
    "Hawar Kilis Operations Room", "Mare' Operations Room", "NSA", "13th Division",
    "Islamic Front", "Mujahideen Army", "SRF", "Sons of Yarmouk Movement",
    "Syrian National Coalition",
}
# Excluded (legitimate targets) and outside (neither bound nor protected).
NOT_BOUND = {
    "IS", "Jabhat Fateh al-Sham", "HTS", "ETIM",
    "SDF", "PKK", "Liwa al-Aqsa", "Government of Turkey", "Government of Iraq",
    "Government of Jordan", "Government of Israel",
}


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
    print(f"# syria-2016, Aleppo Governorate, {FIRST}..{LAST}: certain {n_certain} on {days_c} days;"
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
