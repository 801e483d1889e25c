// truce's dashboard. Everything it shows comes from the server's API, which
// decides what the caller may see (the disclosure policy is enforced there, never
// here). Everything it loads is bundled: no CDN, no tile server, no fonts from afar.
// The page's fonts, bundled (SIL Open Font License): Latin and Arabic letters,
// the map's counts and place names included, look the same on every device.
import "@fontsource/noto-sans/latin-400.css";
import "@fontsource/noto-sans/latin-700.css";
import "@fontsource/noto-sans-arabic/arabic-400.css";
import "@fontsource/noto-sans-arabic/arabic-700.css";
import "./style.css";
import { type Api, type Json, api, day, element, failure, instant, json, label, number, state, text } from "./page";
import { labels } from "./labels";
import { showSteps } from "./steps";
import { showEntitlements, showReview } from "./work";

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
        // Through `api`, so the server answers a refusal in the page's language.
        const response = await api("/api/v1/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            name: element<HTMLInputElement>("name").value.trim(),
            password: element<HTMLInputElement>("password").value,
          }),
        });
        if (!response.ok) {
          element("login-error").textContent = await failure(response, label("login-refused"));
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
  showWho();
}

/** The header's line saying who reads the page, in the page's language. */
function showWho(): void {
  element("who").textContent = state.me
    ? `${state.me.name} · ${label(`role-${state.me.role}`)}${state.me.party ? ` (${state.me.party})` : ""}`
    : label("public");
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

/** `words` as a paragraph with the words that `against` does not have, in order,
 * marked (a longest common subsequence of words). */
function markedDifferences(words: string, against: string): HTMLElement {
  const a = words.split(" ");
  const b = against.split(" ");
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const paragraph = document.createElement("p");
  paragraph.className = "summary";
  let i = 0;
  let j = 0;
  while (i < a.length) {
    if (j < b.length && a[i] === b[j]) {
      paragraph.append(`${a[i]} `);
      i++;
      j++;
    } else if (j < b.length && common[i][j + 1] >= common[i + 1][j]) {
      j++;
    } else {
      paragraph.append(text("mark", a[i]), " ");
      i++;
    }
  }
  return paragraph;
}

/** The brackets: each disputed term with its alternatives side by side, what the
 * steps and the violations would be under each, and what differs from the
 * alternative in use marked. */
async function showBrackets(): Promise<void> {
  const brackets = await json<Api["BracketWire"][]>("/api/v1/brackets");
  const view = element("view-brackets");
  view.replaceChildren(text("h2", label("brackets")), text("p", label("brackets-hint"), "hint"));
  for (const bracket of brackets) {
    const block = document.createElement("section");
    block.append(text("h3", `${bracket.id}: ${bracket.text}${bracket.resolved ? ` → ${bracket.resolved}` : ""}`));
    const working = bracket.alternatives.find((a) => a.working) ?? bracket.alternatives[0];
    const outcome = new Map((working?.steps ?? []).map((s) => [s.id, `${s.status} ${s.met_on ?? ""}`]));
    const row = document.createElement("div");
    row.className = "alternatives";
    for (const alternative of bracket.alternatives) {
      const card = document.createElement("div");
      card.className = `alternative${alternative.working ? " working" : ""}`;
      card.append(text("h4", `${label("with")} ${alternative.value}${alternative.working ? ` (${label(bracket.resolved ? "resolved" : "in-use")})` : ""}`));
      const list = document.createElement("ul");
      for (const step of alternative.steps) {
        const differs = !alternative.working && outcome.get(step.id) !== `${step.status} ${step.met_on ?? ""}`;
        const item = text("li", `${step.id}: ${label(step.status)}${step.met_on ? ` (${day(step.met_on)})` : ""}${differs ? ` — ${label("differs")}` : ""}`);
        if (differs) item.className = "differs";
        // The step's reason, its words that differ from the alternative in use marked.
        const against = working?.steps.find((w) => w.id === step.id)?.summary ?? step.summary;
        item.append(alternative.working ? text("p", step.summary, "summary") : markedDifferences(step.summary, against));
        list.append(item);
      }
      const counted = `${label("violations-counted")}: ${number(alternative.violations_certain)} ${label("counted-certain")}, ${number(alternative.violations_certain_or_possible)} ${label("counted-possible")}`;
      const differs = !alternative.working && working !== undefined &&
        (alternative.violations_certain !== working.violations_certain || alternative.violations_certain_or_possible !== working.violations_certain_or_possible);
      card.append(list, text("p", counted, differs ? "violations differs" : "violations"));
      row.append(card);
    }
    block.append(row);
    view.append(block);
  }
  document.body.dataset.bracketDifferences = String(view.querySelectorAll(".differs, mark").length);
}

async function showLedger(): Promise<void> {
  const view = element("view-ledger");
  view.replaceChildren(text("h2", label("ledger")));
  // The ledger at a glance: its size and the latest checkpoint, null before the
  // first is signed (asked here rather than the checkpoint, which is a 404 then).
  const ledger = await json<Api["LedgerWire"]>("/api/v1/ledger");
  const checkpoint = ledger.checkpoint;
  if (checkpoint) {
    // The signed note is read as signed, left to right, in either language.
    const note = text("pre", checkpoint.note);
    note.dir = "ltr";
    view.append(text("p", `${label("checkpoint")}: ${checkpoint.size} / ${checkpoint.log_size}`), note);
  } else {
    view.append(text("p", label("no-checkpoint")));
  }
  // A mission admin signs a checkpoint now, when the server holds the mission's key.
  if (state.me?.role === "mission-admin") {
    const status = text("span", "", "work-status");
    status.setAttribute("aria-live", "polite");
    const sign = text("button", label("sign-checkpoint")) as HTMLButtonElement;
    sign.type = "button";
    sign.id = "sign-checkpoint";
    sign.addEventListener("click", async () => {
      const signed = await api("/api/v1/ledger/checkpoint", { method: "POST" });
      if (signed.ok) {
        await showLedger();
        return;
      }
      status.textContent = await failure(signed);
    });
    const wrap = document.createElement("p");
    wrap.append(sign, status);
    view.append(wrap);
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
      view.append(text("p", `${label("download-bundle")}: ${await failure(bundle)}`, "error"));
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
  const size = Number(ledger.log_size ?? 0);
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
    const what = document.createElement("td");
    if (entry.record) what.append(...summarizeRecord(entry.record));
    // Why it is withheld: a sentence the server writes in the page's language.
    else what.append(`${label("withheld")}: ${entry.withheld} (`, value(`sha256 ${String(entry.leaf_hash).slice(0, 16)}…`), ")");
    row.append(text("td", String(entry.index)), text("td", recordType(entry.type)), text("td", entry.recorded ? instant(entry.recorded) : "—"), what);
    table.append(row);
  }
  view.append(table);
}

/** A record's type in the page's words: as the API names it, in English. */
function recordType(type: string): string {
  return labels[state.language][`record-${type}`] ?? type;
}

/** A field's name in the page's words: as the record names it, in English. */
function fieldName(key: string): string {
  return labels[state.language][`field-${key}`] ?? key;
}

/** A value as the record holds it (an id, a name, a reason written by someone):
 * set apart, so it keeps its own direction in either language. */
function value(content: string): HTMLElement {
  return text("bdi", content);
}

/** A record in a line: the fields a reader looks for first, named in the page's
 * words, their values as recorded. */
function summarizeRecord(record: Json): (Node | string)[] {
  const parts: (Node | string)[][] = [];
  for (const key of ["name", "bracket", "alternative", "entitlement", "to", "step", "file", "check_run", "as_of", "report", "reason"]) {
    if (record[key] !== undefined && record[key] !== null) {
      parts.push([`${fieldName(key)}: `, value(typeof record[key] === "object" ? JSON.stringify(record[key]) : String(record[key]))]);
    }
  }
  // A key rotation: whose keys changed, and how many were added and removed.
  for (const change of (record.changes as Json[] | undefined) ?? []) {
    parts.push([value(String(change.holder)), `: +${(change.added as string[]).length} / −${(change.removed as string[]).length} ${label("keys")}`]);
  }
  const by = record.by;
  if (by) parts.push([`${fieldName("by")}: `, value(String(typeof by === "string" ? by : by.name ?? by.pseudonym ?? by.role))]);
  return parts.flatMap((part, i) => (i === 0 ? part : [" · ", ...part]));
}

// -------------------------------------------------------------------- views

const shown = new Set<string>();
/** The map view's code (MapLibre) is its own chunk, loaded once. */
let mapView: typeof import("./mapview") | null = null;
/** The map view's chunk, asked for as the page starts (while it signs in). */
let mapChunk: Promise<typeof import("./mapview")> | null = null;
const loaders: Record<string, () => Promise<void>> = {
  map: async () => {
    mapView = await (mapChunk ?? import("./mapview"));
    await mapView.showMapView();
  },
  steps: showSteps,
  brackets: showBrackets,
  ledger: showLedger,
  evidence: showEvidence,
  review: showReview,
  entitlements: showEntitlements,
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
  mapChunk = import("./mapview");
  const wanted = new URLSearchParams(window.location.search).get("lang");
  if (wanted === "ar" || wanted === "en") state.language = wanted;
  applyLanguage();
  element("language").addEventListener("click", () => {
    state.language = state.language === "en" ? "ar" : "en";
    localStorage.setItem("truce-language", state.language);
    applyLanguage();
    showWho();
    for (const redraw of state.onLanguage) redraw();
    // Views drawn in the other language are drawn again: the one shown now at once,
    // the others when next shown.
    const current = document.querySelector<HTMLButtonElement>("[role=tab][aria-selected=true]")?.dataset.view ?? "map";
    for (const view of [...shown]) if (view !== "map") shown.delete(view);
    if (current !== "map") void select(current);
  });
  await signIn();
  const agreement = await json<Api["AgreementWire"]>("/api/v1/agreement");
  state.agreement = agreement;
  element("agreement-title").textContent = agreement.title;
  for (const clause of agreement.clauses) state.clauses.set(clause.id, clause.text);
  // Analysts and admins open the import runs and the quarantine.
  const staff = state.me !== null && ["mission-admin", "analyst"].includes(state.me.role);
  if (staff) element("tab-evidence").hidden = false;
  // Analysts and admins review what monitors file.
  if (staff) element("tab-review").hidden = false;
  // Entitlements: a liaison sees its own party's, the staff all; not the public.
  if (staff || state.me?.role === "party-liaison") element("tab-entitlements").hidden = false;
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab]")) {
    tab.addEventListener("click", () => void select(tab.dataset.view ?? "map"));
  }
  await select("map");
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  console.error(error);
  element("views").prepend(text("p", error instanceof Error ? error.message : String(error), "error"));
});
