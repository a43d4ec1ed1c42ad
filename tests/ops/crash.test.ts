// Crash safety: an import killed with SIGKILL in the middle of a file, and the server
// killed during an upload's confirm, leave the database intact (PRAGMA integrity_check)
// with nothing of that file written — and what was there before untouched.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/server/audit.server";
import { setInstallationSecret } from "~/server/crypto.server";
import { openMigratedDatabase, sqlitePathOf, type DB } from "~/server/db.server";
import { defaultWardId, ensureWard } from "~/server/ward.server";
import { registerFacilities } from "../import/helpers";
import { Client } from "../http/client";
import { TEST_PASSWORD, createTestUsers, startServer } from "../http/server";
import { ROOT, sskdt } from "./sskdt";

const secret = crypto.randomBytes(32).toString("hex");
let dir: string;
beforeAll(() => {
  setInstallationSecret(secret);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-crash-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The ward with the station the receipts name (an unknown facility code is refused). */
async function registerStation(db: DB) {
  await ensureWard(db);
  await registerFacilities(db, await defaultWardId(db), ["38120"]);
}

/** A gateway-receipts CSV of `n` rows, `tag` in every transaction id. */
function receiptsCsv(n: number, tag: string): string {
  const lines = ["ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep"];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const t = new Date(start + i * 60_000).toISOString().replace(/\D/g, "").slice(0, 14);
    lines.push(`38120,${tag}${String(i % 50_000).padStart(6, "0")},${tag}-GD${i},${t},${i % 10 ? "200" : "E101"},${i % 10 ? "OK" : "Sai mã thẻ"}`);
  }
  return lines.join("\n") + "\n";
}

/** True while another connection holds the database's write lock: an import's transaction is open. */
function writeLockHeld(probe: SQLite.Database): boolean {
  try {
    probe.exec("BEGIN IMMEDIATE");
    probe.exec("ROLLBACK");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  }
}

async function whenWriting(file: string, deadlineMs: number, stillRunning: () => boolean): Promise<void> {
  const probe = new SQLite(file);
  probe.pragma("busy_timeout = 0");
  try {
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      if (!stillRunning()) throw new Error("finished before it could be killed: give it a bigger file");
      if (writeLockHeld(probe)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("never started writing");
  } finally {
    probe.close();
  }
}

/** What a killed writer must have left: an intact file, a whole audit chain, and the counts given. */
async function expectIntact(databaseUrl: string, expected: { receipts: number; batches: string[] }) {
  const file = sqlitePathOf(databaseUrl);
  const raw = new SQLite(file); // opening replays the WAL up to the last commit
  try {
    expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(raw.pragma("foreign_key_check")).toEqual([]);
  } finally {
    raw.close();
  }
  const db = await openMigratedDatabase(databaseUrl);
  try {
    const receipts = await db.selectFrom("gateway_receipt").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(receipts.n)).toBe(expected.receipts);
    const batches = await db.selectFrom("import_batch").select("file_name").orderBy("id").execute();
    expect(batches.map((b) => b.file_name)).toEqual(expected.batches);
    if (expected.receipts === 0) expect(await db.selectFrom("metric_record").select("ma_lk").limit(1).execute()).toEqual([]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  } finally {
    await db.destroy();
  }
}

// SQLite's own guarantee, checked on its file (PRAGMA integrity_check); PostgreSQL's is the server's.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))("crash safety", () => {
  it("an import killed with SIGKILL mid-file writes nothing of that file", async () => {
    const databaseUrl = `file:${path.join(dir, "cli", "sskdt.sqlite")}`;
    const env = { DATABASE_URL: databaseUrl, SSKDT_SECRET: secret };
    fs.mkdirSync(path.join(dir, "cli"));
    const setup = await openMigratedDatabase(databaseUrl);
    await registerStation(setup).finally(() => setup.destroy());
    fs.writeFileSync(path.join(dir, "truoc.csv"), receiptsCsv(20, "OLD"));
    fs.writeFileSync(path.join(dir, "lon.csv"), receiptsCsv(200_000, "BIG"));
    const before = await sskdt(["import", "truoc.csv"], env, dir);
    expect(before.code, before.stdout + before.stderr).toBe(0);

    const child = spawn(process.execPath, [path.join(ROOT, "scripts/sskdt.mjs"), "import", "lon.csv"], {
      cwd: dir, env: { ...process.env, NODE_ENV: "test", ...env }, stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await whenWriting(sqlitePathOf(databaseUrl), 120_000, () => child.exitCode === null);
    await new Promise((r) => setTimeout(r, 300)); // well into the file
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(output).not.toContain("lon.csv"); // it never reported the file done

    await expectIntact(databaseUrl, { receipts: 20, batches: ["truoc.csv"] });
    // And the same file goes in whole afterwards.
    const again = await sskdt(["import", "lon.csv"], env, dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    await expectIntact(databaseUrl, { receipts: 200_020, batches: ["truoc.csv", "lon.csv"] });
  }, 240_000);

  it("the server killed during a confirm leaves the database intact with nothing of the file", async () => {
    const server = await startServer({ env: { SSKDT_SECRET: secret }, setup: async (db) => { await createTestUsers(db); await registerStation(db); } });
    try {
      const health = new Client(server.url);
      expect((await health.signIn("tramyte", TEST_PASSWORD)).status).toBe(302);
      const form = new FormData();
      form.append("files", new File([receiptsCsv(150_000, "WEB")], "ket-qua-gui.csv"));
      const preview = await health.request("/import/upload?intent=preview", { method: "POST", body: form, headers: { Origin: server.url } });
      expect(preview.status).toBe(200);
      const result = (await preview.text()).trim().split("\n").map((l) => JSON.parse(l)).at(-1);
      expect(result).toMatchObject({ type: "result", dryRun: true, totals: { new: 150_000 } });

      let alive = true;
      const confirm = health
        .request(`/import/upload?intent=confirm&preview=${result.previewId}`, { method: "POST", headers: { Origin: server.url } })
        .then((r) => r.text())
        .catch(() => "connection lost");
      await whenWriting(sqlitePathOf(server.databaseUrl), 120_000, () => alive);
      await new Promise((r) => setTimeout(r, 200));
      process.kill(server.pid, "SIGKILL");
      alive = false;
      const answer = await confirm;
      expect(answer).not.toContain('"dryRun":false');
      await expectIntact(server.databaseUrl, { receipts: 0, batches: [] });
    } finally {
      await server.stop();
    }
  }, 240_000);
});
