// `sskdt` run as its users run it: a child process on a database file of its own.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MetricsJson } from "~/domain/metrics-types";

export const ROOT = path.resolve(__dirname, "../..");

export interface CliDatabase {
  dir: string;
  databaseUrl: string;
  /** Runs `sskdt args…` in `cwd`; throws with its output unless it exits 0. */
  run(args: string[], cwd?: string): string;
  /** `sskdt metrics args… --json`, parsed. */
  metrics(args: string[]): MetricsJson;
  remove(): void;
}

export function cliDatabase(prefix: string, secret: string): CliDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const databaseUrl = `file:${path.join(dir, "ward.sqlite")}`;
  const env = { ...process.env, DATABASE_URL: databaseUrl, SSKDT_SECRET: secret };
  const run = (args: string[], cwd = ROOT) => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/sskdt.mjs"), ...args], { cwd, env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`sskdt ${args.join(" ")} → ${result.status}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  return {
    dir,
    databaseUrl,
    run,
    metrics: (args) => JSON.parse(run(["metrics", ...args, "--json"])) as MetricsJson,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
