# What a step's and a condition's outcomes say, what a condition asks, the
# agreement's chronology and why an entitlement is or is not releasable, in
# English. Said by `truce-engine/src/verify/`, `timeline.rs` and `lib.rs`.

status-met = met
status-not-met = not met
status-pending = pending
status-insufficient-evidence = insufficient evidence
status-locked = locked

-rests-on-nothing = no report in this window can be counted with certainty: the certain bound says nothing here

## A step's outcome
step-waits-for-one = `{ $step }` ({ $status })
step-locked-waits = locked: waits for { $steps }
step-locked-start = locked: its start depends on a step not met
step-condition-rests-on-nothing = { -rests-on-nothing } ({ $possible } possible); { $detail }
step-rests-on-nothing = { $explanation }; { -rests-on-nothing }
step-met-on = met on { $day }
step-pending = pending: { $explanation }
step-upper-unmet-lower-rests-on-nothing = not met on the upper bound, which counts what is only possible too: { $upper }; met on the certain evidence only because { -rests-on-nothing }
step-lower-met-upper-unmet = met on the certain evidence ({ $day }); not met on the upper bound, which counts what is only possible too: { $upper }
step-lower-unmet-upper-met = not met on the certain evidence ({ $lower }); met only if possible events are counted
step-no-condition = no condition to test
step-not-met = not met: { $detail }
step-no-evidence = no evidence at all
step-evidence-ends = the evidence ends on { $day }
step-insufficient-evidence = insufficient evidence: { $until }; { $waiting }
step-waiting = { $waiting }

## A condition's outcome
period-unit-day = day
period-unit-week = week
period-unit-days = { $days }-day period
condition-window-not-started = the window starts on { $first }; nothing observed yet
condition-window-starts = the window starts on { $first }
condition-longest-run = longest run { $periods } { $unit }(s) from { $from }
condition-no-whole-period = no whole { $unit } within the limit
condition-run-pending = { $nothing }{ $best } of the { $needed } needed (observed to { $observed }){ $worst }{ $unknown }
condition-violations-met = { $needed } consecutive { $unit }s with at most { $max } violation(s) a { $unit }, from { $from } to { $to }
condition-violations-worst = ; worst { $unit } from { $from } with { $count } violation(s)
condition-violations-never = never { $needed } consecutive { $unit }s with at most { $max } violation(s) a { $unit }: { $best }{ $worst }
condition-person = person
condition-people = people
condition-killed-at-least = at least { $count } { $people } killed
condition-killed-up-to = up to { $count } { $people } killed
condition-deaths-met = { $needed } consecutive { $unit }s with at most { $max } { $people } killed in violations a { $unit }, from { $from } to { $to } ({ $worst } in the worst of them){ $unknown }
condition-deaths-unknown-add-nothing = ; { $count } violation(s) with no death count add nothing to this count
condition-deaths-rest-on-nothing = { $count } violation(s) with no death count in { $periods } { $unit }(s), the first from { $first }: the upper count rests on nothing there, and those { $unit }s cannot count towards a run;{" "}
condition-deaths-worst = ; worst { $unit } from { $from } with { $killed }
condition-deaths-never = { $nothing }never { $needed } consecutive { $unit }s with at most { $max } { $people } killed in violations a { $unit }: { $best }{ $worst }{ $unknown }
condition-no-event-needed = no event needed
condition-events-met = { $count } event(s) by { $by }; { $needed } needed
condition-events-pending = { $count } event(s) of the { $needed } needed (observed to { $observed })
condition-sites-broken = { $count } violation(s) at protected sites, the first on { $first }
condition-sites-met = no violation at a protected site in the window
condition-sites-pending = no violation at a protected site so far (observed to { $observed })
condition-trend-met = violations fell by at least { $percent }% week over week { $needed } time(s) in a row (weekly counts { $counts })
condition-trend-too-few-weeks = fewer than two whole weeks observed
condition-trend-counts = weekly counts { $counts }
condition-trend-unmet = no { $needed } week(s) in a row with violations down by { $percent }%: { $counts }
condition-baseline = baseline { $first } to { $last }: { $events } event(s), { $average } a week; limit { $limit } a week
condition-baseline-not-started = the window starts on { $first }; { $baseline }
condition-baseline-met = { $needed } week(s) in a row at or below { $limit } violation(s) ({ $baseline }); weekly counts { $counts }
condition-baseline-unmet = no { $needed } week(s) in a row at or below { $limit } violation(s) ({ $baseline }); weekly counts { $counts }
condition-no-whole-week = none whole yet

## What a condition asks
condition-bracket-param = [{ $value }] (bracket `{ $bracket }`)
condition-filter = {" "}{ $parts }
condition-filter-by = by { $ids }
condition-filter-in = in { $ids }
condition-filter-of-kind = of kind { $ids }
condition-filter-under = under { $ids }
condition-any-party = any party
condition-bound-by = {" "}by { $names }
condition-in-zones = {" "}in { $zones }
condition-counting = {" "}(counting { $parts })
condition-counting-span = reports dated to at most { $days } day(s)
condition-counting-location = located to the { $precision } or better
condition-counting-aggregates = aggregates included
condition-counting-sources = from { $sources }
condition-max-violations-daily = at most { $max } violation(s){ $filter } a day for { $periods } consecutive days{ $counting }
condition-max-violations-per-period = at most { $max } violation(s){ $filter } a { $unit } for { $periods } consecutive { $unit }s{ $counting }
condition-run-one = for { $periods } { $unit }
condition-run-many = { $periods } { $unit }s in a row
condition-max-deaths = at most { $max } { $people } killed in violations{ $filter } a { $unit }, { $run }{ $counting }
condition-any-protected-site = any protected site
condition-site-kind = { $kind }s
condition-no-violation-at-sites = no violation{ $filter } at { $sites }{ $counting }
condition-min-events = at least { $min } event(s) of kind { $kinds }{ $by }{ $zones }{ $counting }
condition-falling-trend = violations{ $filter } down by at least { $percent }% week over week, { $weeks } time(s) in a row{ $counting }
condition-falling-trend-baseline = violations{ $filter } at least { $percent }% below the weekly average of { $first } to { $last } (before the terms), { $weeks } week(s) in a row{ $counting }

## The agreement's chronology
chronology-clause-in-force = clause `{ $clause }` in force from { $start }
chronology-clause-ends = clause `{ $clause }` ends before { $end }
chronology-step-window = step `{ $step }` ({ $name }): window opens
chronology-step-met = step `{ $step }` met
chronology-step-ends = step `{ $step }` window ends: { $status } — { $summary }
chronology-incident = { $incident } at { $place }: certain violation by { $parties }{ $killed }
chronology-incident-killed = , { $best } killed ({ $low }–{ $high })

## Whether an entitlement may be released
entitlement-step-met = step `{ $step }` met on { $day }
entitlement-step-met-on-certain = step `{ $step }` met on { $day } on certain evidence (possible violations do not block this release)
entitlement-withheld-possible = withheld: step `{ $step }` is met on certain evidence but not counting possible violations, which block this release ({ $explanation })
entitlement-withheld = withheld: step `{ $step }` is { $status } ({ $summary })

## A record of the ledger, as recorded

## The agreement's life, from the ledger's records
chronology-agreement-version = agreement version { $sha256 } recorded (`{ $name }`)
chronology-bracket-resolution = bracket `{ $bracket }` resolved: { $alternative }, signed by { $signers }
chronology-entitlement-release = entitlement `{ $entitlement }` released to { $to }{ $by }: { $reason }
chronology-entitlement-suspension = entitlement `{ $entitlement }` suspended{ $by }: { $reason }
chronology-entitlement-handover = entitlement `{ $entitlement }`: { $files } payload file(s) handed over to { $to }{ $by }
chronology-by = {" by "}{ $who }
chronology-by-no-one = {""}
chronology-by-pseudonym = { $role } { $pseudonym }
chronology-and = { $left } and { $right }
chronology-no-one = no one
