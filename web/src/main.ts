// truce's dashboard. Everything it shows comes from the server's API, which
// decides what the caller may see (the disclosure policy is enforced there, never
// here). Everything it loads is bundled: no CDN, no tile server, no fonts from afar.
import maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import "./style.css";
import { labels, type Language } from "./labels";
import type { components } from "./api";

/** A GeoJSON answer (the map's layers), read loosely: MapLibre reads it. */
type Json = Record<string, any>;
/** The API's answers, as `docs/openapi.json` defines them (`web/src/api.ts`, generated). */
type Api = components["schemas"];

const state: {
  /** The incidents the time brush lets through. */
  shown: Json[] | null;
  /** A login's CSRF token, sent with every request that changes anything. */
  csrf: string | null;
  incidents: Json | null;
  token: string | null;
  language: Language;
  clauses: Map<string, string>;
  me: Api["Me"] | null;
  map: maplibregl.Map | null;
} = {
  token: sessionStorage.getItem("truce-token"),
  language: (localStorage.getItem("truce-language") as Language) || "en",
  clauses: new Map(),
  me: null,
  map: null,
  incidents: null,
  csrf: sessionStorage.getItem("truce-csrf"),
  shown: null,
};

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`no element #${id}`);
  return found as T;
}

function text(tag: string, content: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function label(key: string): string {
  return labels[state.language][key] ?? labels.en[key] ?? key;
}

/** Sets the page's language and direction, and every labelled element's words. */
function applyLanguage(): void {
  const root = document.documentElement;
  root.lang = state.language;
  root.dir = state.language === "ar" ? "rtl" : "ltr";
  for (const node of document.querySelectorAll<HTMLElement>("[data-label]")) {
    node.textContent = label(node.dataset.label ?? "");
  }
  const toggle = element<HTMLButtonElement>("language");
  toggle.textContent = state.language === "ar" ? "English" : "العربية";
  toggle.lang = state.language === "ar" ? "en" : "ar";
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (state.token) headers.set("authorization", `Bearer ${state.token}`);
  const method = (init.method ?? "GET").toUpperCase();
  if (state.csrf && method !== "GET" && method !== "HEAD") headers.set("x-csrf-token", state.csrf);
  return fetch(path, { ...init, headers, credentials: "same-origin" });
}

async function json<T = Json>(path: string): Promise<T> {
  const response = await api(path);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(`${path}: ${response.status} ${body.code ?? ""} ${body.message ?? ""}`.trim());
  }
  return response.json();
}

// ------------------------------------------------------------------ sign in

async function signIn(): Promise<void> {
  const login = element("login");
  if (state.token || state.csrf) {
    try {
      state.me = await json<Api["Me"]>("/api/v1/me");
    } catch {
      state.token = null;
      state.csrf = null;
      sessionStorage.removeItem("truce-token");
      sessionStorage.removeItem("truce-csrf");
    }
  }
  if (!state.me && !sessionStorage.getItem("truce-public")) {
    login.hidden = false;
    element("views").hidden = true;
    await new Promise<void>((resolve) => {
      element<HTMLFormElement>("token-form").addEventListener("submit", (event) => {
        event.preventDefault();
        state.token = element<HTMLInputElement>("token").value.trim();
        sessionStorage.setItem("truce-token", state.token);
        resolve();
      });
      element<HTMLFormElement>("password-form").addEventListener("submit", async (event) => {
        event.preventDefault();
        const response = await fetch("/api/v1/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({
            name: element<HTMLInputElement>("name").value.trim(),
            password: element<HTMLInputElement>("password").value,
          }),
        });
        if (!response.ok) {
          element("login-error").textContent = label("login-refused");
          return;
        }
        const opened = await response.json();
        state.csrf = opened.csrf_token;
        sessionStorage.setItem("truce-csrf", opened.csrf_token);
        resolve();
      });
      element("public").addEventListener("click", () => {
        sessionStorage.setItem("truce-public", "1");
        resolve();
      });
    });
    login.hidden = true;
    element("views").hidden = false;
    if (state.token || state.csrf) state.me = await json<Api["Me"]>("/api/v1/me");
  }
  const who = element("who");
  who.textContent = state.me
    ? `${state.me.name} · ${label(`role-${state.me.role}`)}${state.me.party ? ` (${state.me.party})` : ""}`
    : label("public");
}

// ---------------------------------------------------------------------- map

const colours: maplibregl.ExpressionSpecification = [
  "match",
  ["get", "finding"],
  "violation-certain", "#d55e00",
  "violation-possible", "#e69f00",
  "allowed", "#0072b2",
  "#999999",
];

async function showMap(): Promise<void> {
  const [zones, incidents, sites, base] = await Promise.all([
    json("/api/v1/map/zones"),
    json("/api/v1/map/incidents"),
    json("/api/v1/map/sites"),
    json<Api["BaseMap"]>("/api/v1/map/base"),
  ]);
  // Flat numbers for the map's expressions (nested objects reach them as text).
  for (const feature of incidents.features as Json[]) {
    feature.properties.best = feature.properties.casualties?.best ?? 0;
  }
  const bounds = new maplibregl.LngLatBounds();
  for (const feature of incidents.features as Json[]) {
    bounds.extend(feature.geometry.coordinates as [number, number]);
  }
  const map = new maplibregl.Map({
    container: "map",
    // No tile server: the agreement's zones are the base layer.
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "background", type: "background", paint: { "background-color": "#f4f1ea" } }],
    },
    center: bounds.isEmpty() ? [0, 0] : bounds.getCenter(),
    zoom: 5,
    attributionControl: false,
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  state.map = map;
  // For automation (the browser tests): the map, to find where an incident is drawn.
  (window as unknown as { truceMap: maplibregl.Map }).truceMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  await new Promise<void>((resolve) => map.once("load", () => resolve()));
  // Tiles only when the mission set a tile URL; by default nothing leaves the machine.
  if (base.tile_url) {
    map.addSource("tiles", { type: "raster", tiles: [base.tile_url], tileSize: 256 });
    map.addLayer({ id: "tiles", type: "raster", source: "tiles" });
  }
  map.addSource("boundaries", { type: "geojson", data: base.boundaries as Json as GeoJSON.FeatureCollection });
  map.addLayer({ id: "boundaries", type: "line", source: "boundaries", paint: { "line-color": "#9e9e9e", "line-width": 0.6 } });
  document.body.dataset.boundaries = String(((base.boundaries as Json).features as Json[]).length);
  map.addSource("zones", { type: "geojson", data: zones as any });
  map.addLayer({ id: "zones-fill", type: "fill", source: "zones", paint: { "fill-color": "#cfd8dc", "fill-opacity": 0.35 } });
  map.addLayer({ id: "zones-line", type: "line", source: "zones", paint: { "line-color": "#607d8b", "line-width": 1 } });
  // Protected sites (empty for the public): a ring of their protection radius.
  map.addSource("sites", { type: "geojson", data: siteRings(sites) as any });
  map.addLayer({ id: "sites-fill", type: "fill", source: "sites", paint: { "fill-color": "#cc79a7", "fill-opacity": 0.25 } });
  map.addLayer({ id: "sites-line", type: "line", source: "sites", paint: { "line-color": "#cc79a7", "line-width": 2 } });
  document.body.dataset.sites = String((sites.features as Json[]).length);
  map.addSource("incidents", {
    type: "geojson",
    data: incidents as any,
    cluster: true,
    clusterRadius: 40,
    clusterMaxZoom: 10,
  });
  map.addLayer({
    id: "clusters",
    type: "circle",
    source: "incidents",
    filter: ["has", "point_count"],
    paint: {
      "circle-color": "#555555",
      "circle-opacity": 0.6,
      "circle-radius": ["step", ["get", "point_count"], 10, 20, 16, 200, 24],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1,
    },
  });
  map.addLayer({
    id: "incidents",
    type: "circle",
    source: "incidents",
    filter: ["!", ["has", "point_count"]],
    paint: {
      "circle-color": colours,
      "circle-radius": ["interpolate", ["linear"], ["get", "best"], 0, 5, 10, 8, 100, 14],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1,
    },
  });
  if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 40, animate: false });
  state.incidents = incidents;
  await showTimeline();
  map.on("moveend", () => listInView());
  map.on("click", "clusters", (event) => {
    const feature = event.features?.[0];
    if (!feature) return;
    map.easeTo({ center: (feature.geometry as any).coordinates, zoom: map.getZoom() + 2 });
  });
  map.on("click", "incidents", (event) => {
    const id = event.features?.[0]?.properties?.id;
    if (id) void showIncident(String(id));
  });
  for (const layer of ["clusters", "incidents"]) {
    map.on("mouseenter", layer, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", layer, () => (map.getCanvas().style.cursor = ""));
  }
  document.body.dataset.mapReady = String(incidents.features.length);
}

/** Each site as a polygon: a circle of its protection radius (64 sides). */
function siteRings(sites: Json): Json {
  const features = (sites.features as Json[]).map((site) => {
    const [lon, lat] = site.geometry.coordinates as [number, number];
    const km = Number(site.properties.protection_radius_km) || 0.5;
    const ring: [number, number][] = [];
    for (let i = 0; i <= 64; i++) {
      const angle = (i / 64) * 2 * Math.PI;
      const dLat = (km / 111.32) * Math.sin(angle);
      const dLon = (km / (111.32 * Math.cos((lat * Math.PI) / 180))) * Math.cos(angle);
      ring.push([lon + dLon, lat + dLat]);
    }
    return { type: "Feature", properties: site.properties, geometry: { type: "Polygon", coordinates: [ring] } };
  });
  return { type: "FeatureCollection", features };
}

// ----------------------------------------------------------------- timeline

const partyColours = ["#009e73", "#cc79a7", "#56b4e9", "#f0e442", "#000000", "#8c564b"];

/** Days from the first to the last, as YYYY-MM-DD. */
function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  const day = new Date(`${first}T00:00:00Z`);
  const end = new Date(`${last}T00:00:00Z`);
  while (day <= end && out.length < 20000) {
    out.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

/** Violations per day per party, stacked, the steps' windows shaded; the two
 * sliders below it choose the days the map shows. */
async function showTimeline(): Promise<void> {
  const [timeline, board] = await Promise.all([
    json<Api["TimelineWire"]>("/api/v1/timeline"),
    json<Api["StepsBoard"]>("/api/v1/steps"),
  ]);
  const daily = timeline.daily;
  const features = (state.incidents?.features ?? []) as Json[];
  const firsts = features.map((f) => f.properties.date.first as string).sort();
  const lasts = features.map((f) => f.properties.date.last as string).sort();
  const first = [daily[0]?.day, firsts[0]].filter(Boolean).sort()[0];
  const last = [daily[daily.length - 1]?.day, lasts[lasts.length - 1]].filter(Boolean).sort().reverse()[0];
  if (!first || !last) return;
  const days = daysBetween(first, last);
  const index = new Map(days.map((d, i) => [d, i]));
  const parties = timeline.parties as string[];
  const totals = new Map<string, number>();
  for (const entry of daily) totals.set(entry.day, (totals.get(entry.day) ?? 0) + entry.certain);
  // Certain violations whoever did them: a clash of two bound parties is certain
  // though who fired is not; the part no party is certain of is drawn in grey.
  const whoever = new Map<string, number>();
  for (const entry of timeline.daily_whoever ?? []) whoever.set(entry.day, entry.certain);
  const highest = Math.max(1, ...totals.values(), ...whoever.values());
  const width = days.length;
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} 100`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label("timeline"));
  for (const step of board.steps) {
    if (!step.window_first || !step.window_last) continue;
    const from = index.get(step.window_first) ?? 0;
    const to = index.get(step.window_last) ?? width - 1;
    const rect = document.createElementNS(svgNs, "rect");
    rect.setAttribute("x", String(from));
    rect.setAttribute("width", String(Math.max(1, to - from + 1)));
    rect.setAttribute("y", "0");
    rect.setAttribute("height", "100");
    rect.setAttribute("fill", step.status === "met" ? "#d9f0e3" : "#f6dede");
    const title = document.createElementNS(svgNs, "title");
    title.textContent = `${step.name}: ${label(step.status)}`;
    rect.append(title);
    svg.append(rect);
  }
  const stacked = new Map<string, number>();
  for (const entry of daily) {
    if (entry.certain === 0) continue;
    const x = index.get(entry.day);
    if (x === undefined) continue;
    const below = stacked.get(entry.day) ?? 0;
    const height = (entry.certain / highest) * 100;
    const bar = document.createElementNS(svgNs, "rect");
    bar.setAttribute("x", String(x));
    bar.setAttribute("width", "1");
    bar.setAttribute("y", String(100 - below - height));
    bar.setAttribute("height", String(height));
    bar.setAttribute("fill", partyColours[Math.max(0, parties.indexOf(entry.party)) % partyColours.length]);
    svg.append(bar);
    stacked.set(entry.day, below + height);
  }
  for (const [day, certain] of whoever) {
    const x = index.get(day);
    const below = stacked.get(day) ?? 0;
    const height = (certain / highest) * 100 - below;
    if (x === undefined || height <= 0) continue;
    const bar = document.createElementNS(svgNs, "rect");
    bar.setAttribute("x", String(x));
    bar.setAttribute("width", "1");
    bar.setAttribute("y", String(100 - below - height));
    bar.setAttribute("height", String(height));
    bar.setAttribute("fill", "#8a8a8a");
    bar.setAttribute("class", "who-unknown");
    const title = document.createElementNS(svgNs, "title");
    title.textContent = `${day}: ${certain} ${label("certain-whoever")}`;
    bar.append(title);
    svg.append(bar);
  }
  // Cumulative deaths (certain violations, best estimate), as a line over the bars.
  const weekly = timeline.weekly ?? [];
  const byWeek = new Map<string, number[]>();
  for (const w of weekly) {
    const sum = byWeek.get(w.week) ?? [0, 0, 0];
    const c = w.cumulative_deaths_certain as number[];
    byWeek.set(w.week, [sum[0] + c[0], sum[1] + c[1], sum[2] + c[2]]);
  }
  const weeks = [...byWeek.keys()].sort();
  const most = Math.max(1, ...weeks.map((w) => byWeek.get(w)![1]));
  if (weeks.length > 0) {
    const line = document.createElementNS(svgNs, "polyline");
    line.setAttribute(
      "points",
      weeks.map((w) => `${index.get(w) ?? 0},${100 - (byWeek.get(w)![1] / most) * 95}`).join(" "),
    );
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#1b1b1b");
    line.setAttribute("stroke-width", "1.5");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    svg.append(line);
    const [low, best, high] = byWeek.get(weeks[weeks.length - 1])!;
    element("deaths-so-far").textContent = `${label("deaths-so-far")}: ${best} (${low}–${high})`;
  }
  const chronology = element("chronology");
  chronology.replaceChildren(
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
  element("timeline-chart").replaceChildren(svg);
  const from = element<HTMLInputElement>("brush-from");
  const to = element<HTMLInputElement>("brush-to");
  for (const input of [from, to]) {
    input.max = String(days.length - 1);
  }
  from.value = "0";
  to.value = String(days.length - 1);
  const apply = () => {
    let a = Number(from.value);
    let b = Number(to.value);
    if (a > b) [a, b] = [b, a];
    element("brush-from-day").textContent = days[a];
    element("brush-to-day").textContent = days[b];
    filterMap(days[a], days[b]);
  };
  from.addEventListener("input", apply);
  to.addEventListener("input", apply);
  apply();
}

/** The incidents shown and within the map's view, as buttons that open their
 * panel: the keyboard's way to what the mouse clicks on the map. */
function listInView(): void {
  const map = state.map;
  const list = document.getElementById("incident-list");
  if (!map || !list) return;
  const bounds = map.getBounds();
  const shown = (state.shown ?? []) as Json[];
  const inView = shown
    .filter((f) => bounds.contains(f.geometry.coordinates as [number, number]))
    .slice(0, 50);
  list.replaceChildren(
    ...inView.map((f) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const p = f.properties;
      button.textContent = `${p.date.first} · ${p.kind_label} · ${p.place ?? ""} · ${label(p.finding === "none" ? "no-clause" : p.finding)}`;
      button.addEventListener("click", () => void showIncident(String(p.id)));
      item.append(button);
      return item;
    }),
  );
}

/** Shows on the map only the incidents whose days meet `from`..`to`. */
function filterMap(from: string, to: string): void {
  const all = state.incidents;
  const source = state.map?.getSource("incidents") as maplibregl.GeoJSONSource | undefined;
  if (!all || !source) return;
  const features = (all.features as Json[]).filter(
    (f) => f.properties.date.last >= from && f.properties.date.first <= to,
  );
  source.setData({ type: "FeatureCollection", features } as any);
  state.shown = features;
  listInView();
  document.body.dataset.mapShown = String(features.length);
  element("brush-count").textContent = `${features.length} ${label("incidents-shown")}`;
}

/** The incident's panel: its place and grade, each finding with its reason chain
 * quoting the clause, and the reports behind it where the caller may see them. */
async function showIncident(id: string): Promise<void> {
  const panel = element("panel");
  panel.replaceChildren(text("p", label("loading"), "hint"));
  const detail = await json<Api["IncidentDetail"]>(`/api/v1/incidents/${encodeURIComponent(id)}`);
  const incident = detail.incident;
  const heading = text("h2", `${incident.kind_label} — ${incident.place ?? label("place-withheld")}`);
  heading.id = "incident-heading";
  const facts = document.createElement("dl");
  const fact = (name: string, value: string) => {
    facts.append(text("dt", label(name)), text("dd", value));
  };
  fact("date", incident.date.first === incident.date.last ? incident.date.first : `${incident.date.first} – ${incident.date.last}`);
  fact("grade", `${incident.grade} (${incident.independent_sources})`);
  if (incident.text_only) fact("evidence", label("text-only"));
  if (incident.casualties) {
    const c = incident.casualties;
    fact("deaths", `${c.best} (${c.low}–${c.high})`);
  }
  panel.replaceChildren(heading, facts);
  for (const finding of detail.findings) {
    const block = document.createElement("section");
    block.className = "finding";
    // Whether the clause was broken, then who: "certain violation; responsible:
    // government-side or opposition — the source does not say who acted".
    const responsible = (finding.responsible as string[] | undefined) ?? [];
    const who =
      finding.verdict !== "violation"
        ? (finding.party ?? finding.actor)
        : finding.certainty === "certain" || responsible.length <= 1
          ? `${label("responsible")}: ${finding.party ?? finding.actor}`
          : `${label("responsible")}: ${responsible.join(` ${label("or")} `)} — ${label("who-unknown")}`;
    const guarantors = (finding.guarantors as string[] | undefined) ?? [];
    block.append(
      text(
        "h3",
        `${label(finding.verdict)} · ${finding.clause} · ${label(finding.verdict === "violation" ? finding.breach : finding.certainty)} · ${who}`,
      ),
    );
    if (guarantors.length > 0) block.append(text("p", `${label("guarantors")}: ${guarantors.join(", ")}`, "guarantors"));
    const clause = state.clauses.get(finding.clause);
    if (clause) block.append(text("blockquote", clause, "clause-text"));
    const reasons = document.createElement("ol");
    reasons.className = "reasons";
    for (const reason of finding.reasons) {
      const item = text("li", `${label(`link-${reason.link}`)}: ${reason.text}`, `certainty-${reason.certainty}`);
      reasons.append(item);
    }
    block.append(reasons);
    panel.append(block);
  }
  if (detail.reports.length > 0) {
    panel.append(text("h3", label("reports")));
    const list = document.createElement("ul");
    for (const report of detail.reports) {
      list.append(text("li", `${report.source} · ${report.id}${report.summary ? ` — ${report.summary}` : ""}`));
    }
    panel.append(list);
  }
  panel.focus();
}

// ------------------------------------------------------------------ exports

function download(name: string, href: string): void {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/** A CSV file of rows (RFC 4180 quoting), downloaded as `name`. */
function saveCsv(name: string, rows: string[][]): void {
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const csv = rows.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  download(name, url);
  URL.revokeObjectURL(url);
}

// -------------------------------------------------------------- steps board

async function showSteps(): Promise<void> {
  const board = await json<Api["StepsBoard"]>("/api/v1/steps");
  const view = element("view-steps");
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const key of ["step", "status", "met-on", "summary", "requires", "gates"]) {
    const cell = text("th", label(key));
    cell.setAttribute("scope", "col");
    head.append(cell);
  }
  table.append(head);
  for (const step of board.steps) {
    const row = document.createElement("tr");
    row.append(
      text("td", step.name),
      text("td", label(step.status), "status"),
      text("td", step.met_on ?? "—"),
      text("td", step.summary),
      text("td", (step.requires as string[]).join(", ") || "—"),
      text("td", (step.gates as string[]).join(", ") || "—"),
    );
    table.append(row);
  }
  // The steps' dependencies as a small graph: one box per step, an arrow from
  // each step to those that wait for it, in the order they can be met.
  const svgNs = "http://www.w3.org/2000/svg";
  const graph = document.createElementNS(svgNs, "svg");
  const steps = board.steps;
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string> = new Set()): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const step = steps.find((s) => s.id === id);
    const d = step ? Math.max(0, ...(step.requires as string[]).map((r) => depthOf(r, seen) + 1)) : 0;
    depth.set(id, d);
    return d;
  };
  const columns = new Map<number, string[]>();
  for (const step of steps) {
    const d = depthOf(step.id);
    columns.set(d, [...(columns.get(d) ?? []), step.id]);
  }
  const position = new Map<string, [number, number]>();
  for (const [d, ids] of columns) ids.forEach((id, row) => position.set(id, [10 + d * 230, 10 + row * 60]));
  const height = 20 + Math.max(1, ...[...columns.values()].map((ids) => ids.length)) * 60;
  graph.setAttribute("viewBox", `0 0 ${20 + columns.size * 230} ${height}`);
  graph.setAttribute("role", "img");
  graph.setAttribute("aria-label", steps.map((s) => `${s.id}${(s.requires as string[]).length ? ` ← ${(s.requires as string[]).join(", ")}` : ""}`).join("; "));
  graph.classList.add("step-graph");
  for (const step of steps) {
    const [x, y] = position.get(step.id)!;
    for (const required of step.requires as string[]) {
      const from = position.get(required);
      if (!from) continue;
      const edge = document.createElementNS(svgNs, "line");
      edge.setAttribute("x1", String(from[0] + 200));
      edge.setAttribute("y1", String(from[1] + 20));
      edge.setAttribute("x2", String(x));
      edge.setAttribute("y2", String(y + 20));
      edge.setAttribute("stroke", "#555");
      edge.setAttribute("stroke-width", "2");
      graph.append(edge);
    }
    const box = document.createElementNS(svgNs, "rect");
    box.setAttribute("x", String(x));
    box.setAttribute("y", String(y));
    box.setAttribute("width", "200");
    box.setAttribute("height", "40");
    box.setAttribute("rx", "6");
    box.setAttribute("fill", step.status === "met" ? "#d9f0e3" : step.status === "locked" ? "#eeeeee" : "#f6dede");
    box.setAttribute("stroke", "#555");
    const name = document.createElementNS(svgNs, "text");
    name.setAttribute("x", String(x + 8));
    name.setAttribute("y", String(y + 25));
    name.setAttribute("font-size", "13");
    name.textContent = `${step.id}: ${label(step.status)}`;
    graph.append(box, name);
  }
  const save = text("button", label("save-csv"));
  (save as HTMLButtonElement).type = "button";
  save.id = "save-steps";
  save.addEventListener("click", () =>
    saveCsv("truce-steps.csv", [
      ["step", "name", "status", "met_on", "summary", "requires", "gates"],
      ...board.steps.map((s) => [
        s.id, s.name, s.status, s.met_on ?? "", s.summary, (s.requires as string[]).join(" "), (s.gates as string[]).join(" "),
      ]),
    ]),
  );
  view.replaceChildren(text("h2", `${label("steps")} · ${label("as-of")} ${board.as_of}`), graph, table, save);
}

/** The analysts' view: every import run with its counts, and the rows each set aside. */
async function showEvidence(): Promise<void> {
  const runs = await json<Api["ImportRunWire"][]>("/api/v1/imports");
  const view = element("view-evidence");
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const key of ["import-runs", "file", "format", "read", "stored", "duplicates", "revised", "quarantined", "skipped", ""]) {
    const cell = text("th", key ? label(key) : "");
    cell.setAttribute("scope", "col");
    head.append(cell);
  }
  table.append(head);
  const rows = document.createElement("div");
  rows.id = "quarantine";
  for (const run of runs) {
    const row = document.createElement("tr");
    for (const value of [run.run, run.file, run.format, run.read, run.stored, run.duplicates, run.revised, run.quarantined, run.skipped]) {
      row.append(text("td", String(value)));
    }
    const cell = document.createElement("td");
    if (run.quarantined > 0) {
      const open = text("button", label("show-quarantine")) as HTMLButtonElement;
      open.type = "button";
      open.addEventListener("click", async () => {
        const set = await json<Api["QuarantinedWire"][]>(`/api/v1/imports/${run.run}/quarantine`);
        const list = document.createElement("table");
        const header = document.createElement("tr");
        for (const key of ["line", "field", "value", "reason"]) header.append(text("th", label(key)));
        list.append(header);
        for (const q of set) {
          const line = document.createElement("tr");
          line.append(text("td", String(q.line)), text("td", q.field ?? "—"), text("td", q.value ?? "—"), text("td", q.reason));
          list.append(line);
        }
        rows.replaceChildren(text("h3", `${run.file}: ${set.length} ${label("quarantined")}`), list);
      });
      cell.append(open);
    }
    row.append(cell);
    table.append(row);
  }
  view.replaceChildren(text("h2", label("import-runs")), table, rows);
}

async function showBrackets(): Promise<void> {
  const brackets = await json<Api["BracketWire"][]>("/api/v1/brackets");
  const view = element("view-brackets");
  view.replaceChildren(text("h2", label("brackets")));
  for (const bracket of brackets) {
    const block = document.createElement("section");
    block.append(text("h3", `${bracket.id}: ${bracket.text}${bracket.resolved ? ` → ${bracket.resolved}` : ""}`));
    const row = document.createElement("div");
    row.className = "alternatives";
    for (const alternative of bracket.alternatives) {
      const card = document.createElement("div");
      card.className = `alternative${alternative.working ? " working" : ""}`;
      card.append(text("h4", `${label("with")} ${alternative.value}`));
      const list = document.createElement("ul");
      for (const step of alternative.steps) {
        list.append(text("li", `${step.id}: ${label(step.status)}${step.met_on ? ` (${step.met_on})` : ""}`));
      }
      card.append(list, text("p", `${label("violations")}: ${alternative.violations_certain}–${alternative.violations_certain_or_possible}`));
      row.append(card);
    }
    block.append(row);
    view.append(block);
  }
}

/** The record types of the agreement's life, which the chronology marks as from the ledger. */
const ledgerLife = new Set(["agreement-version", "bracket-resolution", "entitlement-release", "entitlement-suspension", "entitlement-handover"]);

async function showLedger(): Promise<void> {
  const view = element("view-ledger");
  view.replaceChildren(text("h2", label("ledger")));
  const response = await api("/api/v1/ledger/checkpoint");
  if (response.ok) {
    const checkpoint = await response.json();
    view.append(text("p", `${label("checkpoint")}: ${checkpoint.size} / ${checkpoint.log_size}`), text("pre", checkpoint.note));
  } else {
    view.append(text("p", label("no-checkpoint")));
  }
  // Everyone may download a bundle: the server makes it for the caller, giving
  // what the caller may not read by its hash only.
  const button = document.createElement("button");
  button.type = "button";
  button.id = "download-bundle";
  button.textContent = label("download-bundle");
  button.addEventListener("click", async () => {
    const bundle = await api("/api/v1/ledger/bundle");
    if (!bundle.ok) {
      view.append(text("p", `${label("download-bundle")}: ${bundle.status}`, "error"));
      return;
    }
    const url = URL.createObjectURL(await bundle.blob());
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = "bundle.zip";
    anchor.click();
    URL.revokeObjectURL(url);
  });
  const staff = state.me && ["mission-admin", "analyst"].includes(state.me.role);
  view.append(button, text("p", label(staff ? "bundle-full" : "bundle-for-you")), text("p", label("verify-how")));
  // The latest entries, as this reader may read them.
  const first = await json<Api["LedgerEntriesPage"]>("/api/v1/ledger/entries?limit=1");
  const size = Number(first.log_size ?? 0);
  const page = await json<Api["LedgerEntriesPage"]>(
    `/api/v1/ledger/entries?limit=20&from=${Math.max(0, size - 20)}`,
  );
  const table = document.createElement("table");
  table.id = "ledger-entries";
  table.append(text("caption", label("latest-entries")));
  const head = document.createElement("tr");
  for (const key of ["entry", "record-type", "recorded", "record"]) {
    const cell = text("th", label(key));
    cell.setAttribute("scope", "col");
    head.append(cell);
  }
  table.append(head);
  for (const entry of page.entries.slice().reverse()) {
    const row = document.createElement("tr");
    if (entry.withheld) row.className = "withheld";
    const what = entry.record
      ? summarizeRecord(entry.record)
      : `${label("withheld")}: ${entry.withheld} (sha256 ${String(entry.leaf_hash).slice(0, 16)}…)`;
    row.append(text("td", String(entry.index)), text("td", entry.type), text("td", entry.recorded ?? "—"), text("td", what));
    table.append(row);
  }
  view.append(table);
}

/** A record in a line: the fields a reader looks for first. */
function summarizeRecord(record: Json): string {
  const parts: string[] = [];
  for (const key of ["name", "bracket", "alternative", "entitlement", "to", "step", "file", "check_run", "as_of", "report", "reason"]) {
    if (record[key] !== undefined && record[key] !== null) parts.push(`${key}: ${typeof record[key] === "object" ? JSON.stringify(record[key]) : record[key]}`);
  }
  const by = record.by;
  if (by) parts.push(`by: ${typeof by === "string" ? by : by.name ?? by.pseudonym ?? by.role}`);
  return parts.join(" · ");
}

// -------------------------------------------------------------------- views

const shown = new Set<string>();
const loaders: Record<string, () => Promise<void>> = {
  map: showMap,
  steps: showSteps,
  brackets: showBrackets,
  ledger: showLedger,
  evidence: showEvidence,
};

async function select(view: string): Promise<void> {
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
    const selected = tab.dataset.view === view;
    tab.setAttribute("aria-selected", String(selected));
    element(`view-${tab.dataset.view}`).hidden = !selected;
  }
  if (!shown.has(view)) {
    shown.add(view);
    await loaders[view]?.();
  }
  if (view === "map") state.map?.resize();
}

async function start(): Promise<void> {
  applyLanguage();
  element("language").addEventListener("click", () => {
    state.language = state.language === "en" ? "ar" : "en";
    localStorage.setItem("truce-language", state.language);
    applyLanguage();
  });
  await signIn();
  const agreement = await json<Api["AgreementWire"]>("/api/v1/agreement");
  element("agreement-title").textContent = agreement.title;
  for (const clause of agreement.clauses) state.clauses.set(clause.id, clause.text);
  // Analysts and admins open the import runs and the quarantine.
  if (state.me && ["mission-admin", "analyst"].includes(state.me.role)) element("tab-evidence").hidden = false;
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
    tab.addEventListener("click", () => void select(tab.dataset.view ?? "map"));
  }
  element("save-map").addEventListener("click", () => {
    const canvas = state.map?.getCanvas();
    if (canvas) download("truce-map.png", canvas.toDataURL("image/png"));
  });
  await select("map");
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  console.error(error);
  element("views").prepend(text("p", String(error), "error"));
});
