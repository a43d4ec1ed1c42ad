// The audit log: who signed in, saw, imported, exported, approved what. Details are
// JSON and never carry a personal identifier.
//
// The log is append-only and chained (migration 0012). Each entry carries a sequence
// number, the previous entry's hash and its own: a keyed hash (HMAC with the
// installation secret) of the previous hash and the entry's fields. The database
// refuses UPDATE and DELETE; changing an entry by going around the triggers, removing
// or inserting one breaks the chain, and nobody without the secret can re-seal it.
// `sskdt audit verify` walks it. Old entries leave only through `pruneAudit`, which
// first appends a checkpoint entry naming the last entry it removes and that entry's
// hash (the anchor the first kept entry must point to); the DELETE trigger lets through
// only entries such a checkpoint covers.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { auditChainHash } from "./crypto.server";
import { tryWriteNow } from "./db.server";

export type AuditAction =
  | "login" | "login_failed" | "login_locked" | "logout" | "session_expired"
  | "view" | "import" | "import_refused" | "export" | "download"
  | "approve" | "review" | "submit" | "create" | "update" | "delete" | "disable" | "revoke" | "access_denied"
  | "checkpoint" | "backup" | "restore";

export interface AuditEntry {
  action: AuditAction;
  wardId?: number | null;
  userId?: number | null;
  username?: string | null;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

/** The fields the hash covers, in a fixed order. */
interface SealedFields {
  seq: number;
  at: number;
  ward_id: number | null;
  user_id: number | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
  covers_through: number | null;
}

const payloadOf = (e: SealedFields) =>
  JSON.stringify([e.seq, e.at, e.ward_id, e.user_id, e.username, e.action, e.target, e.detail, e.ip, e.covers_through]);

/**
 * Appends the entry. Inside a transaction it is part of it. Otherwise, while another
 * process (a long `sskdt import`) holds the database's write lock, the entry waits in
 * memory, with its time, and is appended in order as soon as the lock is free, rather
 * than stalling the server (see tryWriteNow). Entries still waiting when the process is
 * killed are lost; at most MAX_PENDING wait, beyond that the write waits for the lock.
 */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  const at = Math.floor(Date.now() / 1000);
  if (db.isTransaction) {
    await append(db, entry, null, at);
    return;
  }
  const kysely = db as Kysely<Database>;
  if (pending.length === 0 && (await tryWriteNow(kysely, async (trx) => void (await append(trx, entry, null, at))))) return;
  if (pending.length >= MAX_PENDING) {
    await append(kysely, entry, null, at);
    return;
  }
  pending.push({ db: kysely, entry, at });
  flushTimer ??= setTimeout(flushPending, FLUSH_RETRY_MS);
}

const MAX_PENDING = 50_000;
const FLUSH_RETRY_MS = 200;
const pending: Array<{ db: Kysely<Database>; entry: AuditEntry; at: number }> = [];
let flushTimer: NodeJS.Timeout | undefined;

async function flushPending(): Promise<void> {
  try {
    while (pending.length) {
      const batch = pending.slice(0, 500);
      const written = await tryWriteNow(batch[0].db, async (trx) => {
        for (const p of batch) await append(trx, p.entry, null, p.at);
      });
      if (!written) break;
      pending.splice(0, batch.length);
    }
  } catch (error) {
    console.error("audit entries could not be written:", error);
  } finally {
    flushTimer = pending.length ? setTimeout(flushPending, FLUSH_RETRY_MS) : undefined;
  }
}

/** Writes the entries still waiting for the lock, waiting for it (shutdown, tests). */
export async function flushPendingAudits(): Promise<void> {
  while (pending.length) {
    const p = pending.shift()!;
    await append(p.db, p.entry, null, p.at);
  }
}

/**
 * Appends one entry at the head of the chain. Advancing the head first takes the write
 * lock (SQLite) or the head row's lock (PostgreSQL), so appends from the server, the
 * command line and several requests line up one after another.
 */
async function append(db: Db, entry: AuditEntry, coversThrough: number | null, at = Math.floor(Date.now() / 1000)): Promise<number> {
  const write = async (trx: Db) => {
    const head = await trx
      .updateTable("audit_chain")
      .set((eb) => ({ seq: eb("seq", "+", 1) }))
      .where("id", "=", 1)
      .returning(["seq", "hash"])
      .executeTakeFirstOrThrow();
    const fields: SealedFields = {
      seq: Number(head.seq),
      at,
      ward_id: entry.wardId ?? null,
      user_id: entry.userId ?? null,
      username: entry.username ?? null,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: entry.ip ?? null,
      covers_through: coversThrough,
    };
    const hash = auditChainHash(head.hash, payloadOf(fields));
    await trx.insertInto("audit_log").values({ ...fields, prev_hash: head.hash, hash }).execute();
    await trx.updateTable("audit_chain").set({ hash }).where("id", "=", 1).execute();
    return fields.seq;
  };
  return db.isTransaction ? write(db) : (db as Kysely<Database>).transaction().execute(write);
}

export interface ChainProblem {
  seq: number | null;
  reason: string;
}

export interface ChainReport {
  ok: boolean;
  /** Entries checked against their hash. */
  verified: number;
  /** Entries written before the chain existed (migration 0012), in order but unsealed. */
  legacy: number;
  /** The entries removed under checkpoints so far, as the latest checkpoint states. */
  pruned: number;
  firstSeq: number | null;
  lastSeq: number | null;
  problems: ChainProblem[];
}

const BATCH = 5000;
const MAX_PROBLEMS = 50;

/** Walks the whole chain from its oldest kept entry to the head. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainReport> {
  const head = await db.selectFrom("audit_chain").selectAll().where("id", "=", 1).executeTakeFirst();
  const report: ChainReport = { ok: false, verified: 0, legacy: 0, pruned: 0, firstSeq: null, lastSeq: null, problems: [] };
  const problem = (seq: number | null, reason: string) => {
    if (report.problems.length < MAX_PROBLEMS) report.problems.push({ seq, reason });
  };
  if (!head) {
    problem(null, "the chain head (audit_chain) is missing");
    return report;
  }
  const legacyThrough = Number(head.legacy_through);
  // The latest checkpoint says where the kept entries must start and what they follow.
  const checkpoint = await db
    .selectFrom("audit_log")
    .select(["seq", "covers_through", "detail"])
    .where("action", "=", "checkpoint")
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  let expectedSeq = checkpoint ? Number(checkpoint.covers_through) + 1 : 1;
  let previousHash: string | null = null; // null: not known yet (unsealed entries before)
  if (checkpoint) {
    const detail = JSON.parse(checkpoint.detail ?? "{}") as { anchor?: string | null; prunedTotal?: number };
    previousHash = detail.anchor ?? (Number(checkpoint.covers_through) === legacyThrough ? "" : null);
    report.pruned = detail.prunedTotal ?? 0;
  }
  if (expectedSeq === legacyThrough + 1 && !checkpoint) previousHash = "";

  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("audit_log")
      .select(["id", "seq", "at", "ward_id", "user_id", "username", "action", "target", "detail", "ip", "covers_through", "prev_hash", "hash"])
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      report.firstSeq ??= seq;
      report.lastSeq = seq;
      if (seq !== expectedSeq) {
        problem(seq, seq > expectedSeq ? `entries ${expectedSeq}–${seq - 1} are missing` : `entry ${seq} is out of order`);
        previousHash = null;
      }
      expectedSeq = seq + 1;
      if (seq <= legacyThrough) {
        report.legacy++;
        if (row.hash !== null) problem(seq, "an entry from before the chain carries a hash");
        previousHash = seq === legacyThrough ? "" : null;
        continue;
      }
      if (previousHash !== null && row.prev_hash !== previousHash) problem(seq, "does not follow the entry before it");
      const fields: SealedFields = {
        seq, at: Number(row.at), ward_id: row.ward_id, user_id: row.user_id, username: row.username, action: row.action,
        target: row.target, detail: row.detail, ip: row.ip, covers_through: row.covers_through === null ? null : Number(row.covers_through),
      };
      if (row.hash !== auditChainHash(row.prev_hash ?? "", payloadOf(fields))) problem(seq, "its content does not match its hash (changed, or sealed with another secret)");
      else report.verified++;
      previousHash = row.hash;
    }
    if (rows.length < BATCH) break;
    after = Number(rows[rows.length - 1].seq);
  }
  const headSeq = Number(head.seq);
  if (report.lastSeq === null ? headSeq > legacyThrough : report.lastSeq !== headSeq) {
    problem(report.lastSeq, `the log ends at ${report.lastSeq ?? "nothing"} but its head is at ${headSeq}: entries were removed from the end`);
  } else if (report.lastSeq !== null && report.lastSeq > legacyThrough && previousHash !== head.hash) {
    problem(report.lastSeq, "the last entry is not the one the head names");
  }
  report.ok = report.problems.length === 0;
  return report;
}

export interface PruneResult {
  /** Entries removed now. */
  removed: number;
  /** The checkpoint entry's seq, or null when nothing was old enough. */
  checkpointSeq: number | null;
}

export const MIN_AUDIT_RETENTION_DAYS = 365;

/**
 * Removes the entries older than `retentionDays` — as one run from the oldest kept
 * entry, so what stays is still one unbroken chain — after appending a checkpoint
 * entry that records what goes: how many, their dates, and the hash of the last one,
 * which the first kept entry points to. One transaction: all of it or nothing.
 */
export async function pruneAudit(
  db: Kysely<Database>,
  { retentionDays, now = Math.floor(Date.now() / 1000), actor = "retention" }: { retentionDays: number; now?: number; actor?: string },
): Promise<PruneResult> {
  if (!Number.isInteger(retentionDays) || retentionDays < MIN_AUDIT_RETENTION_DAYS) {
    throw new Error(`Audit retention must be at least ${MIN_AUDIT_RETENTION_DAYS} days (asked: ${retentionDays}).`);
  }
  const cutoff = now - retentionDays * 86400;
  return db.transaction().execute(async (trx) => {
    // The first entry to keep; everything before it is older than the cutoff.
    const firstKept = await trx.selectFrom("audit_log").select("seq").where("at", ">=", cutoff).orderBy("seq").limit(1).executeTakeFirst();
    let old = trx.selectFrom("audit_log").where("at", "<", cutoff);
    if (firstKept) old = old.where("seq", "<", firstKept.seq);
    const span = await old
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("seq").as("last"), eb.fn.min("at").as("oldest"), eb.fn.max("at").as("newest")])
      .executeTakeFirstOrThrow();
    if (!Number(span.n) || span.last === null) return { removed: 0, checkpointSeq: null };
    const through = Number(span.last);
    const last = await trx.selectFrom("audit_log").select("hash").where("seq", "=", through).executeTakeFirstOrThrow();
    const previous = await trx.selectFrom("audit_log").select("detail").where("action", "=", "checkpoint")
      .orderBy("seq", "desc").limit(1).executeTakeFirst();
    const prunedBefore = Number((JSON.parse(previous?.detail ?? "{}") as { prunedTotal?: number }).prunedTotal ?? 0);
    const removed = Number(span.n);
    const checkpointSeq = await append(trx, {
      action: "checkpoint", username: actor, target: "audit_log",
      detail: {
        removed, through, anchor: last.hash, oldest: Number(span.oldest), newest: Number(span.newest),
        retentionDays, prunedTotal: prunedBefore + removed,
      },
    }, through);
    await trx.deleteFrom("audit_log").where("seq", "<=", through).execute();
    return { removed, checkpointSeq };
  });
}

// ---- Repeated failures, aggregated ----
// Anonymous failures (wrong passwords, unknown API tokens) come as fast as anyone sends
// them. Per key (an action from an address, say) the first REPEAT_BURST of a minute are
// written one by one; the rest are counted and written as one entry with `repeated: n`
// when the minute is over (at the next such failure, or by a timer). Rows are only ever
// added, never changed.
const REPEAT_BURST = 5;
const REPEAT_WINDOW_MS = 60_000;

interface Run {
  db: Kysely<Database>;
  startedMs: number;
  count: number;
  suppressed: number;
  /** The latest failure held back: what the summary entry describes. */
  latest: AuditEntry;
}

const runs = new Map<string, Run>();
let flusher: NodeJS.Timeout | undefined;

export async function auditRepeated(db: Kysely<Database>, entry: AuditEntry, key: string, nowMs = Date.now()): Promise<void> {
  let run = runs.get(key);
  if (run && nowMs - run.startedMs >= REPEAT_WINDOW_MS) {
    await flushRun(key, run);
    run = undefined;
  }
  if (!run) {
    run = { db, startedMs: nowMs, count: 0, suppressed: 0, latest: entry };
    runs.set(key, run);
    flusher ??= setInterval(() => void flushRepeatedAudits(false).catch((e) => console.error("audit flush failed:", e)), 15_000).unref();
  }
  run.count++;
  if (run.count <= REPEAT_BURST) return audit(db, entry);
  run.suppressed++;
  run.latest = entry;
}

/** Writes the counts of the minutes that are over (all of them with `all`: tests, shutdown). */
export async function flushRepeatedAudits(all = true, nowMs = Date.now()): Promise<void> {
  for (const [key, run] of [...runs]) if (all || nowMs - run.startedMs >= REPEAT_WINDOW_MS) await flushRun(key, run);
}

async function flushRun(key: string, run: Run) {
  runs.delete(key);
  if (run.suppressed === 0) return;
  await audit(run.db, {
    ...run.latest,
    detail: { ...run.latest.detail, repeated: run.suppressed, from: Math.floor(run.startedMs / 1000) },
  });
}
