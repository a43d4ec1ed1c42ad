#!/usr/bin/env node
// The `sskdt` command line. TypeScript sources run through tsx, so `npx sskdt …` works
// from the project root without a build step.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(path.join(here, "cli", "main.ts"));
process.exitCode = await main(process.argv.slice(2));
