// Backups of the database: online and consistent while the server runs.
//
// SQLite: `VACUUM INTO` copies the database in one read transaction of its own
// connection, so the copy is one consistent state even while the server and imports
// write (the online backup API copies in steps and starts again whenever another
// connection writes: under steady traffic, whose page views are audited, it never
// finished). The copy goes to a temporary file next to the destination, is
// checked (PRAGMA integrity_check), made private (0600) and renamed into place, so a
// crash never leaves a half-written backup under the final name. PostgreSQL: pg_dump in
// its custom format, one snapshot, and pg_restore (tests/ops/postgres-backup.test.ts).
//
// The installation secret is never in a backup: it lives in SSKDT_SECRET or in
// data/secret.key, outside the database, and a backup holds only the database.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { isPostgresUrl, openMigratedDatabase, sqlitePathOf, type DB } from "./db.server";
import { audit, verifyAuditChain, pruneAudit, MIN_AUDIT_RETENTION_DAYS } from "./audit.server";
import { z } from "zod";
import { env } from "./env.server";
import { localDayOf, localParts } from "../domain/time";


export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Writes a consistent copy of the database at `databaseUrl` to `destination`. */
export async function backupDatabase(databaseUrl: string, destination: string): Promise<BackupResult> {
  const file = path.resolve(destination);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial-${process.pid}`;
  try {
    if (isPostgresUrl(databaseUrl)) {
      await promisify(execFile)("pg_dump", ["--format=custom", "--no-owner", `--file=${partial}`, databaseUrl]);
    } else {
      const source = sqlitePathOf(databaseUrl);
      if (source === ":memory:" || !fs.existsSync(source)) throw new Error(`No database file at ${source}.`);
      const db = new SQLite(source, { readonly: true, fileMustExist: true });
      try {
        db.pragma("busy_timeout = 5000");
        db.prepare("VACUUM INTO ?").run(partial);
      } finally {
        db.close();
      }
      // One self-contained file: out of WAL mode, so no -wal or -shm goes with it.
      const copy = new SQLite(partial);
      try {
        copy.pragma("journal_mode = DELETE");
      } finally {
        copy.close();
      }
      checkIntegrity(partial);
    }
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { file, bytes: fs.statSync(file).size, sha256: await sha256OfFile(file) };
}

/** Throws unless the SQLite file passes PRAGMA integrity_check and is one of ours. */
export function checkIntegrity(file: string): void {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new Error(`${file} is damaged: integrity_check says ${String(result)}`);
    const ours = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('kysely_migration', 'audit_log')").all();
    if (ours.length < 2) throw new Error(`${file} is not an SSKĐT database.`);
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  sha256: string;
  chainOk: boolean;
}

/**
 * Replaces the database at `databaseUrl` with the backup. SQLite: the backup is checked
 * and migrated in a private copy, its audit chain verified with this installation's
 * secret (a chain that does not verify means another secret, whose hashes would match
 * nothing, or an altered file: refused unless `force`), then copied in with the backup
 * API, which takes the database's locks, so no reader ever sees half of it. Stop the
 * server first all the same: it would carry on with sessions of the replaced data.
 */
export async function restoreDatabase(backupFile: string, databaseUrl: string, { force = false, actor = "cli" } = {}): Promise<RestoreResult> {
  const source = path.resolve(backupFile);
  if (!fs.existsSync(source)) throw new Error(`No backup file at ${source}.`);
  const sha256 = await sha256OfFile(source);
  if (isPostgresUrl(databaseUrl)) {
    // Restored in place (no staging database to check first), then checked like SQLite's.
    await promisify(execFile)("pg_restore", ["--clean", "--if-exists", "--no-owner", `--dbname=${databaseUrl}`, source]);
    const db = await openMigratedDatabase(databaseUrl);
    try {
      const chainOk = (await verifyAuditChain(db)).ok;
      await audit(db, { action: "restore", username: actor, target: "database", detail: { file: path.basename(source), sha256, chainOk } });
      return { sha256, chainOk };
    } finally {
      await db.destroy();
    }
  }
  checkIntegrity(source);
  const target = sqlitePathOf(databaseUrl);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const work = fs.mkdtempSync(path.join(path.dirname(target), ".restore-"));
  fs.chmodSync(work, 0o700);
  try {
    const copy = path.join(work, "restore.sqlite");
    fs.copyFileSync(source, copy);
    const staged = await openMigratedDatabase(`file:${copy}`);
    let chainOk: boolean;
    try {
      const report = await verifyAuditChain(staged);
      chainOk = report.ok;
      if (!report.ok && !force) {
        throw new Error(`The backup's audit log does not verify with this installation's secret (${report.problems[0]?.reason ?? "?"}): `
          + "another SSKDT_SECRET, or the file was altered. Nothing was restored. Use the secret the backup was made with, or --force.");
      }
    } finally {
      await staged.destroy();
    }
    const from = new SQLite(copy, { readonly: true });
    try {
      await from.backup(target, { progress: () => 1 << 30 });
    } finally {
      from.close();
    }
    fs.chmodSync(target, 0o600);
    const db = await openMigratedDatabase(databaseUrl);
    try {
      await audit(db, { action: "restore", username: actor, target: "database", detail: { file: path.basename(source), sha256 } });
    } finally {
      await db.destroy();
    }
    return { sha256, chainOk };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---- The daily backup and audit retention, in the server process ----

const BACKUP_NAME = /^sskdt-(\d{4}-\d{2}-\d{2})\.(sqlite|dump)$/;

export const dailyBackupName = (day: string, postgres: boolean) => `sskdt-${day}.${postgres ? "dump" : "sqlite"}`;

/** Due when the local hour has come and today's file is not there yet. */
export function isBackupDue(now: number, hour: number, existing: readonly string[]): boolean {
  if (localParts(now).hour < hour) return false;
  const today = localDayOf(now);
  return !existing.some((name) => BACKUP_NAME.exec(name)?.[1] === today);
}

/** The daily backups beyond the `keep` newest, to delete. Other files are left alone. */
export function backupsToRemove(existing: readonly string[], keep: number): string[] {
  const ours = existing.filter((name) => BACKUP_NAME.test(name)).sort().reverse();
  return ours.slice(keep);
}

// The settings of the daily work, read once with zod like the rest of the environment.
const settingsSchema = z.object({
  // Where the daily backups go (default: backups/ beside the database), the local hour
  // they are made from, and how many are kept; SSKDT_BACKUP_KEEP=0 turns them off.
  SSKDT_BACKUP_DIR: z.string().optional(),
  SSKDT_BACKUP_HOUR: z.coerce.number().int().min(0).max(23).default(2),
  SSKDT_BACKUP_KEEP: z.coerce.number().int().min(0).default(14),
  // Audit entries older than this many days are pruned daily under a chained checkpoint;
  // 0 (the default) keeps everything. At least 365 otherwise (audit.server.ts).
  SSKDT_AUDIT_RETENTION_DAYS: z.coerce.number().int()
    .refine((d) => d === 0 || d >= MIN_AUDIT_RETENTION_DAYS, `0 or at least ${MIN_AUDIT_RETENTION_DAYS} days`).default(0),
});

export type MaintenanceSettings = z.infer<typeof settingsSchema> & { DATABASE_URL: string };

let settings: MaintenanceSettings | undefined;

export function maintenanceSettings(source: Record<string, string | undefined> = process.env): MaintenanceSettings {
  if (source === process.env && settings) return settings;
  const parsed = settingsSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const value = { ...parsed.data, DATABASE_URL: env().DATABASE_URL };
  if (source === process.env) settings = value;
  return value;
}

export function backupDirOf(e: Pick<MaintenanceSettings, "DATABASE_URL" | "SSKDT_BACKUP_DIR">): string {
  if (e.SSKDT_BACKUP_DIR) return path.resolve(e.SSKDT_BACKUP_DIR);
  const base = isPostgresUrl(e.DATABASE_URL) ? path.resolve("data") : path.dirname(sqlitePathOf(e.DATABASE_URL));
  return path.join(base, "backups");
}

type MaintenanceEnv = MaintenanceSettings;

/** One round of the daily work: the backup when due (then old ones removed), the audit retention. */
export async function dailyMaintenance(db: DB, e: MaintenanceEnv, now = Math.floor(Date.now() / 1000), log: (line: string) => void = console.log) {
  if (e.SSKDT_BACKUP_KEEP > 0 && !e.DATABASE_URL.includes(":memory:")) {
    const dir = backupDirOf(e);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (isBackupDue(now, e.SSKDT_BACKUP_HOUR, fs.readdirSync(dir))) {
      const started = Date.now();
      const result = await backupDatabase(e.DATABASE_URL, path.join(dir, dailyBackupName(localDayOf(now), isPostgresUrl(e.DATABASE_URL))));
      for (const old of backupsToRemove(fs.readdirSync(dir), e.SSKDT_BACKUP_KEEP)) fs.rmSync(path.join(dir, old), { force: true });
      await audit(db, { action: "backup", username: "daily", target: "database", detail: { file: path.basename(result.file), bytes: result.bytes, sha256: result.sha256 } });
      log(`Daily backup written: ${result.file} (${Math.round(result.bytes / 1024)} KB, ${Date.now() - started} ms)`);
    }
  }
  if (e.SSKDT_AUDIT_RETENTION_DAYS > 0) {
    const pruned = await pruneAudit(db, { retentionDays: e.SSKDT_AUDIT_RETENTION_DAYS, now });
    if (pruned.removed) log(`Audit retention: ${pruned.removed} entries older than ${e.SSKDT_AUDIT_RETENTION_DAYS} days removed under checkpoint ${pruned.checkpointSeq}.`);
  }
}

const CHECK_EVERY_MS = 10 * 60_000;

/** Checks every 10 minutes (and once at start) whether the daily work is due. */
export function startMaintenance(db: DB, e: MaintenanceEnv, log: (line: string) => void = console.log): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    dailyMaintenance(db, e, Math.floor(Date.now() / 1000), log)
      .catch((error) => console.error("daily backup / audit retention failed:", error))
      .finally(() => (running = false));
  };
  const timer = setInterval(tick, CHECK_EVERY_MS);
  timer.unref();
  setTimeout(tick, 5_000).unref();
  return () => clearInterval(timer);
}
