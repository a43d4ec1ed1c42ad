// `sskdt user …` as an IT officer runs it: a real process on a temporary database.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openMigratedDatabase } from "~/server/db.server";
import { reserveAttempt } from "~/server/throttle.server";
import { verifyPassword } from "~/server/users.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-user-cli-"));
const databaseUrl = `file:${path.join(dir, "sskdt.sqlite")}`;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function sskdt(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SSKDT_SECRET: "x".repeat(40), NODE_ENV: "test" };
  try {
    const { stdout, stderr } = await promisify(execFile)("node", ["scripts/sskdt.mjs", "user", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function storedHash(username: string): Promise<string> {
  const db = await openMigratedDatabase(databaseUrl);
  try {
    return (await db.selectFrom("app_user").select("password_hash").where("username", "=", username).executeTakeFirstOrThrow()).password_hash;
  } finally {
    await db.destroy();
  }
}

describe("sskdt user", () => {
  it("adds accounts on a new database (no demo data), prints a generated password once, lists, resets and disables", async () => {
    const added = await sskdt("add", "--username", "khoi3", "--name", "Trần Thị Ba", "--role", "ban_can_su_khoi", "--block", "3");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Created khoi3 (Ban cán sự khối, Khối 3).");
    const password = /Password \(shown once\): (\S+)/.exec(added.stdout)![1];
    expect(await verifyPassword(await storedHash("khoi3"), password)).toBe(true);

    const chosen = await sskdt("add", "--username", "tramyte", "--name", "Lê Văn Y", "--role", "tram_y_te", "--password", "mat-khau-rieng");
    expect(chosen.stdout).not.toContain("Password");

    const reset = await sskdt("reset-password", "--username", "tramyte");
    const fresh = /Password \(shown once\): (\S+)/.exec(reset.stdout)![1];
    expect(await verifyPassword(await storedHash("tramyte"), fresh)).toBe(true);

    expect((await sskdt("disable", "--username", "khoi3")).code).toBe(0);
    const list = await sskdt("list");
    expect(list.stdout).toMatch(/khoi3 +Trần Thị Ba +Ban cán sự khối · Khối 3 +disabled +never/);
    expect(list.stdout).toMatch(/tramyte +Lê Văn Y +Trạm Y tế +active/);
    expect(list.stdout.split("\n").filter(Boolean)).toHaveLength(3); // header + the two; no demo accounts
  }, 90_000); // each run starts tsx: seconds apiece on a busy machine

  it("lifts sign-in locks on an account (and reset-password does too); a generated password is to be changed", async () => {
    const db = await openMigratedDatabase(databaseUrl);
    try {
      const generated = await db.selectFrom("app_user").select(["username", "must_change_password"]).orderBy("username").execute();
      expect(generated).toEqual([{ username: "khoi3", must_change_password: 1 }, { username: "tramyte", must_change_password: 1 }]);
      const lock = async () => {
        for (let i = 0; i < 6; i++) await reserveAttempt(db, "tramyte", "10.0.0.1");
        expect((await reserveAttempt(db, "tramyte", "10.0.0.1")).locked?.kind).toBe("account_from_address");
      };
      await lock();
      const unlocked = await sskdt("unlock", "--username", "tramyte");
      expect(unlocked.stdout).toContain("Lifted the sign-in locks on tramyte.");
      expect((await reserveAttempt(db, "tramyte", "10.0.0.1")).locked).toBeNull();
      await lock();
      expect((await sskdt("reset-password", "--username", "tramyte", "--password", "mot-mat-khau-moi-hon")).code).toBe(0);
      expect((await reserveAttempt(db, "tramyte", "10.0.0.1")).locked).toBeNull();
    } finally {
      await db.destroy();
    }
  }, 90_000);

  it("refuses what the web page refuses, with a non-zero exit code", async () => {
    const noBlock = await sskdt("add", "--username", "khoi4", "--name", "X", "--role", "ban_can_su_khoi");
    expect(noBlock.code).toBe(1);
    expect(noBlock.stderr).toContain("phải chọn khối");
    expect((await sskdt("add", "--username", "x", "--name", "X", "--role", "admin")).code).toBe(2);
    expect((await sskdt("disable", "--username", "nobody")).stderr).toContain("No such user: nobody");
    expect((await sskdt("add", "--username", "x2")).code).toBe(2);
  }, 90_000);
});
