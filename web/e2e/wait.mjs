// Shared by the browser checks.

/** Waits until `predicate` (run in the page) is true. Polls through the
 * debugging protocol: Playwright's own waitForFunction evaluates a string in
 * the page, which the dashboard's Content-Security-Policy rightly forbids. */
export async function waitUntil(page, predicate, arg = undefined, options = {}) {
  const deadline = Date.now() + (options.timeout ?? 30000);
  for (;;) {
    if (await page.evaluate(predicate, arg)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
