#!/usr/bin/env python3
"""Check labelled.jsonl: schema, id order, kind/actor ids, dates, and that every *_words value is an
exact (case-sensitive) substring of the text.  Split "dev"/"test" follows the sha256 rule; split
"holdout" is allowed only for texts listed (same id and text) in holdout-candidates.jsonl, split
"holdout-2" only for texts listed in holdout-2-candidates.jsonl, and split "holdout-3" only for texts
listed in holdout-3-candidates.jsonl; the four candidate files must share no text, and every text of
a holdout candidate file must be labelled.  Prints the byte offset of the first occurrence and warns when a *_words value occurs more than once (the first occurrence is the one that counts).
Usage: python3 validate.py [labelled.jsonl]"""
import json, re, sys, datetime, hashlib

KINDS = {
    "political-violence": None, "armed-conflict": "political-violence", "armed-clash": "armed-conflict",
    "territory-taken": "armed-clash", "remote-violence": "armed-conflict", "air-strike": "remote-violence",
    "shelling": "remote-violence", "explosive-device": "remote-violence", "suicide-bombing": "remote-violence",
    "grenade": "remote-violence", "chemical-weapon": "remote-violence",
    "violence-against-civilians": "political-violence", "attack-on-civilians": "violence-against-civilians",
    "attack-on-health-care": "attack-on-civilians", "abduction": "violence-against-civilians",
    "sexual-violence": "violence-against-civilians",
    "strategic-development": None, "arrest": "strategic-development", "looting": "strategic-development",
    "base-established": "strategic-development", "territory-transfer": "strategic-development",
    "agreement": "strategic-development", "disrupted-weapons-use": "strategic-development",
    "group-change": "strategic-development",
    "humanitarian": None, "humanitarian-access": "humanitarian", "convoy-delivered": "humanitarian",
    "access-obstructed": "humanitarian",
    "demonstration": None, "protest": "demonstration", "riot": "demonstration",
}
ACTORS = set("""syrian-government russia us-led-coalition turkey israel iran hezbollah islamic-state nusra
syrian-opposition sdf ukraine-forces separatists saudi-led-coalition houthis civilians health-care aid unknown""".split())
TARGET_ONLY = {"civilians", "health-care", "aid"}
WORD_FIELDS = ["kind_words", "date_words", "place_words", "responsible_words", "target_words", "killed_words", "hedge_words"]
EVENT_KEYS = {"kind", "kind_words", "date", "date_words", "place", "place_words", "responsible", "responsible_words",
              "target", "target_words", "killed", "killed_words", "hedged", "hedge_words", "note"}
TOP_KEYS = {"id", "split", "source", "published", "lang", "text", "events", "ged"}

def load_candidates(path):
    try:
        return {o["id"]: o["text"] for o in map(json.loads, open(path, encoding="utf-8"))}
    except FileNotFoundError:
        return {}

def main(path):
    errs, warns, n_ev = [], [], 0
    ids = []
    here = path.rsplit("/", 1)[0] if "/" in path else "."
    holdout = load_candidates(here + "/holdout-candidates.jsonl")
    holdout2 = load_candidates(here + "/holdout-2-candidates.jsonl")
    holdout3 = load_candidates(here + "/holdout-3-candidates.jsonl")
    devtest = load_candidates(here + "/candidates.jsonl")
    cand_files = [("candidates.jsonl", devtest), ("holdout-candidates.jsonl", holdout), ("holdout-2-candidates.jsonl", holdout2),
                  ("holdout-3-candidates.jsonl", holdout3)]
    for i, (na, a) in enumerate(cand_files):
        for nb, b in cand_files[i + 1:]:
            shared = set(a.values()) & set(b.values())
            if shared: errs.append("%s shares %d texts with %s" % (nb, len(shared), na))
            if set(a) & set(b): errs.append("%s shares %d ids with %s" % (nb, len(set(a) & set(b)), na))
    held = {"holdout": holdout, "holdout-2": holdout2, "holdout-3": holdout3}
    splits = {}
    for ln, line in enumerate(open(path, encoding="utf-8"), 1):
        o = json.loads(line)
        where = o.get("id", "line %d" % ln)
        ids.append(o["id"])
        if set(o) - TOP_KEYS or not {"id", "split", "source", "published", "lang", "text", "events"} <= set(o):
            errs.append("%s: top-level keys %s" % (where, sorted(o)))
        splits[o["split"]] = splits.get(o["split"], 0) + 1
        if o["split"] not in ("dev", "test", "holdout", "holdout-2", "holdout-3"): errs.append("%s: split" % where)
        if o["split"] in held:
            if held[o["split"]].get(o["id"]) != o["text"]:
                errs.append("%s: split %s but not listed in %s-candidates.jsonl" % (where, o["split"], o["split"]))
        else:
            want = "dev" if hashlib.sha256(o["text"].encode("utf-8")).hexdigest()[0] in "0123456789" else "test"
            if o["split"] != want: errs.append("%s: split %s but sha256 rule gives %s" % (where, o["split"], want))
        for name, cands in held.items():
            if o["id"] in cands and o["split"] != name: errs.append("%s: a %s candidate labelled as %s" % (where, name, o["split"]))
        if o.get("lang") != "en": errs.append("%s: lang" % where)
        if o["source"] not in ("ucdp-ged-syria-19.1", "ucdp-ged-ukraine", "wikipedia-current-events"): errs.append("%s: source" % where)
        if (o["source"] == "wikipedia-current-events") == ("ged" in o): errs.append("%s: ged block presence" % where)
        datetime.date.fromisoformat(o["published"])
        text = o["text"]
        tb = text.encode("utf-8")
        for i, e in enumerate(o["events"]):
            n_ev += 1
            w = "%s ev%d" % (where, i)
            if set(e) - EVENT_KEYS or (EVENT_KEYS - {"note"}) - set(e): errs.append("%s: event keys" % w)
            if e["kind"] not in KINDS: errs.append("%s: kind %s" % (w, e["kind"]))
            for f in ("responsible", "target"):
                if e[f] is not None and e[f] not in ACTORS: errs.append("%s: %s id %s" % (w, f, e[f]))
            if e["responsible"] in TARGET_ONLY: errs.append("%s: target-only id as responsible" % w)
            a = datetime.date.fromisoformat(e["date"]["first"]); b = datetime.date.fromisoformat(e["date"]["last"])
            if a > b: errs.append("%s: date first > last" % w)
            for f, g in (("place", "place_words"), ("responsible", "responsible_words"), ("target", "target_words"),
                         ("killed", "killed_words")):
                if (e[f] is None) != (e[g] is None): errs.append("%s: %s / %s null mismatch" % (w, f, g))
            if e["hedged"] != (e["hedge_words"] is not None): errs.append("%s: hedged / hedge_words mismatch" % w)
            if e["place"] is not None:
                p = e["place"]
                if p["level"] not in ("point", "admin1", "country"): errs.append("%s: level" % w)
                if not (-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180): errs.append("%s: coords" % w)
                if p["level"] != "country" and not p.get("admin1"): errs.append("%s: admin1 missing" % w)
            if e["killed"] is not None:
                k = e["killed"]
                if not (k["low"] <= k["best"] and (k["high"] is None or k["best"] <= k["high"])): errs.append("%s: killed order" % w)
            for f in WORD_FIELDS:
                s = e[f]
                if s is None: continue
                if f == "kind_words" and not s: errs.append("%s: empty kind_words" % w)
                if s not in text:
                    errs.append("%s: %s %r is not a substring of the text" % (w, f, s)); continue
                cnt = text.count(s)
                if cnt > 1: warns.append("%s: %s %r occurs %d times (first occurrence at byte %d is used)" % (w, f, s, cnt, tb.find(s.encode("utf-8"))))
    for name, cands in held.items():
        missing = sorted(set(cands) - set(ids))
        if missing: errs.append("%d %s candidates not labelled, e.g. %s" % (len(missing), name, missing[0]))
    if ids != sorted(ids): errs.append("ids not sorted")
    if len(ids) != len(set(ids)): errs.append("duplicate ids")
    for x in warns: print("WARN", x)
    for x in errs: print("ERROR", x)
    print("%d texts (%s), %d events, %d errors, %d warnings" % (len(ids), ", ".join("%s %d" % kv for kv in sorted(splits.items())),
                                                             n_ev, len(errs), len(warns)))
    return 1 if errs else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else __file__.rsplit("/", 1)[0] + "/labelled.jsonl"))
