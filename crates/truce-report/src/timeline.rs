//! `truce timeline`: the chronology and the weekly arithmetic as text, CSV or JSON,
//! and a chart of violations per day per party with the step windows shaded (SVG).

use plotters::prelude::*;
use std::fmt::Write;
use truce_engine::Status;
use truce_engine::timeline::{Timeline, WeekTotals};
use truce_model::time::Day;

pub fn render_text(t: &Timeline) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "truce timeline: {}\n\nCHRONOLOGY", t.agreement);
    for e in &t.chronology {
        let _ = writeln!(
            out,
            "  {}  {:<16} {}",
            e.day,
            e.what,
            truce_words::english(&e.text)
        );
    }
    let _ = writeln!(
        out,
        "\nWEEKS (violations by party: incidents on certain evidence / counting possible; deaths best (low–high), cumulative)"
    );
    for w in &t.weekly {
        week_line(&mut out, w.week, &w.party, &w.totals);
    }
    if t.weekly_by_zone
        .iter()
        .any(|w| w.totals.incidents_certain_or_possible > 0)
    {
        let _ = writeln!(
            out,
            "\nWEEKS BY ZONE (incidents certainly in the zone with a violation: on certain evidence / counting possible; deaths best (low–high), cumulative)"
        );
        for w in &t.weekly_by_zone {
            week_line(&mut out, w.week, &w.zone, &w.totals);
        }
    }
    if !t.figures.is_empty() {
        let _ = writeln!(
            out,
            "\nFIGURES (other datasets, for the years of the evidence)"
        );
        for f in &t.figures {
            let _ = writeln!(
                out,
                "  {}  {:<24} {:<36} {:>12}   ({})",
                f.year, f.country, f.what, f.value, f.source
            );
        }
    }
    if !t.trends.is_empty() {
        let _ = writeln!(
            out,
            "\nIN POSTS AND NEWS (per day: posts with each hashtag and each kind of event read from them; the five most frequent of each)"
        );
        let mut day = None;
        let mut shown = (0, 0);
        for trend in &t.trends {
            if day != Some(trend.day) {
                day = Some(trend.day);
                shown = (0, 0);
            }
            let count = if trend.what == "hashtag" {
                &mut shown.0
            } else {
                &mut shown.1
            };
            *count += 1;
            if *count <= 5 {
                let _ = writeln!(
                    out,
                    "  {}  {:<8} {:<32} {:>6} post(s)",
                    trend.day, trend.what, trend.key, trend.posts
                );
            }
        }
    }
    out
}

/// A week's line for one party or zone, when it had a violation.
fn week_line(out: &mut String, week: Day, group: &str, w: &WeekTotals) {
    if w.incidents_certain_or_possible == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "  week of {}  {:<20} {:>4} / {:<5} deaths {} ({}–{}) / {} ({}–{}); cumulative {} / {}",
        week,
        group,
        w.incidents_certain,
        w.incidents_certain_or_possible,
        w.deaths_certain[1],
        w.deaths_certain[0],
        w.deaths_certain[2],
        w.deaths_certain_or_possible[1],
        w.deaths_certain_or_possible[0],
        w.deaths_certain_or_possible[2],
        w.cumulative_deaths_certain[1],
        w.cumulative_deaths_certain_or_possible[1]
    );
}

/// One row per week and party (every week with a violation by any party, every party).
pub fn render_csv(t: &Timeline) -> String {
    let rows = t
        .weekly
        .iter()
        .map(|w| (w.week, w.party.as_str(), &w.totals));
    weekly_csv("party", rows)
}

/// One row per week and zone (every week with a violation in any zone, every zone).
pub fn render_csv_by_zone(t: &Timeline) -> String {
    let rows = t
        .weekly_by_zone
        .iter()
        .map(|w| (w.week, w.zone.as_str(), &w.totals));
    weekly_csv("zone", rows)
}

fn weekly_csv<'a>(
    group: &str,
    rows: impl Iterator<Item = (Day, &'a str, &'a WeekTotals)>,
) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "week",
        group,
        "incidents_certain",
        "incidents_certain_or_possible",
        "deaths_certain_low",
        "deaths_certain_best",
        "deaths_certain_high",
        "deaths_possible_low",
        "deaths_possible_best",
        "deaths_possible_high",
        "cumulative_deaths_certain_best",
        "cumulative_deaths_certain_or_possible_best",
    ]);
    for (week, name, w) in rows {
        let (deaths, deaths_possible) = (w.deaths_certain, w.deaths_certain_or_possible);
        let _ = writer.write_record(
            [
                week.to_string(),
                name.to_string(),
                w.incidents_certain.to_string(),
                w.incidents_certain_or_possible.to_string(),
                deaths[0].to_string(),
                deaths[1].to_string(),
                deaths[2].to_string(),
                deaths_possible[0].to_string(),
                deaths_possible[1].to_string(),
                deaths_possible[2].to_string(),
                w.cumulative_deaths_certain[1].to_string(),
                w.cumulative_deaths_certain_or_possible[1].to_string(),
            ]
            .map(crate::export::safe),
        );
    }
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The timeline as JSON: the engine's series as they are, the chronology's
/// sentences in English.
#[derive(serde::Serialize)]
struct TimelineJson<'a> {
    agreement: &'a str,
    parties: &'a [String],
    chronology: Vec<EntryJson<'a>>,
    daily: &'a [truce_engine::timeline::Daily],
    daily_all: &'a [truce_engine::timeline::DailyAll],
    weekly: &'a [truce_engine::timeline::Weekly],
    zones: &'a [String],
    weekly_by_zone: &'a [truce_engine::timeline::ZoneWeekly],
    steps: &'a [truce_engine::timeline::StepWindow],
    figures: &'a [truce_engine::timeline::Figure],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    trends: &'a [truce_engine::timeline::Trend],
}

#[derive(serde::Serialize)]
struct EntryJson<'a> {
    day: Day,
    what: &'a str,
    text: crate::json::Sentence<'a>,
}

pub fn render_json(t: &Timeline) -> String {
    let document = TimelineJson {
        agreement: &t.agreement,
        parties: &t.parties,
        chronology: t
            .chronology
            .iter()
            .map(|e| EntryJson {
                day: e.day,
                what: &e.what,
                text: crate::json::Sentence(&e.text),
            })
            .collect(),
        daily: &t.daily,
        daily_all: &t.daily_all,
        weekly: &t.weekly,
        zones: &t.zones,
        weekly_by_zone: &t.weekly_by_zone,
        steps: &t.steps,
        figures: &t.figures,
        trends: &t.trends,
    };
    serde_json::to_string_pretty(&document)
        .map(|s| s + "\n")
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

/// Colour-blind-safe palette (Okabe–Ito).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
];

/// Violations per day per party, stacked (solid: certain; light: counting possible),
/// with each step's window shaded (green when met, red when not, grey otherwise).
pub fn render_svg(t: &Timeline) -> Result<String, String> {
    let mut svg = String::new();
    let days: Vec<i32> = t
        .daily
        .iter()
        .map(|d| d.day.0)
        .chain(t.steps.iter().map(|s| s.first.0))
        .collect();
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return Err("nothing to draw: no violation and no step window".into());
    };
    let last = last.max(first + 1);
    let mut stacked: std::collections::BTreeMap<i32, (u64, u64)> =
        std::collections::BTreeMap::new();
    for d in &t.daily {
        let e = stacked.entry(d.day.0).or_default();
        e.0 += d.certain;
        e.1 += d.certain_or_possible;
    }
    let top = stacked.values().map(|v| v.1).max().unwrap_or(1).max(1) as f64 * 1.1;
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: violations per day by party", t.agreement),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(first as f64..(last + 1) as f64, 0f64..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(8)
            .x_label_formatter(&|x| truce_model::time::Day(*x as i32).to_string())
            .y_desc("incidents")
            .draw()
            .map_err(|e| e.to_string())?;
        for step in &t.steps {
            let color = match step.status {
                Status::Met => RGBColor(0, 158, 115),
                Status::NotMet => RGBColor(213, 94, 0),
                _ => RGBColor(128, 128, 128),
            };
            let end = step.last.map_or(last, |l| l.0) + 1;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(step.first.0 as f64, 0.0), (end as f64, top)],
                    color.mix(0.12).filled(),
                )))
                .map_err(|e| e.to_string())?
                .label(format!("step {} ({})", step.id, step.status.label()))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.mix(0.3).filled())
                });
        }
        for (p, party) in t.parties.iter().enumerate() {
            let color = PALETTE[p % PALETTE.len()];
            // Bars stacked party on party: the offset is the sum of the parties drawn before.
            let bars: Vec<(i32, f64, f64, f64)> = t
                .daily
                .iter()
                .filter(|d| &d.party == party)
                .map(|d| {
                    let below: u64 = t
                        .daily
                        .iter()
                        .filter(|o| {
                            o.day == d.day && t.parties.iter().position(|x| x == &o.party) < Some(p)
                        })
                        .map(|o| o.certain_or_possible)
                        .sum();
                    (
                        d.day.0,
                        below as f64,
                        (below + d.certain) as f64,
                        (below + d.certain_or_possible) as f64,
                    )
                })
                .collect();
            if bars.is_empty() {
                continue;
            }
            chart
                .draw_series(bars.iter().map(|&(day, base, certain, _)| {
                    Rectangle::new(
                        [(day as f64, base), (day as f64 + 0.9, certain)],
                        color.filled(),
                    )
                }))
                .map_err(|e| e.to_string())?
                .label(format!("{party} (certain)"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            chart
                .draw_series(bars.iter().map(|&(day, _, certain, possible)| {
                    Rectangle::new(
                        [(day as f64, certain), (day as f64 + 0.9, possible)],
                        color.mix(0.35).filled(),
                    )
                }))
                .map_err(|e| e.to_string())?
                .label(format!("{party} (possible)"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.mix(0.35).filled())
                });
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
