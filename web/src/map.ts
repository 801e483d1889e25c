// The map: the offline base (countries, places, the agreement's boundary files
// and zones), protected sites, and the incidents clustered, each cluster coloured
// by the worst finding in it and labelled with its count; the selected incident
// ringed. Loaded on its own (a separate chunk), since MapLibre is most of the code.
import maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { type Api, type Json, json, number, state } from "./page";
import { showIncident } from "./incident";

const colours: maplibregl.ExpressionSpecification = [
  "match",
  ["get", "finding"],
  "violation-certain", "#d55e00",
  "violation-possible", "#e69f00",
  "allowed", "#0072b2",
  "#8a8a8a",
];

/** Counts a cluster carries of each finding, summed over its incidents. */
const clusterProperties = {
  certain: ["+", ["case", ["==", ["get", "finding"], "violation-certain"], 1, 0]],
  possible: ["+", ["case", ["==", ["get", "finding"], "violation-possible"], 1, 0]],
  allowed: ["+", ["case", ["==", ["get", "finding"], "allowed"], 1, 0]],
} as Record<string, maplibregl.ExpressionSpecification>;

/** A cluster's colour: its worst finding. */
const clusterColour: maplibregl.ExpressionSpecification = [
  "case",
  [">", ["get", "certain"], 0], "#d55e00",
  [">", ["get", "possible"], 0], "#e69f00",
  [">", ["get", "allowed"], 0], "#0072b2",
  "#8a8a8a",
];

let map: maplibregl.Map | null = null;
let places: Api["PlaceWire"][] = [];
const placeMarkers: maplibregl.Marker[] = [];
const countMarkers = new Map<number, maplibregl.Marker>();

export function theMap(): maplibregl.Map | null {
  return map;
}

/** Flat numbers for the map's expressions (nested objects reach them as text). */
export function prepare(incidents: Json): Json {
  for (const feature of incidents.features as Json[]) {
    feature.properties.best = feature.properties.casualties?.best ?? 0;
  }
  return incidents;
}

/** What the map draws beneath the incidents. */
export type Layers = { zones: Json; sites: Json; base: Api["BaseMap"] };

/** Asks for the map's layers (started with the incidents, not after them). */
export function loadLayers(): Promise<Layers> {
  return Promise.all([
    json("/api/v1/map/zones"),
    json("/api/v1/map/sites"),
    json<Api["BaseMap"]>("/api/v1/map/base"),
  ]).then(([zones, sites, base]) => ({ zones, sites, base }));
}

export async function showMap(incidents: Json, { zones, sites, base }: Layers): Promise<void> {
  const bounds = new maplibregl.LngLatBounds();
  if (base.area) {
    bounds.extend([base.area[0], base.area[1]]);
    bounds.extend([base.area[2], base.area[3]]);
  } else {
    for (const feature of incidents.features as Json[]) bounds.extend(feature.geometry.coordinates as [number, number]);
  }
  map = new maplibregl.Map({
    container: "map",
    // No tile server: Natural Earth's countries and the agreement's own files are the base.
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "background", type: "background", paint: { "background-color": "#dbe6ec" } }],
    },
    center: bounds.isEmpty() ? [0, 0] : bounds.getCenter(),
    zoom: 5,
    attributionControl: { compact: false, customAttribution: base.attribution },
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  const m = map;
  // For automation (the browser tests): the map, to find where an incident is drawn.
  (window as unknown as { truceMap: maplibregl.Map }).truceMap = m;
  m.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  await new Promise<void>((resolve) => m.once("load", () => resolve()));
  m.addSource("countries", { type: "geojson", data: base.countries as unknown as GeoJSON.FeatureCollection });
  m.addLayer({ id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f4f1ea" } });
  m.addLayer({ id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#8d8478", "line-width": 1 } });
  // Tiles only when the mission set a tile URL; by default nothing leaves the machine.
  if (base.tile_url) {
    m.addSource("tiles", { type: "raster", tiles: [base.tile_url], tileSize: 256 });
    m.addLayer({ id: "tiles", type: "raster", source: "tiles" });
  }
  m.addSource("boundaries", { type: "geojson", data: base.boundaries as unknown as GeoJSON.FeatureCollection });
  m.addLayer({ id: "boundaries", type: "line", source: "boundaries", paint: { "line-color": "#b3aa9e", "line-width": 0.6 } });
  document.body.dataset.boundaries = String(((base.boundaries as Json).features as Json[]).length);
  document.body.dataset.countries = String(((base.countries as Json).features as Json[]).length);
  m.addSource("zones", { type: "geojson", data: zones as GeoJSON.FeatureCollection });
  m.addLayer({ id: "zones-fill", type: "fill", source: "zones", paint: { "fill-color": "#cfd8dc", "fill-opacity": 0.3 } });
  m.addLayer({ id: "zones-line", type: "line", source: "zones", paint: { "line-color": "#607d8b", "line-width": 1.2 } });
  // Protected sites (empty for the public): a ring of their protection radius.
  m.addSource("sites", { type: "geojson", data: siteRings(sites) as GeoJSON.FeatureCollection });
  m.addLayer({ id: "sites-fill", type: "fill", source: "sites", paint: { "fill-color": "#cc79a7", "fill-opacity": 0.25 } });
  m.addLayer({ id: "sites-line", type: "line", source: "sites", paint: { "line-color": "#cc79a7", "line-width": 2 } });
  document.body.dataset.sites = String((sites.features as Json[]).length);
  m.addSource("incidents", {
    type: "geojson",
    data: incidents as GeoJSON.FeatureCollection,
    cluster: true,
    clusterRadius: 40,
    clusterMaxZoom: 10,
    clusterProperties,
  });
  m.addLayer({
    id: "clusters",
    type: "circle",
    source: "incidents",
    filter: ["has", "point_count"],
    paint: {
      "circle-color": clusterColour,
      "circle-opacity": 0.85,
      "circle-radius": ["step", ["get", "point_count"], 12, 20, 16, 200, 21, 1000, 26],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5,
    },
  });
  m.addLayer({
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
  m.addSource("selected", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  m.addLayer({
    id: "selected",
    type: "circle",
    source: "selected",
    paint: { "circle-radius": 13, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#1b1b1b", "circle-stroke-width": 3 },
  });
  state.onSelected.push((id) => highlight(id));
  if (!bounds.isEmpty()) m.fitBounds(bounds, { padding: 30, animate: false });
  places = base.places;
  showPlaces();
  m.on("zoomend", () => showPlaces());
  // Counts are placed once the map is idle (moved, tiles loaded), not on every frame
  // or tile: with 100,000 incidents, reading the clusters that often slows the map down.
  m.on("idle", () => labelClusters());
  // While zooming the clusters themselves change: their counts wait for the zoom to end.
  m.on("zoomstart", () => m.getContainer().classList.add("zooming"));
  m.on("zoomend", () => m.getContainer().classList.remove("zooming"));
  state.onLanguage.push(() => showPlaces());
  m.on("click", "clusters", (event) => {
    const feature = event.features?.[0];
    if (!feature) return;
    m.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom: m.getZoom() + 2 });
  });
  m.on("click", "incidents", (event) => {
    const id = event.features?.[0]?.properties?.id;
    if (id) void showIncident(String(id));
  });
  for (const layer of ["clusters", "incidents"]) {
    m.on("mouseenter", layer, () => (m.getCanvas().style.cursor = "pointer"));
    m.on("mouseleave", layer, () => (m.getCanvas().style.cursor = ""));
  }
}

/** Draws `features` (the incidents the filters and the brush let through). */
export function setIncidents(features: Json[]): void {
  const source = map?.getSource("incidents") as maplibregl.GeoJSONSource | undefined;
  source?.setData({ type: "FeatureCollection", features } as GeoJSON.FeatureCollection);
  if (state.selected) highlight(state.selected);
}

/** Rings the selected incident, wherever the clusters are. */
function highlight(id: string): void {
  // Only when it is drawn: an incident the filters or the brush leave out is not ringed.
  const feature = (state.shown ?? []).find((f) => String(f.properties.id) === id);
  const source = map?.getSource("selected") as maplibregl.GeoJSONSource | undefined;
  source?.setData({ type: "FeatureCollection", features: feature ? [feature] : [] } as GeoJSON.FeatureCollection);
  document.body.dataset.selected = id;
  document.body.dataset.ringed = feature ? "1" : "0";
}

/** Each cluster's count, written on it (HTML, so no glyph server is needed): those in
 * view only, the largest 150 at most, so that moving the map stays smooth. */
function labelClusters(): void {
  const m = map;
  if (!m || !m.isSourceLoaded("incidents")) return;
  const bounds = m.getBounds();
  const clusters = new Map<number, GeoJSON.Feature>();
  for (const feature of m.querySourceFeatures("incidents")) {
    const p = feature.properties;
    if (!p?.cluster) continue;
    const at = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
    if (bounds.contains(at)) clusters.set(Number(p.cluster_id), feature);
  }
  const shown = [...clusters.entries()]
    .sort((a, b) => Number(b[1].properties?.point_count) - Number(a[1].properties?.point_count))
    .slice(0, 150);
  const seen = new Set<number>();
  for (const [id, feature] of shown) {
    const p = feature.properties ?? {};
    seen.add(id);
    let marker = countMarkers.get(id);
    if (!marker) {
      const node = document.createElement("div");
      node.setAttribute("aria-hidden", "true");
      marker = new maplibregl.Marker({ element: node });
      countMarkers.set(id, marker);
    }
    // A cluster's number may name another cluster once the data change: placed every time.
    marker.setLngLat((feature.geometry as GeoJSON.Point).coordinates as [number, number]);
    const node = marker.getElement();
    // Dark words on the light colours (possible, none), light on the dark ones.
    // classList, not className: MapLibre's own classes place the marker.
    const dark = p.certain > 0 || (p.possible === 0 && p.allowed > 0);
    node.classList.add("cluster-count");
    node.classList.toggle("on-dark", dark);
    node.classList.toggle("on-light", !dark);
    node.textContent = number(Number(p.point_count));
    // The cluster's radius, as the "clusters" layer draws it: place names keep off it.
    const count = Number(p.point_count);
    node.dataset.radius = String(count >= 1000 ? 26 : count >= 200 ? 21 : count >= 20 ? 16 : 12);
    if (!node.isConnected) marker.addTo(m);
  }
  for (const [id, marker] of countMarkers) {
    if (!seen.has(id)) {
      marker.remove();
      countMarkers.delete(id);
    }
  }
  document.body.dataset.clusterLabels = String(seen.size);
  declutterPlaces();
}

/** The larger places named, more of them as the map zooms in; in Arabic where GeoNames has it. */
function showPlaces(): void {
  const m = map;
  if (!m) return;
  for (const marker of placeMarkers) marker.remove();
  placeMarkers.length = 0;
  const zoom = m.getZoom();
  const shown = places.slice(0, zoom < 6 ? 10 : zoom < 7 ? 25 : zoom < 8 ? 50 : places.length);
  for (const place of shown) {
    const node = document.createElement("div");
    node.className = "place-name";
    node.textContent = state.language === "ar" && place.name_ar ? place.name_ar : place.name;
    node.lang = state.language === "ar" && place.name_ar ? "ar" : "en";
    placeMarkers.push(new maplibregl.Marker({ element: node, anchor: "left", offset: [4, 0] }).setLngLat([place.lon, place.lat]).addTo(m));
  }
  declutterPlaces();
  document.body.dataset.places = String(shown.length);
}

/** Keeps the place names off the clusters' counts and off each other. A name on a
 * cluster is raised above it, centred (the cluster marks the place); a name that
 * would still cover a count or a larger place's name is hidden. The places come
 * largest first, so the larger keeps its name: GeoNames has a city and its
 * districts ("Mosul" and "New Mosul") a few pixels apart. */
function declutterPlaces(): void {
  const m = map;
  if (!m) return;
  const circles = [...countMarkers.values()].map((marker) => {
    const node = marker.getElement();
    const box = node.getBoundingClientRect();
    return { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2, r: Number(node.dataset.radius ?? 12) + 2 };
  });
  const onCircle = (box: DOMRect) =>
    circles.find((c) => box.left < c.x + c.r && c.x - c.r < box.right && box.top < c.y + c.r && c.y - c.r < box.bottom);
  const named: DOMRect[] = [];
  const overlaps = (box: DOMRect) =>
    named.some((other) => box.left < other.right + 2 && other.left < box.right + 2 && box.top < other.bottom + 1 && other.top < box.bottom + 1);
  const mapBox = m.getContainer().getBoundingClientRect();
  for (const marker of placeMarkers) {
    const node = marker.getElement();
    node.classList.remove("raised", "leftward");
    marker.setOffset([4, 0]);
    let box = node.getBoundingClientRect();
    const circle = onCircle(box);
    if (circle) {
      const at = m.project(marker.getLngLat());
      const [x, y] = [circle.x - mapBox.left, circle.y - mapBox.top];
      if (Math.hypot(at.x - x, at.y - y) <= circle.r) {
        // The place is under the cluster: its name goes above it.
        marker.setOffset([x - box.width / 2 - at.x, y - circle.r - box.height / 2 - 2 - at.y]);
        node.classList.add("raised");
      } else {
        // The cluster is beside the place: its name goes to the other side.
        marker.setOffset([-(box.width - 4), 0]);
        node.classList.add("leftward");
      }
      box = node.getBoundingClientRect();
    }
    const crowded = overlaps(box) || onCircle(box) !== undefined;
    node.classList.toggle("crowded", crowded);
    if (!crowded) named.push(box);
  }
}

/** The incidents shown and within the map's view. */
export function inView(shown: Json[]): Json[] {
  const bounds = map?.getBounds();
  if (!bounds) return [];
  return shown.filter((f) => bounds.contains(f.geometry.coordinates as [number, number]));
}

export function saveMapPng(): string | null {
  return map?.getCanvas().toDataURL("image/png") ?? null;
}

export function whenMoved(callback: () => void): void {
  map?.on("moveend", callback);
}

export function resize(): void {
  map?.resize();
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

