// Backups on PostgreSQL (`npm run test:postgres` only): `sskdt backup` is pg_dump of a
// real database, `sskdt restore` is pg_restore into another, and the figures must come
// out byte for byte the same, with the audit chain whole and still append-only. Each
// run creates two databases of its own next to TEST_DATABASE_URL's (its user needs
// CREATEDB, as scripts/pg-test-cluster.sh gives it) and drops them afterwards.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMigratedDatabase } from "~/server/db.server";
import { ROOT, sskdt } from "./sskdt";

const base = process.env.TEST_DATABASE_URL;
const SAMPLE = path.join(ROOT, "tests/fixtures/sample-ward");
const METRICS = ["metrics", "--period", "2026-H1", "--as-of", "2026-07-05T08:00:00+07:00", "--json"];
const secret = crypto.randomBytes(32).toString("hex");
const suffix = crypto.randomBytes(4).toString("hex");
const names = { source: `sskdt_backup_src_${suffix}`, restored: `sskdt_backup_dst_${suffix}` };
let dir: string;

/** The URL of another database on the same server. */
const urlOf = (database: string) => {
  const url = new URL(base!);
  url.pathname = `/${database}`;
  return url.toString();
};

async function onServer(statement: string) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const environment = (database: string) => ({ DATABASE_URL: urlOf(database), SSKDT_SECRET: secret });

describe.skipIf(!base)("sskdt backup and restore on PostgreSQL", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-pg-backup-"));
    for (const name of Object.values(names)) await onServer(`create database ${name}`);
    const files = ["co-so.csv", "thang-01-06.zip", "phong-kham.csv", "ket-qua-gui.csv", "hien-thi.csv", "dan-so.csv", "ho-tro.csv", "hoat-dong.csv"];
    const imported = await sskdt(["import", ...files.map((f) => `data/${f}`)], environment(names.source), SAMPLE);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    if (!base) return;
    for (const name of Object.values(names)) await onServer(`drop database if exists ${name} with (force)`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("dumps with pg_dump and restores into a new database with the same figures and a whole audit chain", async () => {
    const file = path.join(dir, "sao-luu.dump");
    const backup = await sskdt(["backup", file], environment(names.source));
    expect(backup.code, backup.stderr).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file).subarray(0, 5).toString("latin1")).toBe("PGDMP"); // pg_dump's custom format
    expect(fs.readFileSync(file).includes(Buffer.from(secret))).toBe(false);

    const restored = await sskdt(["restore", file], environment(names.restored));
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.stdout).toContain("chuỗi nhật ký nguyên vẹn");

    const [before, after] = await Promise.all([sskdt(METRICS, environment(names.source)), sskdt(METRICS, environment(names.restored))]);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout).i1.total).toBeGreaterThan(0);
    expect(after.stdout).toBe(before.stdout);
    const verify = await sskdt(["audit", "verify"], environment(names.restored));
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 240_000);

  it("keeps the restored audit log append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    // A postgres:// URL is opened as it is, never mapped to a test schema.
    const db = await openMigratedDatabase(urlOf(names.restored));
    try {
      const last = await db.selectFrom("audit_log").select(["seq", "action"]).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
      expect(last.action).toBe("restore");
      await expect(sql`UPDATE audit_log SET action = 'view' WHERE seq = ${last.seq}`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log WHERE seq = ${last.seq}`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_chain`.execute(db)).rejects.toThrow(/cannot be removed/);
    } finally {
      await db.destroy();
    }
  });
});
