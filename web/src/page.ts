// What every view of the dashboard shares: the page's state, the API, its words
// and small helpers. Views import from here and never from each other's files,
// except through the hooks below.
import { labels, type Language } from "./labels";
import type { components } from "./api";

/** A GeoJSON answer (the map's layers), read loosely: MapLibre reads it. */
export type Json = Record<string, any>;
/** The API's answers, as `docs/openapi.json` defines them (`web/src/api.ts`, generated). */
export type Api = components["schemas"];

export const state: {
  /** The incidents the filters and the time brush let through. */
  shown: Json[] | null;
  /** A login's CSRF token, sent with every request that changes anything. */
  csrf: string | null;
  /** The incidents the filters let through (the brush then narrows them). */
  incidents: Json | null;
  token: string | null;
  language: Language;
  clauses: Map<string, string>;
  agreement: Api["AgreementWire"] | null;
  me: Api["Me"] | null;
  /** The incident whose panel is open. */
  selected: string | null;
  /** Called when an incident is selected (the map rings it, the URL keeps it). */
  onSelected: ((id: string) => void)[];
  /** Called when the language changes (the map and the timeline redraw their words). */
  onLanguage: (() => void)[];
} = {
  token: sessionStorage.getItem("truce-token"),
  language: (localStorage.getItem("truce-language") as Language) || "en",
  clauses: new Map(),
  agreement: null,
  me: null,
  incidents: null,
  csrf: sessionStorage.getItem("truce-csrf"),
  shown: null,
  selected: null,
  onSelected: [],
  onLanguage: [],
};

export function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`no element #${id}`);
  return found as T;
}

export function text(tag: string, content: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

export function label(key: string): string {
  return labels[state.language][key] ?? labels.en[key] ?? key;
}

/** A number in the page's language (Arabic digits in Arabic). */
export function number(value: number): string {
  return new Intl.NumberFormat(state.language === "ar" ? "ar-EG" : "en-GB").format(value);
}

/** A day (YYYY-MM-DD) as the page's language writes it. */
export function day(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(state.language === "ar" ? "ar-EG" : "en-GB", {
    year: "numeric", month: "short", day: "numeric", timeZone: "UTC",
  }).format(date);
}

/** An instant (RFC 3339, to the nanosecond) as a reader wants it: to the minute, in UTC. */
export function instant(value: string): string {
  const date = new Date(value.replace(/(\.\d{3})\d+/, "$1"));
  if (Number.isNaN(date.getTime())) return value;
  return `${new Intl.DateTimeFormat(state.language === "ar" ? "ar-EG" : "en-GB", {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
  }).format(date)} ${label("utc")}`;
}

export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (state.token) headers.set("authorization", `Bearer ${state.token}`);
  // The server writes its sentences (reason chains) in the page's language.
  headers.set("accept-language", state.language);
  const method = (init.method ?? "GET").toUpperCase();
  if (state.csrf && method !== "GET" && method !== "HEAD") headers.set("x-csrf-token", state.csrf);
  return fetch(path, { ...init, headers, credentials: "same-origin" });
}

/** What went wrong with a request, for the reader: the server's `message`,
 * which it writes in the language the request asked for (`accept-language`),
 * or, when the answer carries none, a line of the page's own with the status. */
export async function failure(response: Response, fallback?: string): Promise<string> {
  const body = await response.json().catch(() => ({}));
  const message = typeof body?.message === "string" ? body.message.trim() : "";
  return message || fallback || `${label("request-failed")} (${number(response.status)})`;
}

export async function json<T = Json>(path: string): Promise<T> {
  const response = await api(path);
  if (!response.ok) throw new Error(await failure(response));
  return response.json();
}

export function download(name: string, href: string): void {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/** A file of `body` downloaded as `name`. */
export function saveText(name: string, body: string, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  download(name, url);
  URL.revokeObjectURL(url);
}

/** A CSV file of rows (RFC 4180 quoting), downloaded as `name`. A text cell that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is written after a `'`. */
export function saveCsv(name: string, rows: string[][]): void {
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const csv = rows.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
  saveText(name, csv, "text/csv");
}

/** A text cell safe from spreadsheets' formulas. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The record types of the agreement's life, which the chronology marks as from the ledger. */
export const ledgerLife = new Set(["agreement-version", "bracket-resolution", "entitlement-release", "entitlement-suspension", "entitlement-handover"]);
