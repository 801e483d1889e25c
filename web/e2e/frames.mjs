// Frame times of the dashboard's map with many incidents (scripts/e2e.sh and
// bench/dashboard.sh): loads the page as the given token's user, then pans and
// zooms the map for a few seconds while counting frames with
// requestAnimationFrame. Prints one JSON line. With MIN_INCIDENTS it is a test:
// it fails unless the map drew at least that many incidents and kept drawing
// frames while it moved (how fast is measured and reported, never asserted).
import { chromium } from "playwright-core";
import { waitUntil } from "./wait.mjs";

const [url, token, seconds = "6", minIncidents] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
  ],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
const started = Date.now();
await page.goto(url);
await page.fill("#token", token);
await page.click("#token-form button[type=submit]");
await waitUntil(page, () => document.body.dataset.mapReady !== undefined, null, { timeout: 600000 });
const loaded = Date.now() - started;
const incidents = Number(await page.evaluate(() => document.body.dataset.mapReady));
// Frame time grows with the pixels drawn (software WebGL): the map's size goes with it.
const mapPixels = await page.evaluate(() => {
  const box = window.truceMap.getCanvas().getBoundingClientRect();
  return `${Math.round(box.width)}x${Math.round(box.height)}`;
});
const frames = await page.evaluate(async (duration) => {
  const map = window.truceMap;
  const times = [];
  let last = performance.now();
  let running = true;
  const tick = (now) => {
    times.push(now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const end = performance.now() + duration * 1000;
  let step = 0;
  while (performance.now() < end) {
    const zoom = 5 + (step % 4);
    map.easeTo({ zoom, center: map.getCenter(), duration: 400 });
    await new Promise((resolve) => setTimeout(resolve, 450));
    map.panBy([step % 2 === 0 ? 200 : -200, 0], { duration: 400 });
    await new Promise((resolve) => setTimeout(resolve, 450));
    step += 1;
  }
  running = false;
  return times.slice(1);
}, Number(seconds));
frames.sort((a, b) => a - b);
const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
const measured = {
  incidents,
  page_loaded_ms: loaded,
  map_px: mapPixels,
  frames: frames.length,
  frame_ms_p50: Number(at(0.5).toFixed(1)),
  frame_ms_p95: Number(at(0.95).toFixed(1)),
  frame_ms_max: Number(frames[frames.length - 1].toFixed(1)),
  fps: Number((1000 / at(0.5)).toFixed(1)),
};
console.log(JSON.stringify(measured));
await browser.close();
if (minIncidents !== undefined) {
  const problems = [];
  if (incidents < Number(minIncidents)) problems.push(`the map drew ${incidents} incidents; expected at least ${minIncidents}`);
  // Six seconds of motion drawn in fewer than 30 frames (5 fps) is a map that froze.
  if (frames.length < 30) problems.push(`only ${frames.length} frames were drawn while the map moved`);
  for (const problem of problems) console.error(`FAIL ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.error(`ok   ${incidents} incidents on the map: median frame ${measured.frame_ms_p50} ms, p95 ${measured.frame_ms_p95} ms while panning and zooming`);
}
