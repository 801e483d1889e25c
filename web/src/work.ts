// The team's daily work: the review queue where analysts publish or reject what
// monitors file, and the entitlements (a liaison sees its own party's, the staff
// all), released or suspended by a mission admin. The server decides who may do
// what; the page only offers what the caller's role allows.
import { type Api, api, day, element, failure, instant, json, label, number, state, text } from "./page";
import { kindName } from "./incident";

/** A button with words and an action. */
function button(words: string, action: () => void | Promise<void>, className = ""): HTMLButtonElement {
  const made = text("button", words, className) as HTMLButtonElement;
  made.type = "button";
  made.addEventListener("click", () => void action());
  return made;
}

/** Sends a change; answers the error's words, or null when it was made. */
async function change(path: string, body?: unknown): Promise<string | null> {
  const response = await api(path, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) return null;
  return failure(response);
}

// ------------------------------------------------------------- review queue

export async function showReview(): Promise<void> {
  const view = element("view-review");
  const page = await json<Api["SubmissionPage"]>("/api/v1/reports?published=false&limit=1000");
  const waiting = page.items.filter((item) => !item.published && !item.withdrawn);
  const status = text("p", "", "work-status");
  status.id = "review-status";
  status.setAttribute("aria-live", "polite");
  const list = document.createElement("ul");
  list.id = "review-queue";
  list.className = "queue";
  for (const item of waiting) list.append(reviewItem(item, status));
  view.replaceChildren(
    text("h2", label("review")),
    text("p", label("review-hint"), "hint"),
    status,
    waiting.length > 0 ? list : text("p", label("review-empty"), "hint"),
  );
  document.body.dataset.reviewWaiting = String(waiting.length);
}

function reviewItem(item: Api["SubmissionWire"], status: HTMLElement): HTMLElement {
  const report = item.report;
  const entry = document.createElement("li");
  entry.className = "queue-item";
  entry.dataset.submission = String(item.submission);
  const facts = document.createElement("dl");
  const fact = (name: string, value: string) => facts.append(text("dt", label(name)), text("dd", value));
  fact("date", report.date.first === report.date.last ? day(report.date.first) : `${day(report.date.first)} – ${day(report.date.last)}`);
  fact("place", report.place ?? "—");
  fact("kind", kindName(report.kind, report.kind_label));
  if (report.casualties) fact("deaths", `${number(report.casualties.low)}–${number(report.casualties.high)}`);
  fact("submitted", instant(item.submitted));
  const reasonId = `reject-reason-${item.submission}`;
  const reasonLabel = text("label", label("reject-reason"));
  reasonLabel.setAttribute("for", reasonId);
  const reason = document.createElement("textarea");
  reason.id = reasonId;
  reason.rows = 2;
  const done = (words: string) => {
    entry.remove();
    status.textContent = words;
    document.body.dataset.reviewWaiting = String(Number(document.body.dataset.reviewWaiting ?? 1) - 1);
  };
  const publish = button(label("publish"), async () => {
    const error = await change(`/api/v1/reports/${item.submission}/publish`);
    if (error) status.textContent = `${label("publish")}: ${error}`;
    else done(`${label("published")}: ${item.id}`);
  }, "publish");
  const reject = button(label("reject"), async () => {
    if (!reason.value.trim()) {
      status.textContent = label("reject-needs-reason");
      reason.focus();
      return;
    }
    const error = await change(`/api/v1/reports/${item.submission}/reject`, { reason: reason.value.trim() });
    if (error) status.textContent = `${label("reject")}: ${error}`;
    else done(`${label("rejected")}: ${item.id}`);
  }, "reject");
  entry.append(
    text("h3", `${item.id}`),
    facts,
    text("blockquote", report.summary ?? "", "report-words"),
    reasonLabel,
    reason,
    text("p", "", "actions"),
  );
  entry.querySelector(".actions")?.append(publish, reject);
  return entry;
}

// -------------------------------------------------------------- entitlements

export async function showEntitlements(): Promise<void> {
  const view = element("view-entitlements");
  const entitlements = await json<Api["EntitlementWire"][]>("/api/v1/entitlements");
  const admin = state.me?.role === "mission-admin";
  const names = new Map((state.agreement?.parties ?? []).map((p) => [p.id, p.name]));
  const status = text("p", "", "work-status");
  status.id = "entitlement-status";
  status.setAttribute("aria-live", "polite");
  const table = document.createElement("table");
  table.id = "entitlements";
  const head = document.createElement("tr");
  for (const key of ["entitlement", "to", "what", "step", "standing", "reason", ...(admin ? [""] : [])]) {
    const cell = text("th", key ? label(key) : "");
    cell.setAttribute("scope", "col");
    head.append(cell);
  }
  table.append(head);
  for (const e of entitlements) {
    const row = document.createElement("tr");
    row.dataset.entitlement = e.id;
    row.className = `standing-${e.standing}`;
    const standing = `${label(`standing-${e.standing}`)}${e.since ? ` (${instant(e.since)})` : ""}`;
    row.append(
      text("td", e.id),
      text("td", names.get(e.to) ?? e.to),
      text("td", e.what),
      text("td", `${e.step}: ${label(e.releasable ? "releasable" : "not-releasable")}`),
      text("td", standing, "standing"),
      text("td", e.reason),
    );
    if (admin) row.append(adminActions(e, status));
    table.append(row);
  }
  view.replaceChildren(
    text("h2", label("entitlements")),
    text("p", label(admin ? "entitlements-admin" : state.me?.party ? "entitlements-own" : "entitlements-staff"), "hint"),
    status,
    table,
  );
}

/** Release (when the step is verified and it is not released) or suspend (when it is). */
function adminActions(e: Api["EntitlementWire"], status: HTMLElement): HTMLElement {
  const cell = document.createElement("td");
  if (e.standing !== "released" && e.releasable) {
    cell.append(button(label("release"), async () => {
      const error = await change(`/api/v1/entitlements/${encodeURIComponent(e.id)}/release`);
      status.textContent = error ? `${label("release")}: ${error}` : `${label("standing-released")}: ${e.id}`;
      if (!error) await showEntitlements();
    }, "release"));
  }
  if (e.standing === "released") {
    const reasonId = `suspend-reason-${e.id}`;
    const reasonLabel = text("label", label("suspend-reason"));
    reasonLabel.setAttribute("for", reasonId);
    const reason = document.createElement("input");
    reason.id = reasonId;
    cell.append(reasonLabel, reason, button(label("suspend"), async () => {
      if (!reason.value.trim()) {
        status.textContent = label("suspend-needs-reason");
        return;
      }
      const error = await change(`/api/v1/entitlements/${encodeURIComponent(e.id)}/suspend`, { reason: reason.value.trim() });
      status.textContent = error ? `${label("suspend")}: ${error}` : `${label("standing-suspended")}: ${e.id}`;
      if (!error) await showEntitlements();
    }, "suspend"));
  }
  return cell;
}

// ------------------------------------------------------------------ re-check

/** For the staff: check the evidence again now, then redraw the steps. */
export function recheckButton(after: () => Promise<void>): HTMLElement {
  const status = text("span", "", "work-status");
  status.id = "recheck-status";
  status.setAttribute("aria-live", "polite");
  const made = button(label("recheck"), async () => {
    status.textContent = label("loading");
    const error = await change("/api/v1/check");
    if (!error) await after();
    // `after` drew the view again, with a status of its own.
    element("recheck-status").textContent = error ?? label("rechecked");
  });
  made.id = "recheck";
  const wrap = document.createElement("p");
  wrap.append(made, status);
  return wrap;
}
