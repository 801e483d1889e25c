// An incident's panel: what happened, where and when, each finding with its
// reason chain quoting the clause, and the reports behind it where the caller
// may see them.
import { type Api, day, element, json, label, number, state, text } from "./page";

/** A kind's name in truce's own words (the agreement's kind tree), not the source's code. */
export function kindName(kind: string, sourceLabel: string): string {
  return state.agreement?.kinds.find((k) => k.id === kind)?.label ?? sourceLabel;
}

/** The incident's panel: its place and grade, each finding with its reason chain
 * quoting the clause, and the reports behind it where the caller may see them. */
let redrawsOnLanguage = false;

export async function showIncident(id: string): Promise<void> {
  // The reasons come written in the page's language: a switch asks for them again.
  if (!redrawsOnLanguage) {
    redrawsOnLanguage = true;
    state.onLanguage.push(() => {
      if (state.selected) void showIncident(state.selected);
    });
  }
  state.selected = id;
  for (const selected of state.onSelected) selected(id);
  const panel = element("panel");
  panel.replaceChildren(text("p", label("loading"), "hint"));
  const detail = await json<Api["IncidentDetail"]>(`/api/v1/incidents/${encodeURIComponent(id)}`);
  const incident = detail.incident;
  const heading = text("h2", `${kindName(incident.kind, incident.kind_label)} — ${incident.place ?? label("place-withheld")}`);
  heading.id = "incident-heading";
  const facts = document.createElement("dl");
  const fact = (name: string, value: string) => {
    facts.append(text("dt", label(name)), text("dd", value));
  };
  fact("date", incident.date.first === incident.date.last ? day(incident.date.first) : `${day(incident.date.first)} – ${day(incident.date.last)}`);
  fact("grade", `${label(`grade-${incident.grade}`)} (${number(incident.independent_sources)} ${label("independent-sources")})`);
  if (incident.text_only) fact("evidence", label("text-only"));
  if (incident.casualties) {
    const c = incident.casualties;
    fact("deaths", `${number(c.best)} (${number(c.low)}–${number(c.high)})`);
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

