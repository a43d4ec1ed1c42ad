// The audit log as the database keeps it: append-only, chained, pruned only under a
// checkpoint. A real SQLite file through the real migrations.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Migrator, SqliteAdapter, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { migrationProvider } from "../../db/migrations";
import { audit, pruneAudit, verifyAuditChain } from "~/server/audit.server";
import { openDatabase, openMigratedDatabase, type DB } from "~/server/db.server";
import { setInstallationSecret } from "~/server/crypto.server";

const SECRET = "s".repeat(40);
let dir: string;
let db: DB;

beforeEach(async () => {
  setInstallationSecret(SECRET);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-audit-"));
  db = await openMigratedDatabase(`file:${path.join(dir, "a.sqlite")}`);
});
afterEach(async () => {
  vi.useRealTimers();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function writeSome(n: number) {
  for (let i = 0; i < n; i++) await audit(db, { action: "view", username: `u${i % 3}`, target: "dashboard", detail: { period: "2026-03", page: i } });
}

/** What an intruder with the database file but not the secret can do: drop the triggers. */
async function dropTriggers() {
  const on = db.getExecutor().adapter instanceof SqliteAdapter ? sql`` : sql` ON audit_log`; // PostgreSQL names the table
  await sql`DROP TRIGGER audit_log_no_update${on}`.execute(db);
  await sql`DROP TRIGGER audit_log_no_delete${on}`.execute(db);
}

describe("the audit chain", () => {
  it("chains every entry, also when many are written at once", async () => {
    await writeSome(5);
    await Promise.all(Array.from({ length: 40 }, (_, i) => audit(db, { action: "login", username: `p${i}` })));
    await db.transaction().execute((trx) => audit(trx, { action: "import", username: "tramyte" }));
    const report = await verifyAuditChain(db);
    expect(report).toMatchObject({ ok: true, verified: 46, legacy: 0, firstSeq: 1, lastSeq: 46, problems: [] });
    const seqs = (await db.selectFrom("audit_log").select("seq").orderBy("id").execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
  });

  it("does not stall while another process holds the write lock: the entry waits, then goes in, in order", async () => {
    await writeSome(1);
    const other = new SQLite(path.join(dir, "a.sqlite"));
    other.exec("BEGIN IMMEDIATE"); // what a long `sskdt import` does
    const started = performance.now();
    await audit(db, { action: "view", username: "first" });
    await audit(db, { action: "view", username: "second" });
    expect(performance.now() - started).toBeLessThan(1000); // not the 5 s busy timeout, twice
    other.exec("ROLLBACK");
    other.close();
    await vi.waitFor(async () => expect((await db.selectFrom("audit_log").select("username").orderBy("seq").execute()).map((r) => r.username))
      .toEqual(["u0", "first", "second"]), { timeout: 3000 });
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("refuses UPDATE and DELETE in the database itself", async () => {
    await writeSome(3);
    await expect(db.updateTable("audit_log").set({ username: "someone" }).where("seq", "=", 2).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").where("seq", "=", 1).execute()).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_chain`.execute(db)).rejects.toThrow(/cannot be removed/);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("shows a changed entry, a removed one, an inserted one and a cut tail", async () => {
    await writeSome(6);
    await dropTriggers();

    await db.updateTable("audit_log").set({ detail: JSON.stringify({ period: "2026-04" }) }).where("seq", "=", 3).execute();
    let report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ seq: 3, reason: expect.stringContaining("does not match its hash") }]);

    await db.deleteFrom("audit_log").where("seq", "=", 5).execute();
    report = await verifyAuditChain(db);
    expect(report.problems.map((p) => p.seq)).toEqual([3, 6]);
    expect(report.problems[1].reason).toContain("entries 5–5 are missing");

    await db.deleteFrom("audit_log").where("seq", "=", 6).execute();
    report = await verifyAuditChain(db);
    expect(report.problems.at(-1)!.reason).toContain("its head is at 6");
  });

  it("does not verify under another secret: nobody without it can re-seal the log", async () => {
    await writeSome(2);
    setInstallationSecret("t".repeat(40));
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(2);
  });

  it("prunes only past the retention, under a chained checkpoint, and stays verifiable", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const day = 86400_000;
    const start = Date.UTC(2025, 0, 1);
    vi.setSystemTime(start);
    await writeSome(4); // 2025-01-01
    vi.setSystemTime(start + 200 * day);
    await writeSome(2); // 2025-07-20
    vi.setSystemTime(start + 500 * day); // 2026-05-16
    await writeSome(1);

    await expect(pruneAudit(db, { retentionDays: 30 })).rejects.toThrow(/at least 365/);
    const result = await pruneAudit(db, { retentionDays: 400 });
    expect(result).toEqual({ removed: 4, checkpointSeq: 8 });
    const left = await db.selectFrom("audit_log").select(["seq", "action", "covers_through"]).orderBy("seq").execute();
    expect(left.map((r) => [Number(r.seq), r.action])).toEqual([[5, "view"], [6, "view"], [7, "view"], [8, "checkpoint"]]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, verified: 4, pruned: 4, firstSeq: 5 });
    // A kept entry is still protected; nothing is due twice.
    await expect(db.deleteFrom("audit_log").where("seq", "=", 5).execute()).rejects.toThrow(/append-only/);
    expect(await pruneAudit(db, { retentionDays: 400 })).toEqual({ removed: 0, checkpointSeq: null });

    vi.setSystemTime(start + 700 * day);
    expect((await pruneAudit(db, { retentionDays: 400 })).removed).toBe(2);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, pruned: 6, firstSeq: 7 });
  });

  it("a forged checkpoint does not hide a removal", async () => {
    await writeSome(4);
    await sql`INSERT INTO audit_log (at, action, seq, prev_hash, hash, covers_through) VALUES (0, 'checkpoint', 99, 'x', 'y', 3)`.execute(db);
    await db.deleteFrom("audit_log").where("seq", "<=", 3).execute(); // the trigger believes the checkpoint
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
  });

  it("keeps the entries from before the chain in order, unsealed, and chains on after them", async () => {
    const file = `file:${path.join(dir, "old.sqlite")}`;
    const old = openDatabase(file);
    try {
      await new Migrator({ db: old, provider: migrationProvider }).migrateTo("0006_gateway_receipt_timeline");
      for (const action of ["login", "view"]) {
        await sql`INSERT INTO audit_log (at, action, username) VALUES (1700000000, ${action}, 'lanhdao')`.execute(old);
      }
      await new Migrator({ db: old, provider: migrationProvider }).migrateToLatest();
      await audit(old, { action: "logout", username: "lanhdao" });
      expect(await verifyAuditChain(old)).toMatchObject({ ok: true, verified: 1, legacy: 2, firstSeq: 1, lastSeq: 3 });
    } finally {
      await old.destroy();
    }
  });
});
