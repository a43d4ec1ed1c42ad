// Production start-up rules (issue #13): the demo only when asked for, never with the
// published password; no start without the secret; HOST chooses the address. Checked on
// the environment reader and the bootstrap directly, and on the real server process.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bootstrap } from "~/server/bootstrap.server";
import { openMigratedDatabase } from "~/server/db.server";
import { ConfigurationError, PUBLISHED_DEMO_PASSWORD, readEnv } from "~/server/env.server";
import { ensureBuilt, ROOT } from "../http/server";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const SECRET = crypto.randomBytes(32).toString("hex");

describe("the environment in production", () => {
  it("refuses to start without SSKDT_SECRET, saying what to do", () => {
    expect(() => readEnv({ NODE_ENV: "production" })).toThrow(ConfigurationError);
    expect(() => readEnv({ NODE_ENV: "production" })).toThrow(/SSKDT_SECRET is not set.*openssl rand -hex 32/);
  });

  it("does not load the demo unless asked, and never with the published password", () => {
    expect(readEnv({ NODE_ENV: "production", SSKDT_SECRET: SECRET })).toMatchObject({ SSKDT_DEMO: "0", SSKDT_DEMO_PASSWORD: undefined });
    expect(() => readEnv({ NODE_ENV: "production", SSKDT_SECRET: SECRET, SSKDT_DEMO: "1" })).toThrow(/SSKDT_DEMO_PASSWORD/);
    expect(() => readEnv({ NODE_ENV: "production", SSKDT_SECRET: SECRET, SSKDT_DEMO: "1", SSKDT_DEMO_PASSWORD: PUBLISHED_DEMO_PASSWORD })).toThrow(/published demo password/);
    expect(readEnv({ NODE_ENV: "production", SSKDT_SECRET: SECRET, SSKDT_DEMO: "1", SSKDT_DEMO_PASSWORD: "mot-mat-khau-rieng-cho-demo" }).SSKDT_DEMO).toBe("1");
    // A trial run (development) still loads the demo with the published password.
    expect(readEnv({})).toMatchObject({ NODE_ENV: "development", SSKDT_DEMO: "1", SSKDT_DEMO_PASSWORD: PUBLISHED_DEMO_PASSWORD });
  });

  it("creates only the administrator on a new production database, with a password to change at first sign-in", async () => {
    const db = await openMigratedDatabase(":memory:");
    const lines: string[] = [];
    await bootstrap({ db, env: readEnv({ NODE_ENV: "production", SSKDT_SECRET: SECRET }), log: (l) => lines.push(l) });
    const users = await db.selectFrom("app_user").select(["username", "must_change_password"]).execute();
    expect(users).toEqual([{ username: "quantri", must_change_password: 1 }]);
    expect(await db.selectFrom("visit").select("id").limit(1).execute()).toEqual([]);
    expect(lines.join("\n")).not.toContain(PUBLISHED_DEMO_PASSWORD);
    await db.destroy();
  });
});

/** Runs the production server until it prints `until` or exits; returns what it printed and its exit code (null: still running, then stopped). */
async function serve(env: Record<string, string>, until: RegExp): Promise<{ output: string; code: number | null }> {
  await ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-start-"));
  dirs.push(dir);
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "serve.mjs")], {
    cwd: dir,
    env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: "0", DATABASE_URL: `file:${path.join(dir, "data", "sskdt.sqlite")}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stopped = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`no answer:\n${output}`))), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (until.test(output)) {
        clearTimeout(timer);
        stopped = true;
        child.kill("SIGTERM");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ output, code: stopped ? null : code });
    });
  });
}

describe("the production server", () => {
  it("stops at once without SSKDT_SECRET, with a message and no stack trace", async () => {
    const { output, code } = await serve({}, /listening on/);
    expect(code).toBe(1);
    expect(output).toContain("SSKĐT dashboard not started: SSKDT_SECRET is not set");
    expect(output).not.toMatch(/\n\s+at /);
  }, 120_000);

  it("starts on a new database without the demo, on the address HOST names", async () => {
    const { output, code } = await serve({ SSKDT_SECRET: SECRET, HOST: "127.0.0.1" }, /listening on .*\n.*\n/);
    expect(code).toBeNull();
    expect(output).toContain("Administrator account created — username: quantri");
    expect(output).not.toContain("demo");
    expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(address 127\.0\.0\.1\)/);
  }, 120_000);
});
