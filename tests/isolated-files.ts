// The test files that run isolated, each in a fresh process (vite.config.ts's `isolated`
// project): they set process.env, mock a module, or use the app's per-process singletons
// (env(), getDb()), which would leak into the files a shared worker runs after them.
// tests/unit/isolation.test.ts finds such files and fails when one is missing here.
export const ISOLATED_FILES = [
  "app/server/guard.test.ts",
  "tests/import/api.test.ts",
  "tests/import/derived.test.ts",
  "tests/import/pages.test.ts",
  "tests/import/xml.test.ts",
  "tests/import/zip.test.ts",
  "tests/reports/reports.test.ts",
  "tests/security/import-holes.test.ts",
];
