#!/usr/bin/env node
// The `sskdt` command line. TypeScript sources run through tsx, so `npx sskdt …` works
// from the project root without a build step.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
// The project's tsconfig (its "~" path alias) wherever the command is run from.
register({ tsconfig: path.join(here, "..", "tsconfig.json") });
const { main } = await import(path.join(here, "cli", "main.ts"));
process.exitCode = await main(process.argv.slice(2));
