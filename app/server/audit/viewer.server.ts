// What the audit viewer and its .xlsx export read: one filter (user, action, local days)
// over the ward's entries and the installation-wide ones, in Vietnamese words.
import type { DB } from "../db.server";
import { auditActionLabel, describeAuditDetail, describeAuditTarget } from "../../domain/audit-labels";
import { addDays, isValidDay, startOfLocalDay } from "../../domain/time";
import { formatDateTime } from "../../domain/format";

export interface AuditFilter {
  username: string;
  action: string;
  /** Local days, YYYY-MM-DD, both inclusive; "" for open. */
  from: string;
  to: string;
}

export function readAuditFilter(params: URLSearchParams): AuditFilter {
  const day = (name: string) => {
    const v = params.get(name)?.trim() ?? "";
    return isValidDay(v) ? v : "";
  };
  return {
    username: params.get("username")?.trim().toLowerCase() ?? "",
    action: params.get("action")?.trim() ?? "",
    from: day("from"),
    to: day("to"),
  };
}

export const filterParams = (f: AuditFilter) =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== "")) as Record<string, string>;

export interface AuditLine {
  id: number;
  at: string;
  username: string | null;
  action: string;
  target: string;
  detail: string;
  ip: string | null;
}

/** Newest first; `before` pages on by id. */
export async function auditLines(db: DB, wardId: number, f: AuditFilter, opts: { limit: number; before?: number | null }): Promise<AuditLine[]> {
  let query = db
    .selectFrom("audit_log")
    .select(["id", "at", "username", "action", "target", "detail", "ip"])
    // Entries without a ward are installation-wide, such as a sign-in with an unknown name.
    .where((eb) => eb.or([eb("ward_id", "=", wardId), eb("ward_id", "is", null)]))
    .orderBy("id", "desc")
    .limit(opts.limit);
  if (f.action) query = query.where("action", "=", f.action);
  if (f.username) query = query.where("username", "=", f.username);
  if (f.from) query = query.where("at", ">=", startOfLocalDay(f.from));
  if (f.to) query = query.where("at", "<", startOfLocalDay(addDays(f.to, 1)));
  if (opts.before) query = query.where("id", "<", opts.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    at: formatDateTime(r.at),
    username: r.username,
    action: auditActionLabel(r.action),
    target: describeAuditTarget(r.target),
    detail: describeAuditDetail(r.action, r.detail),
    ip: r.ip,
  }));
}
