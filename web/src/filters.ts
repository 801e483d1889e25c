// The map page's state: the filters (party, clause, kind, zone, certainty, grade,
// text-only), the time brush and the selected incident, kept in the URL so that a
// link reproduces the view; the filters ask the server (which applies the
// caller's disclosure), the brush narrows what came back; and "download what is
// shown" as CSV and GeoJSON.
import { type Json, day, element, json, label, number, safeCell, saveCsv, saveText, state, text } from "./page";
import { showIncident } from "./incident";
import { inView, prepare, setIncidents, whenMoved } from "./map";
import { days, setBrushed } from "./timeline";

/** The filters, in the order of the form, as the API names them. */
const names = ["party", "clause", "kind", "zone", "certainty", "grade", "text_only"] as const;

/** The page's state as read from its URL. */
export function fromUrl(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

/** Writes the page's state to its URL (without reloading). */
function toUrl(): void {
  const params = filterParams();
  const [a, b] = brushDays();
  if (days.length > 0 && (a !== days[0] || b !== days[days.length - 1])) {
    params.set("from", a);
    params.set("to", b);
  }
  if (state.selected) params.set("incident", state.selected);
  if (state.language !== "en") params.set("lang", state.language);
  const query = params.toString();
  window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
}

function select(name: string): HTMLSelectElement {
  return element<HTMLSelectElement>(`filter-${name}`);
}

/** The filters chosen, as query parameters. */
export function filterParams(): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = select(name).value;
    if (value) params.set(name, value);
  }
  return params;
}

/** Fills the filter form from the agreement, in the page's language, keeping what is chosen. */
function fillFilters(): void {
  const agreement = state.agreement;
  if (!agreement) return;
  const options = (name: string, choices: [string, string][]) => {
    const field = select(name);
    const chosen = field.value;
    const any = text("option", label("any")) as HTMLOptionElement;
    any.value = "";
    field.replaceChildren(any, ...choices.map(([value, words]) => {
      const option = text("option", words) as HTMLOptionElement;
      option.value = value;
      return option;
    }));
    field.value = chosen;
  };
  options("party", agreement.parties.map((p) => [p.id, p.name]));
  options("clause", agreement.clauses.map((c) => [c.id, c.id]));
  // The kind tree, indented: choosing a kind takes the kinds under it too.
  options("kind", agreement.kinds.map((k) => [k.id, `${"\u00a0\u00a0".repeat(k.depth)}${k.label}`]));
  options("zone", agreement.zones.map((z) => [z.id, z.name]));
  options("certainty", [["certain", label("certain")], ["possible", label("possible")]]);
  options("grade", [["corroborated", label("grade-corroborated")], ["single-source", label("grade-single-source")], ["contested", label("grade-contested")]]);
  options("text_only", [["true", label("text-only-yes")], ["false", label("text-only-no")]]);
}

/** Fills the filter form, and sets it from the URL. */
export function buildFilters(): void {
  fillFilters();
  const url = fromUrl();
  for (const name of names) {
    const wanted = url.get(name);
    if (wanted && [...select(name).options].some((o) => o.value === wanted)) select(name).value = wanted;
  }
  for (const name of names) select(name).addEventListener("change", () => void reload());
  element("filters-clear").addEventListener("click", () => {
    for (const name of names) select(name).value = "";
    void reload();
  });
  state.onLanguage.push(fillFilters);
}

/** Asks the server for the incidents the filters let through. */
export async function loadIncidents(): Promise<Json> {
  const params = filterParams();
  const query = params.toString();
  return prepare(await json(`/api/v1/map/incidents${query ? `?${query}` : ""}`));
}

/** The latest reload asked for: an earlier answer that arrives later is dropped. */
let reloads = 0;

async function reload(): Promise<void> {
  const mine = ++reloads;
  document.body.dataset.filtering = "true";
  toUrl();
  const incidents = await loadIncidents();
  if (mine !== reloads) return;
  state.incidents = incidents;
  applyBrush();
  delete document.body.dataset.filtering;
}

function range(): [number, number] {
  let a = Number(element<HTMLInputElement>("brush-from").value);
  let b = Number(element<HTMLInputElement>("brush-to").value);
  if (a > b) [a, b] = [b, a];
  return [a, b];
}

function brushDays(): [string, string] {
  const [a, b] = range();
  return [days[a] ?? "", days[b] ?? ""];
}

/** Sets the sliders to the chart's days, and to the URL's range when it gives one. */
export function setUpBrush(): void {
  const from = element<HTMLInputElement>("brush-from");
  const to = element<HTMLInputElement>("brush-to");
  for (const input of [from, to]) input.max = String(Math.max(0, days.length - 1));
  const url = fromUrl();
  const at = (wanted: string | null, fallback: number) => {
    const i = wanted ? days.indexOf(wanted) : -1;
    return i >= 0 ? i : fallback;
  };
  from.value = String(at(url.get("from"), 0));
  to.value = String(at(url.get("to"), days.length - 1));
  from.addEventListener("input", applyBrush);
  to.addEventListener("input", applyBrush);
  whenMoved(listInView);
  state.onSelected.push(() => toUrl());
}

/** Shows on the map, the timeline and the list only the incidents within the brushed days. */
export function applyBrush(): void {
  const [a, b] = range();
  const [first, last] = brushDays();
  element("brush-from-day").textContent = first ? day(first) : "";
  element("brush-to-day").textContent = last ? day(last) : "";
  const features = ((state.incidents?.features ?? []) as Json[]).filter(
    (f) => f.properties.date.last >= first && f.properties.date.first <= last,
  );
  state.shown = features;
  setIncidents(features);
  setBrushed([a, b]);
  listInView();
  document.body.dataset.mapShown = String(features.length);
  element("brush-count").textContent = `${number(features.length)} ${label("incidents-shown")}`;
  element("print-period").textContent = `${label("period-shown")}: ${day(first)} – ${day(last)}`;
  toUrl();
}

/** The incidents shown and within the map's view, as buttons that open their
 * panel: the keyboard's way to what the mouse clicks on the map. */
export function listInView(): void {
  const list = element("incident-list");
  const shown = inView(state.shown ?? []).slice(0, 50);
  list.replaceChildren(
    ...shown.map((f) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const p = f.properties;
      button.textContent = `${day(p.date.first)} · ${p.kind_label} · ${p.place ?? ""} · ${label(p.finding === "none" ? "no-clause" : p.finding)}`;
      button.addEventListener("click", () => void showIncident(String(p.id)));
      item.append(button);
      return item;
    }),
  );
}

/** What is shown (filters and brush), as CSV: one row per incident. */
export function downloadCsv(): void {
  const rows = (state.shown ?? []).map((f) => {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const c = p.casualties;
    return [
      String(p.id), p.date.first, p.date.last, safeCell(p.place ?? ""), String(lon), String(lat), p.kind, safeCell(p.kind_label),
      p.finding, p.grade, String(p.independent_sources), String(p.text_only),
      c ? String(c.low) : "", c ? String(c.best) : "", c ? String(c.high) : "", (p.zones as string[]).join(" "),
    ];
  });
  saveCsv("truce-incidents.csv", [
    ["id", "first_day", "last_day", "place", "lon", "lat", "kind", "kind_label", "finding", "grade", "independent_sources", "text_only", "deaths_low", "deaths_best", "deaths_high", "zones"],
    ...rows,
  ]);
}

/** What is shown, as GeoJSON: the features as the server sent them. */
export function downloadGeoJson(): void {
  // Without the flat number the map's expressions read (`best`): as the server sent them.
  const features = (state.shown ?? []).map((f) => {
    const { best: _, ...properties } = f.properties;
    return { ...f, properties };
  });
  const body = JSON.stringify({ type: "FeatureCollection", features });
  saveText("truce-incidents.geojson", body, "application/geo+json");
}
