// The `sskdt` command line bundled into one file, for the test suite (tests/cli-bundle.ts):
// through tsx every start compiles and resolves some 300 modules (≈1.8 s, 2.8 s of CPU),
// the bundle starts in ≈0.7 s, and many tests run the command line as its users do.
// `npx sskdt` itself always runs the sources (scripts/sskdt.mjs), so it is never stale.
// Pure-JavaScript libraries go inside the bundle; native (better-sqlite3), CommonJS
// (exceljs, pg…) and the rest stay in node_modules, which the bundle's folder resolves to.
import path from "node:path";
import { defineConfig } from "vite";

export const CLI_BUNDLE_DIR = path.resolve(__dirname, "node_modules/.cache/sskdt-cli");

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  publicDir: false,
  logLevel: "warn",
  ssr: { noExternal: ["kysely", "zod", "date-fns", "csv-parse", "otpauth"] },
  build: {
    ssr: path.resolve(__dirname, "scripts/cli/main.ts"),
    outDir: CLI_BUNDLE_DIR,
    emptyOutDir: true,
    target: "node20",
    minify: false,
    rollupOptions: { output: { format: "es", entryFileNames: "sskdt.mjs" } },
  },
});
