// The dashboard is built into dist/ and embedded in the truce binary: every
// asset is bundled (no CDN), so the page works with no internet at all.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      // The dashboard, and the monitor's form that works offline.
      input: { main: "index.html", report: "report.html" },
    },
  },
});
