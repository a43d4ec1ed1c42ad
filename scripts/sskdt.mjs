#!/usr/bin/env node
// The `sskdt` command line. TypeScript sources run through tsx, so `npx sskdt …` works
// from the project root without a build step. The test suite sets SSKDT_CLI_BUNDLE to a
// bundle of the same sources it built for the run (vite.cli.config.ts): it starts faster.
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
let main;
if (process.env.SSKDT_CLI_BUNDLE) {
  ({ main } = await import(pathToFileURL(process.env.SSKDT_CLI_BUNDLE).href));
} else {
  const { register } = await import("tsx/esm/api");
  // The project's tsconfig (its "~" path alias) wherever the command is run from.
  register({ tsconfig: path.join(here, "..", "tsconfig.json") });
  ({ main } = await import(path.join(here, "cli", "main.ts")));
}
process.exitCode = await main(process.argv.slice(2));
