// vitest's global set-up: bundles the `sskdt` command line once per run (vite.cli.config.ts)
// and has every `sskdt` a test starts run the bundle (scripts/sskdt.mjs reads
// SSKDT_CLI_BUNDLE; the test workers and what they spawn inherit it). A test that passes
// SSKDT_CLI_BUNDLE="" runs the sources through tsx, as `npx sskdt` does.
import path from "node:path";
import { build } from "vite";

export default async function setup() {
  const started = Date.now();
  const config = path.resolve(__dirname, "../vite.cli.config.ts");
  await build({ configFile: config, mode: "production" });
  const { CLI_BUNDLE_DIR } = await import(config);
  process.env.SSKDT_CLI_BUNDLE = path.join(CLI_BUNDLE_DIR, "sskdt.mjs");
  console.log(`The sskdt command line bundled for the tests in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
