#!/usr/bin/env python3
"""Day by day: truce's violations per day beside an example's independent count.

    python3 examples/compare.py EXAMPLE-FOLDER EVENTS.csv [ZONE]

Runs `count.py` of the example (the hand count, which reads the CSV itself) and
`truce timeline --format json` (truce's count, the `daily_all` series, whose rule is
the steps' rule), and prints a Markdown table of both, certain and counting possible,
with the days that differ marked. ZONE is a zone id of the agreement; without it the
whole agreement. For every differing day it lists the incidents truce counts there
and the hand count does not (or the other way round), to be explained in the
example's README. Uses the release binary (`cargo build --release -p truce-cli`).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hand_count(folder):
    out = subprocess.run(
        [sys.executable, str(folder / "count.py")], capture_output=True, text=True, check=True
    ).stdout
    days = {}
    for line in out.splitlines():
        if line.startswith("#") or line.startswith("day") or not line.strip():
            continue
        day, certain, upper = line.split(",")[:3]
        days[day] = (int(certain), int(upper))
    return days


def truce(args):
    binary = ROOT / "target" / "release" / "truce"
    done = subprocess.run([str(binary), *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.exit(f"truce {' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main():
    folder = Path(sys.argv[1])
    events = sys.argv[2]
    zone = sys.argv[3] if len(sys.argv) > 3 else ""
    agreement = str(folder / "agreement.toml")
    hand = hand_count(folder)
    timeline = truce(["timeline", agreement, "--events", events, "--format", "json"])
    ours = {
        d["day"]: (d["certain"], d["certain_or_possible"])
        for d in timeline["daily_all"]
        if d.get("zone", "") == zone
    }
    print("| day | truce certain | hand certain | truce with possible | hand with possible |")
    print("|---|---:|---:|---:|---:|")
    differing = []
    for day in sorted(hand):
        t, h = ours.get(day, (0, 0)), hand[day]
        mark = ""
        if t[0] != h[0]:
            mark = " **≠**"
            differing.append(day)
        elif t[1] != h[1]:
            mark = " ≠"
            differing.append(day)
        print(f"| {day}{mark} | {t[0]} | {h[0]} | {t[1]} | {h[1]} |")
    same = sum(1 for d in hand if ours.get(d, (0, 0))[0] == hand[d][0])
    print(f"\ncertain bound equal on {same} of {len(hand)} days;", end=" ")
    same = sum(1 for d in hand if ours.get(d, (0, 0)) == hand[d])
    print(f"both bounds equal on {same} of {len(hand)} days")
    if differing:
        check = truce(["check", agreement, "--events", events, "--format", "json"])
        incidents = {i["id"]: i for i in check["incidents"]}
        by_incident = {}
        for f in check["findings"]:
            if f["verdict"] == "violation":
                by_incident.setdefault(f["incident"], []).append(f)
        for day in differing:
            print(f"\n{day}: incidents truce counts with a violation that day:")
            for iid, i in incidents.items():
                span = i["date"]
                inside = span["first"] <= day <= span["last"]
                in_zone = not zone or zone in i.get("zones", []) + i.get("possible_zones", [])
                if not (inside and in_zone and iid in by_incident) or i.get("set_aside"):
                    continue
                fs = by_incident[iid]
                breach = "certain" if any(f["breach"] == "certain" for f in fs) else "possible"
                clauses = sorted({f["clause"] for f in fs})
                where = "in" if zone in i.get("zones", []) else "possibly in"
                print(
                    f"  {iid} {span['first']}..{span['last']} {breach} breach of {', '.join(clauses)};"
                    f" {where} zone; {i['place'][:60]}"
                )


if __name__ == "__main__":
    main()
