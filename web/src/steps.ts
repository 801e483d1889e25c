// The steps board: each step's outcome on both bounds of the evidence, what it
// requires and gates, the steps at risk, and the steps' dependencies as a graph.
import { type Api, day, element, json, label, number, saveCsv, state, text } from "./page";
import { recheckButton } from "./work";

/** Days from `from` to `to` (YYYY-MM-DD), or null when either is missing. */
function daysFrom(from: string, to: string | null | undefined): number | null {
  if (!to) return null;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}

/** A step still open whose outcome hangs on the evidence: its window has days
 * left, and what its conditions counted so far ("3 counted on certain evidence,
 * 5 counting possible: at most 5 violations a day"). `null` when it is not at risk:
 * met, locked, over, or counting nothing yet. */
function atRisk(step: Api["StepWire"], asOf: string): string | null {
  if (step.status !== "pending" && step.status !== "insufficient-evidence") return null;
  const left = daysFrom(asOf, step.window_last);
  if (left !== null && left < 0) return null;
  const counting = step.conditions.filter((c) => c.count_with_possible > 0 || c.status_with_possible === "not-met");
  if (counting.length === 0) return null;
  const counts = counting
    .map((c) => `${c.description}: ${number(c.count_on_certain)} ${label("counted-certain")}, ${number(c.count_with_possible)} ${label("counted-possible")}`)
    .join("; ");
  const days = left === null ? label("no-end") : `${number(left)} ${label("days-left")}`;
  return `${label("at-risk")} — ${days}; ${counts}`;
}


export async function showSteps(): Promise<void> {
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
    const summary = text("td", step.summary, "summary");
    const risk = atRisk(step, board.as_of);
    if (risk) {
      row.classList.add("at-risk");
      summary.prepend(text("p", risk, "risk"));
    }
    row.append(
      text("td", step.name),
      text("td", label(step.status), "status"),
      text("td", step.met_on ? day(step.met_on) : "—"),
      summary,
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
    // Two lines that fit the box: the step's id (cut with … when long), its status.
    const title = document.createElementNS(svgNs, "title");
    title.textContent = `${step.name}: ${label(step.status)}`;
    const name = document.createElementNS(svgNs, "text");
    name.setAttribute("x", String(x + 8));
    name.setAttribute("y", String(y + 17));
    name.setAttribute("font-size", "12");
    name.textContent = step.id.length > 28 ? `${step.id.slice(0, 27)}…` : step.id;
    const status = document.createElementNS(svgNs, "text");
    status.setAttribute("x", String(x + 8));
    status.setAttribute("y", String(y + 33));
    status.setAttribute("font-size", "12");
    status.setAttribute("font-weight", "600");
    status.textContent = label(step.status);
    graph.append(box, title, name, status);
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
  const staff = state.me && ["mission-admin", "analyst"].includes(state.me.role);
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.append(table);
  view.replaceChildren(
    text("h2", `${label("steps")} · ${label("as-of")} ${day(board.as_of)}`),
    ...(staff ? [recheckButton(showSteps)] : []),
    graph,
    wrap,
    save,
  );
}

