import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openMigratedDatabase } from "~/server/db.server";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-demo-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function sskdt(args: string[], databaseUrl: string) {
  // SSKDT_CLI_BUNDLE="": the sources through tsx, as `npx sskdt` runs them, not the suite's bundle (tests/cli-bundle.ts).
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SSKDT_SECRET: "x".repeat(40), SSKDT_DEMO_PASSWORD: "demo-pass-123", NODE_ENV: "test", SSKDT_CLI_BUNDLE: "" };
  try {
    const { stdout, stderr } = await run("node", ["scripts/sskdt.mjs", ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("sskdt demo", () => {
  it("loads the demo into an empty database, prints the logins, and refuses a second time without --force", async () => {
    const url = `file:${path.join(dir, "demo.sqlite")}`;
    const first = await sskdt(["demo", "--visits", "400", "--seed", "3"], url);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Demo accounts, password demo-pass-123/);
    for (const name of ["lanhdao", "tramyte", "congan", "vanhoa", "taichinh", "khoi1", "khoi9", "quantri"]) expect(first.stdout).toContain(`  ${name}`);
    expect(first.stdout).toMatch(/khoi9 +Ban cán sự khối \(Khối 9\)/);

    const db = await openMigratedDatabase(url);
    expect((await db.selectFrom("visit").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n).toBe(400);
    await db.destroy();

    const second = await sskdt(["demo", "--visits", "400"], url);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already holds imported data/);
  }, 120_000);

  it("says how to use it when an option is wrong", async () => {
    const result = await sskdt(["demo", "--visits", "many"], `file:${path.join(dir, "unused.sqlite")}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--visits takes a positive whole number/);
  });
});
