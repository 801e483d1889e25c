// End-to-end tests of the dashboard in Debian's Chromium, driven by
// playwright-core (scripts/e2e.sh starts the server and passes its address and
// tokens). Fails on a console error, on any request that leaves the machine, or
// on a serious accessibility violation; saves a screenshot of each view.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { waitUntil } from "./wait.mjs";

const [url, liaisonToken, analystToken, monitorToken] = process.argv.slice(2);
if (!url || !liaisonToken || !analystToken || !monitorToken) {
  console.error("usage: node e2e/run.mjs URL LIAISON_TOKEN ANALYST_TOKEN MONITOR_TOKEN");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(path.join(here, "../node_modules/axe-core/axe.min.js"), "utf8");

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  console.log(`${condition ? "ok  " : "FAIL"} ${message}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
  ],
});

/** A new browser context and page whose console errors and off-machine requests
 * are collected: the network is cut, so anything not for this machine is refused. */
async function watchedPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  const offsite = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await context.route("**/*", (route) => {
    const address = route.request().url();
    const host = new URL(address).hostname;
    if (host === "127.0.0.1" || host === "localhost" || address.startsWith("blob:") || address.startsWith("data:")) {
      return route.continue();
    }
    offsite.push(address);
    return route.abort();
  });
  return { context, page, errors, offsite };
}

async function session(token, name) {
  const { context, page, errors, offsite } = await watchedPage();
  const started = Date.now();
  await page.goto(url);
  await page.fill("#token", token);
  await page.click("#token-form button[type=submit]");
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  await waitUntil(page, () => document.body.dataset.mapReady !== undefined, null, { timeout: 30000 });
  const interactive = Date.now() - started;
  console.log(`     ${name}: interactive in ${interactive} ms (token typed in)`);
  return { context, page, errors, offsite, interactive };
}

// A party's liaison: its own scope, an incident's reason chain, the steps and brackets.
{
  const { context, page, errors, offsite } = await session(liaisonToken, "liaison");
  const who = await page.textContent("#who");
  check(who.includes("russia"), `the liaison sees their party in the header: ${who}`);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, "map.png") });
  const [png] = await Promise.all([page.waitForEvent("download"), page.click("#save-map")]);
  const pngBytes = readFileSync(await png.path());
  check(pngBytes.length > 1000 && pngBytes.subarray(1, 4).toString() === "PNG", `the map saves as a PNG (${pngBytes.length} bytes)`);
  // Click the first incident drawn on the map, where the map draws it.
  // Find an incident drawn well inside the map; zoom into a cluster until one is.
  let point = null;
  for (let attempt = 0; attempt < 6 && point === null; attempt++) {
    point = await page.evaluate(async () => {
      const map = window.truceMap;
      const box = map.getCanvas().getBoundingClientRect();
      const inside = (p) => p.x > 60 && p.y > 60 && p.x < box.width - 80 && p.y < box.height - 60;
      for (const feature of map.queryRenderedFeatures({ layers: ["incidents"] })) {
        const p = map.project(feature.geometry.coordinates);
        if (inside(p)) return { x: box.left + p.x, y: box.top + p.y };
      }
      const cluster = map
        .queryRenderedFeatures({ layers: ["clusters"] })
        .find((f) => inside(map.project(f.geometry.coordinates)));
      if (cluster) {
        map.jumpTo({ center: cluster.geometry.coordinates, zoom: map.getZoom() + 2 });
        await new Promise((resolve) => map.once("idle", resolve));
      }
      return null;
    });
  }
  check(point !== null, "incidents are drawn on the map");
  const boundaries = Number(await page.evaluate(() => document.body.dataset.boundaries));
  check(boundaries > 0, `the agreement's boundary files are the base layer (${boundaries} units)`);
  const sites = Number(await page.evaluate(() => document.body.dataset.sites));
  check(sites > 0, `a liaison sees the protected sites with their radius (${sites})`);
  if (point) {
    await page.mouse.click(point.x, point.y);
    await page.waitForSelector("#panel .finding .reasons li", { timeout: 15000 });
    const chain = await page.$$eval("#panel .reasons li", (items) => items.map((i) => i.textContent));
    check(chain.length >= 3, `the incident's reason chain is shown (${chain.length} links)`);
    const quoted = await page.$$eval("#panel .clause-text", (items) => items.length);
    check(quoted > 0, "the finding quotes its clause's text");
    await page.screenshot({ path: path.join(shots, "incident.png") });
  }
  // The time brush, by keyboard: the later bound moved back; the map shows fewer incidents.
  const before = Number(await page.evaluate(() => document.body.dataset.mapShown));
  await page.focus("#brush-to");
  for (let i = 0; i < 5; i++) await page.keyboard.press("PageDown");
  await page.waitForTimeout(300);
  const after = Number(await page.evaluate(() => document.body.dataset.mapShown));
  const until = await page.textContent("#brush-to-day");
  check(after > 0 && after < before, `the time brush filters the map: ${before} → ${after} incidents up to ${until}`);
  await page.screenshot({ path: path.join(shots, "timeline-brush.png") });
  const deaths = await page.textContent("#deaths-so-far");
  check(/\d+ \(\d+–\d+\)/.test(deaths), `the cumulative deaths are shown as a range: ${deaths}`);
  const life = await page.$$eval("#chronology li", (items) => items.map((i) => i.textContent));
  check(life.length >= 3 && life.some((l) => l.includes("2016-02-27")), `the agreement's life is listed (${life.length} entries)`);
  // The keyboard's way to an incident: the list of those in view.
  await page.click(".in-view summary");
  await page.focus("#incident-list button");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#panel .finding .reasons li", { timeout: 15000 });
  const heading = await page.textContent("#incident-heading");
  check(heading.length > 0, `an incident opens from the keyboard: ${heading}`);
  const entitlements = await page.evaluate(async (token) => {
    const response = await fetch("/api/v1/entitlements", { headers: { authorization: `Bearer ${token}` } });
    return response.json();
  }, liaisonToken);
  check(entitlements.length > 0 && entitlements.every((e) => e.to === "russia"), "the liaison's entitlements are its party's only");
  await page.click("#tab-steps");
  await page.waitForSelector("#view-steps table tr td", { timeout: 15000 });
  check(await page.isHidden("#view-map"), "the map is hidden while the steps board is shown");
  const steps = await page.$$eval("#view-steps table tr", (rows) => rows.length - 1);
  check(steps >= 2, `the steps board lists the steps (${steps})`);
  const edges = await page.$$eval("#view-steps svg.step-graph line", (lines) => lines.length);
  check(edges >= 1, `the steps' dependencies are drawn as a graph (${edges} arrow(s))`);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#save-steps")]);
  const csvText = readFileSync(await csv.path(), "utf8");
  check(csvText.startsWith("step,name,status") && csvText.trim().split("\r\n").length === steps + 1, `the steps board saves as CSV (${csv.suggestedFilename()})`);
  check(await page.isHidden("#tab-evidence"), "a liaison has no evidence tab (import runs and quarantine are the analysts')");
  await page.screenshot({ path: path.join(shots, "steps.png") });
  await page.click("#tab-brackets");
  await page.waitForSelector("#view-brackets .alternative", { timeout: 15000 });
  const alternatives = await page.$$eval("#view-brackets .alternative", (cards) => cards.length);
  check(alternatives >= 2, `the bracket comparison shows the alternatives side by side (${alternatives})`);
  await page.screenshot({ path: path.join(shots, "brackets.png") });
  // Accessibility, on the steps board and the map.
  for (const tab of ["#tab-steps", "#tab-map"]) {
    await page.click(tab);
    // Evaluated, not added as a <script>: the page's Content-Security-Policy
    // (rightly) refuses inline scripts.
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const outcome = await window.axe.run(document, { resultTypes: ["violations"] });
      return outcome.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
    });
    check(result.length === 0, `no serious accessibility violation on ${tab}: ${result.join("; ")}`);
  }
  // Arabic, right to left.
  await page.click("#language");
  const dir = await page.getAttribute("html", "dir");
  check(dir === "rtl", "Arabic lays the page out right to left");
  await page.screenshot({ path: path.join(shots, "arabic.png") });
  check(errors.length === 0, `no console errors: ${errors.join(" | ")}`);
  check(offsite.length === 0, `no request left the machine: ${offsite.join(", ")}`);
  await context.close();
}

// The public: the agreement's life from the ledger in the chronology, the ledger's
// entries with what is withheld from the public, and a bundle anyone downloads and
// verifies with truce alone.
{
  const { context, page, errors, offsite } = await watchedPage({ acceptDownloads: true });
  await page.goto(url);
  await page.click("#public");
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  const life = await page.$$eval("#chronology li.from-ledger", (items) => items.map((i) => i.textContent));
  check(life.some((l) => l.includes("agreement version") && l.includes("recorded")), `the agreement's life from the ledger is in the chronology: ${life[0] ?? "none"}`);
  await page.click("#tab-ledger");
  await page.waitForSelector("#ledger-entries tr td", { timeout: 15000 });
  const rows = await page.$$eval("#ledger-entries tr", (trs) => trs.slice(1).map((tr) => ({ withheld: tr.classList.contains("withheld"), text: tr.textContent })));
  check(rows.some((r) => r.withheld && r.text.includes("withheld")), `the public reads which entries are withheld from it, and why (${rows.filter((r) => r.withheld).length} of ${rows.length})`);
  check(rows.some((r) => !r.withheld && r.text.includes("agreement-version")), "the public reads the agreement's versions in the ledger");
  const note = await page.textContent("#view-ledger pre");
  check(note.includes("e2e-mission"), "the ledger page shows the signed checkpoint");
  await page.evaluate(axeSource);
  const axe = await page.evaluate(async () => {
    const outcome = await window.axe.run(document, { resultTypes: ["violations"] });
    return outcome.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  });
  check(axe.length === 0, `no serious accessibility violation on the ledger page: ${axe.join("; ")}`);
  await page.screenshot({ path: path.join(shots, "ledger.png") });
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-bundle")]);
  const zip = path.join(tmpdir(), `truce-public-bundle-${process.pid}.zip`);
  await download.saveAs(zip);
  if (process.env.TRUCE_BIN && process.env.TRUCE_MISSION_KEY) {
    const verified = spawnSync(process.env.TRUCE_BIN, ["ledger", "verify", zip, "--key", process.env.TRUCE_MISSION_KEY], { encoding: "utf8" });
    check(verified.status === 0 && verified.stdout.includes("made for the public"), `the public's bundle, downloaded from the page, verifies with truce (exit ${verified.status}): ${verified.stdout.split("\n").filter((l) => l.includes("made for") || l.includes("verified")).join(" / ")}${verified.stderr}`);
  } else {
    check(false, "TRUCE_BIN and TRUCE_MISSION_KEY are set by scripts/e2e.sh to verify the downloaded bundle");
  }
  check(errors.length === 0, `no console errors for the public: ${errors.join(" | ")}`);
  check(offsite.length === 0, `no request left the machine for the public: ${offsite.join(", ")}`);
  await context.close();
}

// An analyst sees the sources behind an incident.
{
  const { context, page, errors, offsite } = await session(analystToken, "analyst");
  const who = await page.textContent("#who");
  check(who.includes("analyst"), `the analyst is named as one: ${who}`);
  await page.click("#tab-evidence");
  await page.waitForSelector("#view-evidence table tr td", { timeout: 15000 });
  const runs = await page.$$eval("#view-evidence table tr", (rows) => rows.slice(1).map((r) => r.textContent));
  check(runs.some((r) => r.includes("ged191_syria_2016.csv") && r.includes("6170")), `the analyst opens the import runs (${runs.length})`);
  await page.screenshot({ path: path.join(shots, "evidence.png") });
  check(errors.length === 0, `no console errors for the analyst: ${errors.join(" | ")}`);
  check(offsite.length === 0, "no request left the machine for the analyst");
  await context.close();
}

// A person logs in with a password: a session cookie and its CSRF token.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url);
  await page.fill("#name", "opposition-liaison");
  await page.fill("#password", "not the passphrase");
  await page.click("#password-form button[type=submit]");
  await waitUntil(page, () => document.getElementById("login-error").textContent.length > 0);
  check(true, "a wrong password is refused on the page");
  await page.fill("#password", "opposition liaison passphrase");
  await page.click("#password-form button[type=submit]");
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  const who = await page.textContent("#who");
  check(who.includes("opposition"), `the person is signed in by password as the opposition's liaison: ${who}`);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "truce_session");
  check(session !== undefined && session.httpOnly && session.sameSite === "Strict", "the session cookie is HttpOnly and SameSite=Strict");
  const own = await page.evaluate(async () => (await fetch("/api/v1/entitlements")).json());
  check(own.length > 0 && own.every((e) => e.to === "opposition"), "by cookie, the liaison sees its own party's entitlements only");
  const forged = await page.evaluate(async () =>
    (await (await fetch("/api/v1/check", { method: "POST" })).json()).code,
  );
  check(forged === "csrf", `a change made with the cookie but without the CSRF token is refused (${forged})`);
  check(errors.length === 0, `no page errors after logging in: ${errors.join(" | ")}`);
  await context.close();
}

// The monitor's form, with the server out of reach: reports are kept, survive a
// reload, and are stored exactly once when the server can be reached again.
{
  const context = await browser.newContext({ viewport: { width: 480, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${url}/report.html`);
  await page.fill("#token", monitorToken);
  await page.click("#token-form button[type=submit]");
  await page.waitForSelector("#report-form:not([hidden])");
  // The service worker takes the page; a reload is then served through it.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  check(await page.evaluate(() => navigator.serviceWorker.controller !== null), "the form is installed: a service worker serves it");
  // The server cannot be reached: every API request fails on the way.
  let refusedOnTheWay = 0;
  await context.route("**/api/**", (route) => {
    refusedOnTheWay += 1;
    return route.abort("internetdisconnected");
  });
  const texts = [`convoy struck ${Date.now()}`, `clinic shelled ${Date.now()}`];
  for (const text of texts) {
    await page.fill("#place", "Urum al-Kubra");
    await page.fill("#lat", "36.2021");
    await page.fill("#lon", "37.1343");
    await page.fill("#actor", "Russian Air Force");
    await page.fill("#low", "3");
    await page.fill("#high", "5");
    await page.fill("#text", text);
    await page.click("#report-form button[type=submit]");
  }
  await waitUntil(page, () => document.body.dataset.queued === "2");
  check(refusedOnTheWay > 0, `the form tried the unreachable server (${refusedOnTheWay} requests refused on the way)`);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  const kept = await page.evaluate(() => document.body.dataset.queued);
  check(kept === "2", `both reports are still queued after a reload (${kept})`);
  await page.screenshot({ path: path.join(shots, "report-queued.png") });
  // The server can be reached again.
  await context.unroute("**/api/**");
  await waitUntil(page, () => document.body.dataset.sent === "2", null, { timeout: 20000 });
  const stored = await page.evaluate(async (token) => {
    const response = await fetch("/api/v1/reports?limit=1000", { headers: { authorization: `Bearer ${token}` } });
    return (await response.json()).items.map((i) => i.report.summary);
  }, monitorToken);
  for (const text of texts) {
    const copies = stored.filter((s) => s === text).length;
    check(copies === 1, `"${text}" is stored exactly once (${copies})`);
  }
  await page.screenshot({ path: path.join(shots, "report-sent.png") });
  await page.click("#language");
  check((await page.getAttribute("html", "dir")) === "rtl" && (await page.textContent("#queue-heading")) === "بانتظار الإرسال", "the form reads in Arabic, right to left");
  await page.screenshot({ path: path.join(shots, "report-arabic.png") });
  check(errors.length === 0, `no page errors on the form: ${errors.join(" | ")}`);
  await context.close();
}

// The Content-Security-Policy, in a real browser: a script injected inline
// (what a stored cross-site script would be) does not run.
{
  const { context, page } = await watchedPage();
  await page.goto(url, { waitUntil: "load" });
  const refused = await page.addScriptTag({ content: "window.injected = true;" }).then(() => false, () => true);
  const ran = await page.evaluate(() => window.injected === true);
  check(refused && !ran, "the page's Content-Security-Policy refuses an inline script injected into it");
  await context.close();
}

await browser.close();
if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("all browser checks passed");
