// truce's dashboard. Everything it shows comes from the server's API, which
// decides what the caller may see (the disclosure policy is enforced there, never
// here). Everything it loads is bundled: no CDN, no tile server, no fonts from afar.
import "./style.css";
import { type Api, type Json, api, element, instant, json, label, saveCsv, state, text } from "./page";

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
    row.append(text("td", String(entry.index)), text("td", entry.type), text("td", entry.recorded ? instant(entry.recorded) : "—"), text("td", what));
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
/** The map view's code (MapLibre) is its own chunk, loaded once. */
let mapView: typeof import("./mapview") | null = null;
const loaders: Record<string, () => Promise<void>> = {
  map: async () => {
    mapView = await import("./mapview");
    await mapView.showMapView();
  },
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
  if (view === "map") mapView?.resize();
}

async function start(): Promise<void> {
  const wanted = new URLSearchParams(window.location.search).get("lang");
  if (wanted === "ar" || wanted === "en") state.language = wanted;
  applyLanguage();
  element("language").addEventListener("click", () => {
    state.language = state.language === "en" ? "ar" : "en";
    localStorage.setItem("truce-language", state.language);
    applyLanguage();
    for (const redraw of state.onLanguage) redraw();
  });
  await signIn();
  const agreement = await json<Api["AgreementWire"]>("/api/v1/agreement");
  state.agreement = agreement;
  element("agreement-title").textContent = agreement.title;
  for (const clause of agreement.clauses) state.clauses.set(clause.id, clause.text);
  // Analysts and admins open the import runs and the quarantine.
  if (state.me && ["mission-admin", "analyst"].includes(state.me.role)) element("tab-evidence").hidden = false;
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
    tab.addEventListener("click", () => void select(tab.dataset.view ?? "map"));
  }
  await select("map");
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  console.error(error);
  element("views").prepend(text("p", String(error), "error"));
});
