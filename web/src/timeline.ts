// The timeline: violations per day, stacked by party, the steps' windows shaded,
// cumulative deaths as a line; a date axis, a scale and a key; the time brush's
// range marked. Drawn in the page's direction: in Arabic time runs right to
// left, as the sliders do.
import { type Api, day, element, label, ledgerLife, number, state, text } from "./page";

const partyColours = ["#009e73", "#cc79a7", "#56b4e9", "#f0e442", "#000000", "#8c564b"];
const svgNs = "http://www.w3.org/2000/svg";

let timeline: Api["TimelineWire"] | null = null;
let board: Api["StepsBoard"] | null = null;
/** Every day the chart spans, YYYY-MM-DD. */
export let days: string[] = [];
/** The brushed days, as indices into `days`. */
let brushed: [number, number] = [0, 0];

/** Days from the first to the last, as YYYY-MM-DD. */
function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  const d = new Date(`${first}T00:00:00Z`);
  const end = new Date(`${last}T00:00:00Z`);
  while (d <= end && out.length < 20000) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

function node(tag: string, attributes: Record<string, string | number>): SVGElement {
  const made = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, String(value));
  return made;
}

/** Loads the timeline and the steps, spanning the incidents' days too. */
export function setTimeline(t: Api["TimelineWire"], b: Api["StepsBoard"], firstDays: string[], lastDays: string[]): void {
  timeline = t;
  board = b;
  const daily = t.daily;
  const first = [daily[0]?.day, ...firstDays].filter(Boolean).sort()[0];
  const last = [daily[daily.length - 1]?.day, ...lastDays].filter(Boolean).sort().reverse()[0];
  days = first && last ? daysBetween(first, last) : [];
  brushed = [0, Math.max(0, days.length - 1)];
  showChronology();
  showKey();
}

/** The chronology again, as the server wrote it in the page's language now. */
export function setChronology(chronology: Api["TimelineWire"]["chronology"]): void {
  if (!timeline) return;
  timeline = { ...timeline, chronology };
  showChronology();
}

/** Marks the brushed range (indices into `days`) and redraws. */
export function setBrushed(range: [number, number]): void {
  brushed = range;
  draw();
}

/** The chart, at the width it has, in the page's direction. */
export function draw(): void {
  const holder = element("timeline-chart");
  if (!timeline || !board || days.length === 0) return;
  const width = Math.max(300, holder.clientWidth || 800);
  const height = 150;
  const rtl = state.language === "ar";
  const margin = { start: 44, end: 8, top: 8, bottom: 22 };
  const plot = width - margin.start - margin.end;
  const n = days.length;
  // x of a day's left edge (LTR) or right edge (RTL): time runs with the page.
  const x = (i: number) => (rtl ? width - margin.start - ((i + 1) * plot) / n : margin.start + (i * plot) / n);
  const barWidth = Math.max(plot / n, 0.5);
  const y0 = height - margin.bottom;
  const plotHeight = y0 - margin.top;
  const index = new Map(days.map((d, i) => [d, i]));
  const parties = timeline.parties as string[];
  const totals = new Map<string, number>();
  for (const entry of timeline.daily) totals.set(entry.day, (totals.get(entry.day) ?? 0) + entry.certain);
  // Certain violations whoever did them: a clash of two bound parties is certain
  // though who fired is not; the part no party is certain of is drawn in grey.
  const whoever = new Map<string, number>();
  for (const entry of timeline.daily_whoever ?? []) whoever.set(entry.day, entry.certain);
  const highest = Math.max(1, ...totals.values(), ...whoever.values());
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label("timeline") }) as SVGSVGElement;
  for (const step of board.steps) {
    if (!step.window_first || !step.window_last) continue;
    const from = index.get(step.window_first) ?? 0;
    const to = index.get(step.window_last) ?? n - 1;
    const left = Math.min(x(from), x(to));
    const rect = node("rect", {
      x: left, width: Math.abs(x(to) - x(from)) + barWidth, y: margin.top, height: plotHeight,
      fill: step.status === "met" ? "#d9f0e3" : "#f6dede",
    });
    const title = node("title", {});
    title.textContent = `${step.name}: ${label(step.status)}`;
    rect.append(title);
    svg.append(rect);
  }
  // The scale: gridlines at 0, half and the most in a day.
  for (const value of [0, Math.round(highest / 2), highest]) {
    const y = y0 - (value / highest) * plotHeight;
    svg.append(node("line", { x1: margin.end, x2: width - margin.end, y1: y, y2: y, stroke: "#d0d0d0", "stroke-width": 1, class: "grid" }));
    const tick = node("text", {
      x: rtl ? width - 4 : 4, y: y + 4, "font-size": 11, fill: "#444", "text-anchor": rtl ? "end" : "start", class: "y-tick",
    });
    tick.textContent = number(value);
    svg.append(tick);
  }
  const stacked = new Map<string, number>();
  for (const entry of timeline.daily) {
    if (entry.certain === 0) continue;
    const i = index.get(entry.day);
    if (i === undefined) continue;
    const below = stacked.get(entry.day) ?? 0;
    const h = (entry.certain / highest) * plotHeight;
    svg.append(node("rect", {
      x: x(i), width: barWidth, y: y0 - below - h, height: h,
      fill: partyColours[Math.max(0, parties.indexOf(entry.party)) % partyColours.length], class: "bar",
    }));
    stacked.set(entry.day, below + h);
  }
  for (const [d, certain] of whoever) {
    const i = index.get(d);
    const below = stacked.get(d) ?? 0;
    const h = (certain / highest) * plotHeight - below;
    if (i === undefined || h <= 0) continue;
    const bar = node("rect", { x: x(i), width: barWidth, y: y0 - below - h, height: h, fill: "#8a8a8a", class: "who-unknown" });
    const title = node("title", {});
    title.textContent = `${day(d)}: ${number(certain)} ${label("certain-whoever")}`;
    bar.append(title);
    svg.append(bar);
  }
  drawDeaths(svg, x, y0, plotHeight, index);
  drawAxis(svg, x, y0, barWidth);
  // The brushed range: the days outside it are veiled.
  const [a, b] = brushed;
  const start = Math.min(x(a), x(b));
  const end = Math.max(x(a), x(b)) + barWidth;
  for (const [from, to] of [[margin.end, start], [end, width - margin.end]]) {
    if (to - from > 0.5) svg.append(node("rect", { x: from, width: to - from, y: margin.top, height: plotHeight, fill: "#ffffff", "fill-opacity": 0.7, class: "outside-brush" }));
  }
  svg.append(node("rect", { x: start, width: end - start, y: margin.top, height: plotHeight, fill: "none", stroke: "#1b1b1b", "stroke-width": 1.5, class: "brush-range" }));
  holder.replaceChildren(svg);
  document.body.dataset.timelineDirection = rtl ? "rtl" : "ltr";
}

/** Cumulative deaths (certain violations, best estimate), as a line over the bars. */
function drawDeaths(svg: SVGElement, x: (i: number) => number, y0: number, plotHeight: number, index: Map<string, number>): void {
  const byWeek = new Map<string, number[]>();
  for (const w of timeline?.weekly ?? []) {
    const sum = byWeek.get(w.week) ?? [0, 0, 0];
    const c = w.cumulative_deaths_certain as number[];
    byWeek.set(w.week, [sum[0] + c[0], sum[1] + c[1], sum[2] + c[2]]);
  }
  const weeks = [...byWeek.keys()].sort();
  if (weeks.length === 0) return;
  const most = Math.max(1, ...weeks.map((w) => byWeek.get(w)![1]));
  svg.append(node("polyline", {
    points: weeks.map((w) => `${x(index.get(w) ?? 0)},${y0 - (byWeek.get(w)![1] / most) * plotHeight * 0.95}`).join(" "),
    fill: "none", stroke: "#1b1b1b", "stroke-width": 1.5, class: "deaths-line",
  }));
  const [low, best, high] = byWeek.get(weeks[weeks.length - 1])!;
  element("deaths-so-far").textContent = `${label("deaths-so-far")}: ${number(best)} (${number(low)}–${number(high)})`;
}

/** The date axis: a tick at each month's first day (every few months on a long span). */
function drawAxis(svg: SVGElement, x: (i: number) => number, y0: number, barWidth: number): void {
  svg.append(node("line", { x1: x(0), x2: x(days.length - 1) + barWidth, y1: y0, y2: y0, stroke: "#1b1b1b", "stroke-width": 1 }));
  const months = days.map((d, i) => [d, i] as const).filter(([d]) => d.endsWith("-01"));
  const every = Math.max(1, Math.ceil(months.length / 8));
  const format = new Intl.DateTimeFormat(state.language === "ar" ? "ar-EG" : "en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  months.forEach(([d, i], k) => {
    if (k % every !== 0) return;
    svg.append(node("line", { x1: x(i), x2: x(i), y1: y0, y2: y0 + 4, stroke: "#1b1b1b" }));
    const tick = node("text", { x: x(i), y: y0 + 16, "font-size": 11, fill: "#1b1b1b", "text-anchor": "middle", class: "x-tick" });
    tick.textContent = format.format(new Date(`${d}T00:00:00Z`));
    svg.append(tick);
  });
}

/** The key: each party's colour, the grey of certain violations by no party known, the deaths line. */
export function showKey(): void {
  if (!timeline) return;
  const key = element("timeline-key");
  const names = new Map((state.agreement?.parties ?? []).map((p) => [p.id, p.name]));
  const item = (swatch: string, words: string, className = "swatch-bar") => {
    const li = document.createElement("li");
    const mark = document.createElement("span");
    mark.className = className;
    mark.style.background = swatch;
    li.append(mark, text("span", words));
    return li;
  };
  key.replaceChildren(
    ...(timeline.parties as string[]).map((party, i) => item(partyColours[i % partyColours.length], names.get(party) ?? party)),
    item("#8a8a8a", label("key-whoever")),
    item("#1b1b1b", label("deaths-line"), "swatch-line"),
  );
}

/** The agreement's life: clauses, steps, versions and releases, with their days. */
function showChronology(): void {
  if (!timeline) return;
  element("chronology").replaceChildren(
    ...timeline.chronology
      .filter((entry) => entry.what !== "incident")
      .map((entry) => {
        // Versions, resolutions and releases come from the ledger: marked so, in words.
        const fromLedger = ledgerLife.has(entry.what);
        const item = text("li", `${entry.day} — ${entry.text}${fromLedger ? ` (${label("from-ledger")})` : ""}`);
        item.dataset.what = entry.what;
        if (fromLedger) item.className = "from-ledger";
        return item;
      }),
  );
}
