#!/usr/bin/env python3
"""Deterministic selection and split of the texts for the truce-extract evaluation set.

Usage (from the repository root, with the shared data beside it):

    python3 crates/truce-extract/eval/select.py \
        --syria   ../shared/data/ucdp-ged-syria/ged191_syria_2016-2019.csv \
        --ukraine ../shared/data/ucdp-ged-ukraine/ged_ukraine_2014-2022.csv \
        --wiki    ../shared/data/news-text-wikipedia-current-events/headlines_2016_syria_ukraine.tsv \
        --out     crates/truce-extract/eval/candidates.jsonl

Holdout split (texts in neither dev nor test; the same rules, continuing each stratum after the
texts already in candidates.jsonl):

    python3 crates/truce-extract/eval/select.py \
        --syria   ../shared/data/ucdp-ged-syria/ged191_syria_2016-2019.csv \
        --ukraine ../shared/data/ucdp-ged-ukraine/ged_ukraine_2014-2022.csv \
        --holdout 190 50 --exclude crates/truce-extract/eval/candidates.jsonl \
        --out-holdout crates/truce-extract/eval/holdout-candidates.jsonl

Second holdout split (texts in none of dev, test and holdout; each stratum continues after the
texts of both earlier selections):

    python3 crates/truce-extract/eval/select.py \
        --syria   ../shared/data/ucdp-ged-syria/ged191_syria_2016-2019.csv \
        --ukraine ../shared/data/ucdp-ged-ukraine/ged_ukraine_2014-2022.csv \
        --holdout 190 50 --split-name holdout-2 \
        --exclude crates/truce-extract/eval/candidates.jsonl \
        --exclude crates/truce-extract/eval/holdout-candidates.jsonl \
        --out-holdout crates/truce-extract/eval/holdout-2-candidates.jsonl

Writes one JSON object per selected text (id, split, source, published, text, stratum and the
GED row's coded fields).  The event labels themselves were written by hand on top of this list.

Rules (also described in README.md):
  * text = first ';'-segment of source_headline, stripped of surrounding whitespace;
    published = first ';'-segment of source_date of the same row.
  * one candidate per distinct text; it is represented by the GED row with the lowest id among
    the rows whose first segment is that text (that row's year and source office give its stratum).
  * dropped: texts with a newline, tab or HTML entity ('&#'), bare URLs, texts of fewer than
    three words, and texts that are not mostly Latin script (< 80 % of letters are ASCII letters).
  * "generic" titles (no event words: Waha "Syria Daily Report dd/mm/yyyy", Airwars incident
    titles "March 4th 2017: (S481) <place>, Raqqa governorate, Syria" and Airwars/VDC case codes or
    record titles, MemoryBook place/person names, monthly "CrisisWatch" titles, OSCE/OCHA/OHCHR
    report and bulletin titles, Ukrainian MoD "Situation Update" titles, Euromaidan tweet headers,
    titles ending in ':'; see GENERIC_PATTERNS) go to a separate pool; at most GENERIC_MAX of them are kept (Syria 5, Ukraine 3).
  * the remaining texts are stratified by year, then by source-office family; quotas are
    proportional to the square root of the number of candidate texts in each stratum (largest
    remainder rounding, capped at what a stratum holds, excess redistributed), first over years,
    then over office families within a year.
  * within a stratum (and within the generic pool) candidates are ordered by
    sha256("truce-eval-select\\n" + text) and the first N taken.  (A *salted* hash is used for
    ordering on purpose: ordering by the unsalted sha256(text) would pick texts whose hash starts
    with 0 and so put nearly all of them in one split.)
  * split = "dev" if the first hex digit of sha256(text) (UTF-8, unsalted) is 0-9, "test" if a-f.
  * the 9 Wikipedia items are all taken; id wiki-<date>-<n> (n = 1.. in file order within a date).
  * --holdout N_SYRIA N_UKRAINE: every text of --exclude is removed from the pools, then the same
    quotas (square root of what each stratum still holds) and the same salted order pick the next
    texts; HOLDOUT_GENERIC (Syria 3, Ukraine 2) generic titles are kept; every text gets split
    "holdout" (the sha256 rule does not apply).  No Wikipedia items.
  * --exclude may be given several times (the texts of all the files are removed), and
    --split-name names the split of the chosen texts (default "holdout"; "holdout-2" for the
    second holdout, which excludes both candidates.jsonl and holdout-candidates.jsonl).
"""
import argparse
import collections
import csv
import hashlib
import json
import math
import re
import sys

SALT = "truce-eval-select\n"
N_SYRIA = 330
N_UKRAINE = 70
GENERIC_MAX = {"syria": 5, "ukraine": 3}
HOLDOUT_GENERIC = [3, 2]  # generic titles kept in the holdout split (Syria, Ukraine), as few as in the original


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def split_of(text):
    return "dev" if sha(text)[0] in "0123456789" else "test"


def family(office, country):
    o = office.strip().lower()
    if country == "syria":
        rules = [
            (r"^sohr$", "SOHR"),
            (r"air ?wars", "Airwars"),
            (r"waha", "Waha Report"),
            (r"reuters", "Reuters"),
            (r"agence france|^afp$", "AFP"),
            (r"bbc", "BBC Monitoring"),
            (r"live ?ua ?map|live ?map|liveumap|liveuamap", "Liveuamap"),
            (r"^hrw$|human rights watch", "HRW"),
            (r"^sdf", "SDF press"),
        ]
    else:
        rules = [
            (r"memorybook", "MemoryBook"),
            (r"agence france|^afp$", "AFP"),
            (r"reuters", "Reuters"),
            (r"world service wire|tass", "TASS/World Service Wire"),
            (r"interfax", "Interfax"),
            (r"xinhua", "Xinhua"),
            (r"bbc", "BBC Monitoring"),
            (r"associated press", "AP"),
            (r"euromaidan", "Euromaidan Press"),
            (r"ombudsman", "DPR ombudsman"),
            (r"osce", "OSCE"),
            (r"crisis", "Crisis Group"),
            (r"ministry of defen|joint forces|general staff", "Ukraine military"),
        ]
    for pat, fam in rules:
        if re.search(pat, o):
            return fam
    return "other"


GENERIC_PATTERNS = [
    r"^Syria Daily Report\b",
    r"^Syrian War Daily\b",
    r"^(Around |Possibly )?(January|February|March|April|May|June|July|August|September|October|November|December)\b[^:]{0,40}:.*Syria\s*$",
    r"^[A-Z]{1,3}\d+[a-z]?$",
    r"^Airwars\b",
    r"^Martyr (data|info)$",
    r"^Name\s",
    r"^[A-Za-z/ ]+\s{2,}(JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER) \d{4}$",
    r":\s*$",
    # report / bulletin titles (OSCE, OCHA, OHCHR, ICG CrisisWatch, Ukrainian MoD, Euromaidan tweets)
    r"^(Around |Possibly )?(January|February|March|April|May|June|July|August|September|October|November|December)\b[^:]{0,40}:.*Syria\.?\s*$",
    r"(?i)^[A-Za-z/ ]+\s(JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\s+\d{4}$",
    r"(?i)^Crisis ?Watch\b",
    r"^#?(ATO News: )?Situation Update\b",
    r"Daily Report \d+/\d{4}",
    r"^Latest from the OSCE Special Monitoring Mission",
    r"^Status Report of ",
    r"^Euromaidan Press @",
    r"^Report on the human rights situation in Ukraine",
    r"^Office of the United Nations High Commissioner",
    r"Situation Report\b",
    r"^Morning (briefing|set-up) at ",
    r"^Ukraine Live Day \d+$",
    r"news digest for ",
    r"^Newly Independent States$",
    r"^Following are the top foreign stories",
    r"^US-led Coalition in Iraq (&|and) Syria$",
]


def is_generic(text, fam):
    if fam == "MemoryBook":
        return True
    return any(re.search(p, text) for p in GENERIC_PATTERNS)


def dropped(text):
    if "\n" in text or "\t" in text or "&#" in text:
        return "garbled"
    if re.match(r"^https?://\S+$", text):
        return "url"
    if len(text.split()) < 3 and not re.match(r"^[A-Z]{1,3}\d+[a-z]?$", text):
        # very short fragments; (case codes are kept for the generic pool)
        return "short"
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "noletters"
    latin = sum(1 for c in letters if c.isascii())
    if latin / len(letters) < 0.8:
        return "non-latin"
    return None


def allocate(total, avail):
    """Quota per key proportional to sqrt(avail[key]), largest remainder, capped at avail."""
    keys = sorted(k for k in avail if avail[k] > 0)
    quota = {k: 0 for k in keys}
    remaining = total
    open_keys = list(keys)
    while remaining > 0 and open_keys:
        w = {k: math.sqrt(avail[k]) for k in open_keys}
        sw = sum(w.values())
        raw = {k: remaining * w[k] / sw for k in open_keys}
        add = {k: int(math.floor(raw[k])) for k in open_keys}
        left = remaining - sum(add.values())
        for k in sorted(open_keys, key=lambda k: (-(raw[k] - add[k]), k))[:left]:
            add[k] += 1
        given = 0
        for k in open_keys:
            room = avail[k] - quota[k]
            g = min(room, add[k])
            quota[k] += g
            given += g
        remaining -= given
        open_keys = [k for k in open_keys if quota[k] < avail[k]]
        if given == 0:
            break
    return quota


def read_ged(path, country):
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    by_text = {}
    for r in rows:
        text = r["source_headline"].split(";")[0].strip()
        if not text:
            continue
        rid = int(r["id"])
        if text not in by_text or rid < int(by_text[text]["id"]):
            by_text[text] = r
    return by_text


def ged_fields(r):
    def num(v, f=float):
        try:
            return f(v)
        except (TypeError, ValueError):
            return None
    return {
        "id": int(r["id"]),
        "date_start": r["date_start"][:10],
        "date_end": r["date_end"][:10],
        "where_coordinates": r["where_coordinates"],
        "where_prec": num(r["where_prec"], int),
        "latitude": num(r["latitude"]),
        "longitude": num(r["longitude"]),
        "adm_1": r["adm_1"],
        "side_a": r["side_a"],
        "side_b": r["side_b"],
        "best": num(r["best"], int),
        "type_of_violence": num(r["type_of_violence"], int),
        "source_office": r["source_office"].split(";")[0].strip(),
    }


def select(path, country, n_total, exclude=frozenset(), n_generic=None, split=None):
    """Select n_total texts of one country.  exclude: texts already taken (they are skipped, so the
    next texts of each stratum in salted-hash order are taken); n_generic: how many generic titles
    to keep (default GENERIC_MAX); split: a fixed split for every chosen text (default: sha256 rule)."""
    by_text = read_ged(path, country)
    generic, strata, stats = [], collections.defaultdict(list), collections.Counter()
    for text, r in by_text.items():
        fam = family(r["source_office"].split(";")[0], country)
        d = dropped(text)
        if is_generic(text, fam):
            if d in (None, "short"):
                if text in exclude:
                    stats["excluded"] += 1
                else:
                    generic.append(text)
            else:
                stats["drop-" + d] += 1
            continue
        if d:
            stats["drop-" + d] += 1
            continue
        if text in exclude:
            stats["excluded"] += 1
            continue
        strata[(r["year"], fam)].append(text)
    order = lambda t: sha(SALT + t)
    n_gen = min(GENERIC_MAX[country] if n_generic is None else n_generic, len(generic))
    chosen = [(t, "generic") for t in sorted(generic, key=order)[:n_gen]]
    n_rest = n_total - n_gen
    years = collections.Counter()
    for (y, f), ts in strata.items():
        years[y] += len(ts)
    yq = allocate(n_rest, years)
    for y in sorted(yq):
        fams = {f: len(ts) for (yy, f), ts in strata.items() if yy == y}
        fq = allocate(yq[y], fams)
        for f in sorted(fq):
            for t in sorted(strata[(y, f)], key=order)[: fq[f]]:
                chosen.append((t, "%s/%s" % (y, f)))
    out = []
    src = "ucdp-ged-syria-19.1" if country == "syria" else "ucdp-ged-ukraine"
    for t, stratum in chosen:
        r = by_text[t]
        out.append({
            "id": "ged-%s-%s" % (country, r["id"]),
            "split": split_of(t) if split is None else split,
            "source": src,
            "published": r["source_date"].split(";")[0].strip()[:10],
            "lang": "en",
            "text": t,
            "stratum": stratum,
            "ged": ged_fields(r),
        })
    print(country, "candidates:", sum(len(v) for v in strata.values()), "generic pool:", len(generic),
          dict(stats), "selected:", len(out), file=sys.stderr)
    print("  year quotas:", dict(sorted(yq.items())), file=sys.stderr)
    return out


def read_wiki(path):
    out, n = [], collections.Counter()
    for r in csv.DictReader(open(path, encoding="utf-8", newline=""), delimiter="\t"):
        n[r["date"]] += 1
        t = r["headline"]
        out.append({
            "id": "wiki-%s-%d" % (r["date"], n[r["date"]]),
            "split": split_of(t),
            "source": "wikipedia-current-events",
            "published": r["date"],
            "lang": "en",
            "text": t,
            "stratum": "wiki",
        })
    return out


def write(path, items):
    with open(path, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")


def holdout(a):
    """The holdout split: the same drops, strata, square-root quotas and salted-hash order, over the
    texts that are not in --exclude (so each stratum continues where the first selection stopped).
    Every chosen text gets split a.split_name ("holdout" unless --split-name says otherwise).
    --exclude may be given several times: the texts of every file given are skipped."""
    n_syria, n_ukraine = a.holdout
    exclude = set()
    for path in a.exclude:
        for line in open(path, encoding="utf-8"):
            exclude.add(json.loads(line)["text"])
    n_gen = {"syria": a.holdout_generic[0], "ukraine": a.holdout_generic[1]}
    items = []
    for country, path, n in (("syria", a.syria, n_syria), ("ukraine", a.ukraine, n_ukraine)):
        got = select(path, country, n, exclude=exclude, n_generic=n_gen[country], split=a.split_name)
        assert not any(it["text"] in exclude for it in got)
        items += got
    items.sort(key=lambda x: x["id"])
    write(a.out_holdout, items)
    c = collections.Counter((x["source"], x["split"]) for x in items)
    for k in sorted(c):
        print(k, c[k], file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--syria", required=True)
    ap.add_argument("--ukraine", required=True)
    ap.add_argument("--wiki", help="required unless --holdout")
    ap.add_argument("--out", help="required unless --holdout")
    ap.add_argument("--holdout", nargs=2, type=int, metavar=("N_SYRIA", "N_UKRAINE"),
                    help="select a holdout split of this many texts instead (needs --exclude and --out-holdout)")
    ap.add_argument("--holdout-generic", nargs=2, type=int, metavar=("G_SYRIA", "G_UKRAINE"),
                    default=HOLDOUT_GENERIC, help="generic titles kept in the holdout (default %(default)s)")
    ap.add_argument("--exclude", action="append",
                    help="candidates file of an earlier selection; its texts are skipped (may be given several times)")
    ap.add_argument("--split-name", default="holdout",
                    help="split given to every text chosen with --holdout (default %(default)s)")
    ap.add_argument("--out-holdout")
    a = ap.parse_args()
    if a.holdout:
        if not (a.exclude and a.out_holdout):
            ap.error("--holdout needs --exclude and --out-holdout")
        holdout(a)
        return
    if not (a.wiki and a.out):
        ap.error("--wiki and --out are required")
    items = select(a.syria, "syria", N_SYRIA) + select(a.ukraine, "ukraine", N_UKRAINE) + read_wiki(a.wiki)
    items.sort(key=lambda x: x["id"])
    with open(a.out, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    c = collections.Counter((x["source"], x["split"]) for x in items)
    for k in sorted(c):
        print(k, c[k], file=sys.stderr)


if __name__ == "__main__":
    main()
