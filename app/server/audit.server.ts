// The audit log: who signed in, saw, imported, exported, approved what. Details are
// JSON and never carry a personal identifier.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";

export type AuditAction =
  | "login" | "login_failed" | "login_locked" | "logout" | "session_expired"
  | "view" | "import" | "import_refused" | "export" | "download"
  | "approve" | "review" | "submit" | "create" | "update" | "disable" | "revoke" | "access_denied";

export interface AuditEntry {
  action: AuditAction;
  wardId?: number | null;
  userId?: number | null;
  username?: string | null;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

export async function audit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: Math.floor(Date.now() / 1000),
      ward_id: entry.wardId ?? null,
      user_id: entry.userId ?? null,
      username: entry.username ?? null,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: entry.ip ?? null,
    })
    .execute();
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
