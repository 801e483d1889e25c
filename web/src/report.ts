// The monitor's report form. A report is kept on the device first (with the key
// that makes it stored once, whatever the retries), then sent whenever the server
// can be reached; the queue survives reloads and days without a network.
// The page's fonts, bundled (SIL Open Font License): Latin and Arabic letters,
// the map's counts and place names included, look the same on every device.
import "@fontsource/noto-sans/latin-400.css";
import "@fontsource/noto-sans/latin-700.css";
import "@fontsource/noto-sans-arabic/arabic-400.css";
import "@fontsource/noto-sans-arabic/arabic-700.css";
import "./style.css";
import { labels, type Language } from "./labels";

let language: Language = (localStorage.getItem("truce-language") as Language) || "en";

/** One of the form's words in the chosen language. */
function words(key: string): string {
  return labels[language][key] ?? labels.en[key] ?? key;
}

/** The form's words in the chosen language, and the page's direction. */
function applyLanguage(): void {
  document.documentElement.lang = language;
  document.documentElement.dir = language === "ar" ? "rtl" : "ltr";
  for (const node of document.querySelectorAll<HTMLElement>("[data-label]")) {
    const key = node.dataset.label ?? "";
    node.textContent = words(key);
  }
  const toggle = document.getElementById("language");
  if (toggle) {
    toggle.textContent = language === "ar" ? "English" : "العربية";
    toggle.lang = language === "ar" ? "en" : "ar";
  }
}

type Queued = {
  key: string;
  body: Record<string, unknown>;
  created: string;
  state: "queued" | "sent" | "refused";
  answer?: string;
};

const QUEUE = "truce-report-queue";
const TOKEN = "truce-report-token";

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`no element #${id}`);
  return found as T;
}

function load(): Queued[] {
  try {
    return JSON.parse(localStorage.getItem(QUEUE) ?? "[]") as Queued[];
  } catch {
    return [];
  }
}

function save(queue: Queued[]): void {
  localStorage.setItem(QUEUE, JSON.stringify(queue));
}

function render(): void {
  const queue = load();
  const queued = element<HTMLUListElement>("queued");
  const sent = element<HTMLUListElement>("sent");
  queued.replaceChildren();
  sent.replaceChildren();
  for (const item of queue) {
    const line = document.createElement("li");
    const what = `${item.body.date} · ${item.body.kind} · ${item.body.place ?? ""} — ${item.body.text ?? ""}`;
    line.textContent = item.state === "refused" ? `${what} (${words("r-refused")}: ${item.answer})` : what;
    line.dataset.key = item.key;
    (item.state === "sent" ? sent : queued).append(line);
  }
  document.body.dataset.queued = String(queue.filter((q) => q.state === "queued").length);
  document.body.dataset.sent = String(queue.filter((q) => q.state === "sent").length);
}

async function sha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

let sending = false;

/** Says where the queue stands, in the form's language. */
function connection(key: string): void {
  const node = element("connection");
  node.dataset.label = key;
  node.textContent = words(key);
}

/** Sends what is queued, oldest first; stops at the first network failure. */
async function send(): Promise<void> {
  const token = localStorage.getItem(TOKEN);
  if (sending || !token) return;
  const waiting = load().filter((q) => q.state === "queued");
  if (waiting.length === 0) {
    // Nothing was tried, so nothing is known of the link: say only that nothing waits.
    connection(navigator.onLine ? "r-nothing-waiting" : "r-offline");
    return;
  }
  sending = true;
  try {
    for (const item of waiting) {
      let response: Response;
      try {
        response = await fetch("/api/v1/reports", {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "idempotency-key": item.key,
            // The server writes a refusal in the form's language.
            "accept-language": language,
          },
          body: JSON.stringify(item.body),
        });
      } catch {
        connection("r-unreachable");
        return;
      }
      const queue = load();
      const stored = queue.find((q) => q.key === item.key);
      if (!stored) continue;
      if (response.status === 201 || response.status === 200) {
        stored.state = "sent";
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        const body = await response.json().catch(() => ({}));
        stored.state = "refused";
        const message = typeof body?.message === "string" ? body.message.trim() : "";
        stored.answer = message || `${words("request-failed")} (${response.status})`;
      } else {
        // Busy or failing on its side: the report stays queued and is sent again.
        connection("r-retry");
        return;
      }
      save(queue);
      render();
    }
    connection("r-all-sent");
  } finally {
    sending = false;
  }
}

async function start(): Promise<void> {
  applyLanguage();
  document.getElementById("language")?.addEventListener("click", () => {
    language = language === "en" ? "ar" : "en";
    localStorage.setItem("truce-language", language);
    applyLanguage();
  });
  if ("serviceWorker" in navigator) {
    await navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  }
  const tokenForm = element<HTMLFormElement>("token-form");
  const reportForm = element<HTMLFormElement>("report-form");
  const showForm = () => {
    tokenForm.hidden = true;
    reportForm.hidden = false;
  };
  if (localStorage.getItem(TOKEN)) showForm();
  tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(TOKEN, element<HTMLInputElement>("token").value.trim());
    showForm();
    void send();
  });
  element<HTMLInputElement>("date").value = new Date().toISOString().slice(0, 10);
  reportForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (id: string) => element<HTMLInputElement>(id).value.trim();
    const number = (id: string) => (value(id) === "" ? undefined : Number(value(id)));
    const files = Array.from(element<HTMLInputElement>("photos").files ?? []);
    const low = number("low");
    const high = number("high") ?? low;
    const body: Record<string, unknown> = {
      date: value("date"),
      location_precision: (element<HTMLSelectElement>("precision").value),
      kind: element<HTMLSelectElement>("kind").value,
      attachments: await Promise.all(files.map(sha256)),
    };
    if (value("place")) body.place = value("place");
    if (number("lat") !== undefined && number("lon") !== undefined) {
      body.lat = number("lat");
      body.lon = number("lon");
    }
    if (value("actor")) body.actors = [{ name: value("actor"), role: "initiator" }];
    if (low !== undefined && high !== undefined) {
      body.casualties = { low, best: low, high: Math.max(low, high) };
    }
    if (value("text")) body.text = value("text");
    const queue = load();
    queue.push({ key: crypto.randomUUID(), body, created: new Date().toISOString(), state: "queued" });
    save(queue);
    reportForm.reset();
    element<HTMLInputElement>("date").value = new Date().toISOString().slice(0, 10);
    render();
    void send();
  });
  window.addEventListener("online", () => void send());
  setInterval(() => void send(), 3000);
  render();
  document.body.dataset.ready = "true";
  void send();
}

void start();
