// The map view, loaded on its own chunk: the map, the timeline, the filters and
// the incident panel. The incidents, the timeline and the steps are asked for at
// once, not one after another.
import { type Api, type Json, download, element, json, label, state, text } from "./page";
import { buildFilters, applyBrush, downloadCsv, downloadGeoJson, filterParams, fromUrl, loadIncidents, setUpBrush } from "./filters";
import { showIncident } from "./incident";
import { loadLayers, resize, saveMapPng, showMap } from "./map";
import { draw, setChronology, setTimeline, showKey } from "./timeline";

export async function showMapView(): Promise<void> {
  // Read before the page writes its own state to the URL.
  const wanted = fromUrl().get("incident");
  buildFilters();
  // Every request at once: on a slow link the round trips, not the bytes, add up.
  const [incidents, timeline, board, layers] = await Promise.all([
    loadIncidents(),
    json<Api["TimelineWire"]>("/api/v1/timeline"),
    json<Api["StepsBoard"]>("/api/v1/steps"),
    loadLayers(),
  ]);
  state.incidents = incidents;
  const features = incidents.features as Json[];
  setTimeline(
    timeline,
    board,
    features.map((f) => f.properties.date.first as string),
    features.map((f) => f.properties.date.last as string),
  );
  await showMap(incidents, layers);
  setUpBrush();
  applyBrush();
  draw();
  state.onLanguage.push(() => {
    draw();
    showKey();
    // The brush writes the page's state, the language with it, to the URL.
    applyBrush();
    if (state.selected) void showIncident(state.selected);
    // The chronology's lines are the server's sentences: asked for again in the new language.
    void json<Api["TimelineWire"]>("/api/v1/timeline").then((t) => setChronology(t.chronology));
  });
  let redraw = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(redraw);
    redraw = requestAnimationFrame(() => draw());
  }).observe(element("timeline-chart"));
  element("save-map").addEventListener("click", () => {
    const png = saveMapPng();
    if (png) download("truce-map.png", png);
  });
  element("download-csv").addEventListener("click", downloadCsv);
  element("download-geojson").addEventListener("click", downloadGeoJson);
  if (wanted) await showIncident(wanted);
  if (features.length === 0 && filterParams().toString() === "") firstRun();
  document.body.dataset.mapReady = String(features.length);
}

export { resize };

/** The store holds no evidence yet: the panel says what to do, to whom it may. */
function firstRun(): void {
  const staff = state.me !== null && ["mission-admin", "analyst"].includes(state.me.role);
  const panel = element("panel");
  const steps = document.createElement("ol");
  for (const key of staff ? ["first-run-import", "first-run-upload", "first-run-users"] : ["first-run-wait"]) {
    steps.append(text("li", label(key)));
  }
  const heading = text("h2", label("first-run"));
  heading.id = "first-run";
  panel.replaceChildren(heading, steps);
  document.body.dataset.firstRun = "true";
}
