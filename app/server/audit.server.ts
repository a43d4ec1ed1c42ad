// The audit log: who signed in, saw, imported, exported, approved what. Details are
// JSON and never carry a personal identifier.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { writeSoon } from "./db.server";

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

/**
 * Writes the entry: within the caller's transaction when given one, else in order soon
 * after (db.server.ts `writeSoon`), so a page view never waits behind an import's write lock.
 */
export async function audit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  if (db.isTransaction) await insertEntry(db, entry);
  else await writeSoon(() => insertEntry(db, entry));
}

async function insertEntry(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
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
