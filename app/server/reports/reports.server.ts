// Reports as kept: a version is drafted (texts editable, figures live), reviewed, then
// submitted — which gives it its number and freezes its as-of time, content and .xlsx
// bytes. A correction is a new version naming the one it replaces. The routes, the CLI
// and the dashboard panel call these; each step's role check is refusal() in the domain.
import { createHash } from "node:crypto";
import type { DB } from "../db.server";
import type { Selectable } from "kysely";
import type { ReportTable } from "../../../db/schema";
import { can, type Role } from "~/domain/permissions";
import { defaultAsOf } from "~/domain/periods";
import type { ReportContent } from "~/domain/report-content";
import {
  calendarState, isReportKind, numberYear, refusal, reportPeriod, ReportPeriodError, reportsDue, type CalendarState, type DueReport,
  type ReportAction, type ReportKind, type ReportStatus,
} from "~/domain/reports";
import { localDayOf } from "~/domain/time";
import { buildContent } from "./content.server";
import { reportXlsx } from "./xlsx.server";
import { getSetting } from "../ward.server";

export class ReportError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

export type ReportRow = Selectable<ReportTable>;

export interface ReportVersion {
  id: number;
  kind: ReportKind;
  period: string;
  version: number;
  status: ReportStatus;
  number: number | null;
  replacesId: number | null;
  replacedById: number | null;
  asOf: number | null;
  sha256: string | null;
  createdAt: number;
  submittedAt: number | null;
}

const versionColumns = [
  "id", "kind", "period", "version", "status", "number", "replaces_id", "as_of", "xlsx_sha256", "created_at", "submitted_at",
] as const;

function toVersion(r: Pick<ReportRow, (typeof versionColumns)[number]>, replacedById: number | null): ReportVersion {
  return {
    id: r.id, kind: r.kind as ReportKind, period: r.period, version: r.version, status: r.status as ReportStatus,
    number: r.number, replacesId: r.replaces_id, replacedById, asOf: r.as_of, sha256: r.xlsx_sha256,
    createdAt: r.created_at, submittedAt: r.submitted_at,
  };
}

/** Every version of the ward's reports, newest period first. */
export async function listReports(db: DB, wardId: number): Promise<ReportVersion[]> {
  const rows = await db.selectFrom("report").select(versionColumns).where("ward_id", "=", wardId).execute();
  const replacedBy = new Map(rows.filter((r) => r.replaces_id !== null).map((r) => [r.replaces_id!, r.id]));
  return rows
    .map((r) => toVersion(r, replacedBy.get(r.id) ?? null))
    .sort((a, b) => b.period.localeCompare(a.period) || a.kind.localeCompare(b.kind) || b.version - a.version);
}

export async function getReport(db: DB, wardId: number, id: number): Promise<ReportRow> {
  const row = await db.selectFrom("report").selectAll().where("id", "=", id).where("ward_id", "=", wardId).executeTakeFirst();
  if (!row) throw new ReportError("Không tìm thấy báo cáo.", 404);
  return row;
}

async function latestOf(db: DB, wardId: number, kind: string, period: string) {
  return db
    .selectFrom("report")
    .select(["id", "status", "version"])
    .where("ward_id", "=", wardId)
    .where("kind", "=", kind)
    .where("period", "=", period)
    .orderBy("version", "desc")
    .executeTakeFirst();
}

export interface Actor {
  id: number;
  role: Role;
  wardId: number;
}

/**
 * A new draft of (kind, period), or the one already open: a period has at most one
 * version not yet submitted. When the period's latest version is submitted, a
 * correction must be asked for explicitly (correctReport).
 */
export async function createDraft(db: DB, actor: Actor, kind: string, periodKey: string, now: number): Promise<number> {
  if (!can(actor.role, "report:draft")) throw new ReportError("Vai trò của bạn không được lập báo cáo.", 403);
  if (!isReportKind(kind)) throw new ReportError(`Loại báo cáo không hợp lệ: ${kind}`);
  const period = periodOf(kind, periodKey);
  if (period.from > localDayOf(now)) throw new ReportError("Kỳ báo cáo chưa bắt đầu.");
  return db.transaction().execute(async (trx) => {
    const latest = await latestOf(trx, actor.wardId, kind, period.key);
    if (latest && latest.status !== "submitted") return latest.id;
    if (latest) throw new ReportError("Báo cáo kỳ này đã gửi. Muốn sửa, hãy lập bản đính chính từ bản đã gửi.", 409);
    const { id } = await trx
      .insertInto("report")
      .values({
        ward_id: actor.wardId, kind, period: period.key, number: null, status: "draft", version: 1, replaces_id: null,
        as_of: null, figures_json: null, xlsx: null, difficulties: "", proposals: "", created_by: actor.id, created_at: now,
        reviewed_by: null, reviewed_at: null, submitted_by: null, submitted_at: null, xlsx_sha256: null, updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return id;
  });
}

function periodOf(kind: ReportKind, key: string) {
  try {
    return reportPeriod(kind, key);
  } catch (error) {
    if (error instanceof ReportPeriodError) throw new ReportError(error.message);
    throw error;
  }
}

function check(action: ReportAction, row: ReportRow, actor: Actor, isLatest = true) {
  const why = refusal(action, row.status as ReportStatus, (p) => can(actor.role, p), isLatest);
  if (why) throw new ReportError(why, can(actor.role, actionPermission(action)) ? 409 : 403);
}

const actionPermission = (a: ReportAction) => (a === "submit" ? "report:submit" : a === "review" || a === "reopen" ? "report:review" : "report:draft");

const MAX_TEXT = 20_000;

export async function saveTexts(db: DB, actor: Actor, id: number, texts: { difficulties: string; proposals: string }, now: number) {
  const row = await getReport(db, actor.wardId, id);
  check("edit", row, actor);
  if (texts.difficulties.length > MAX_TEXT || texts.proposals.length > MAX_TEXT) throw new ReportError(`Mỗi mục tối đa ${MAX_TEXT} ký tự.`);
  await db
    .updateTable("report")
    .set({ difficulties: texts.difficulties.trim(), proposals: texts.proposals.trim(), updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "draft")
    .execute();
}

export async function reviewReport(db: DB, actor: Actor, id: number, now: number) {
  const row = await getReport(db, actor.wardId, id);
  check("review", row, actor);
  await db.updateTable("report").set({ status: "reviewed", reviewed_by: actor.id, reviewed_at: now }).where("id", "=", id).where("status", "=", "draft").execute();
}

export async function reopenReport(db: DB, actor: Actor, id: number) {
  const row = await getReport(db, actor.wardId, id);
  check("reopen", row, actor);
  await db.updateTable("report").set({ status: "draft", reviewed_by: null, reviewed_at: null }).where("id", "=", id).where("status", "=", "reviewed").execute();
}

/** The live content of a draft (or reviewed) version: figures as of now. */
export async function liveContent(db: DB, row: ReportRow, now: number, asOf?: number): Promise<ReportContent> {
  const period = reportPeriod(row.kind as ReportKind, row.period);
  return buildContent(db, {
    wardId: row.ward_id, kind: row.kind as ReportKind, period, asOf: asOf ?? defaultAsOf(period, now),
    number: null, day: null, difficulties: row.difficulties ?? "", proposals: row.proposals ?? "",
  });
}

/** The content to show: frozen for a submitted version, live otherwise. */
export async function contentOf(db: DB, row: ReportRow, now: number): Promise<ReportContent> {
  if (row.status === "submitted" && row.figures_json) return JSON.parse(row.figures_json) as ReportContent;
  return liveContent(db, row, now);
}

/** The .xlsx: the stored bytes of a submitted version, built from the live content otherwise. */
export async function xlsxOf(db: DB, row: ReportRow, now: number): Promise<Uint8Array> {
  if (row.status === "submitted" && row.xlsx) return new Uint8Array(row.xlsx);
  return reportXlsx(await liveContent(db, row, now));
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Signs and sends: the next number of the year and symbol, the date line of today, the
 * as-of time (the end of the period, or now if it is not over), and the content and
 * .xlsx frozen — stored in one transaction, so a failure leaves the report reviewed.
 */
export async function submitReport(db: DB, actor: Actor, id: number, now: number): Promise<{ number: number; sha256: string }> {
  const row = await getReport(db, actor.wardId, id);
  check("submit", row, actor);
  const kind = row.kind as ReportKind;
  const period = reportPeriod(kind, row.period);
  const asOf = defaultAsOf(period, now);
  const symbols = await getSetting(db, actor.wardId, "reportSymbols");
  const symbol = symbols[kind];
  const year = numberYear(now);
  // Figures are read before the write transaction, which then only numbers and stores.
  const content = await buildContent(db, {
    wardId: actor.wardId, kind, period, asOf, number: null, day: localDayOf(now),
    difficulties: row.difficulties ?? "", proposals: row.proposals ?? "",
  });
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("report").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    if (current.status !== "reviewed") throw new ReportError("Báo cáo vừa được người khác thay đổi; hãy tải lại trang.", 409);
    await trx
      .insertInto("report_sequence")
      .values({ ward_id: actor.wardId, year, symbol, last_number: 1 })
      .onConflict((oc) => oc.columns(["ward_id", "year", "symbol"]).doUpdateSet((eb) => ({ last_number: eb("report_sequence.last_number", "+", 1) })))
      .execute();
    const { last_number: number } = await trx
      .selectFrom("report_sequence")
      .select("last_number")
      .where("ward_id", "=", actor.wardId)
      .where("year", "=", year)
      .where("symbol", "=", symbol)
      .executeTakeFirstOrThrow();
    content.frame.number = number;
    const bytes = await reportXlsx(content);
    const hash = sha256(bytes);
    await trx
      .updateTable("report")
      .set({
        status: "submitted", number, as_of: asOf, figures_json: JSON.stringify(content), xlsx: bytes, xlsx_sha256: hash,
        submitted_by: actor.id, submitted_at: now,
      })
      .where("id", "=", id)
      .execute();
    return { number, sha256: hash };
  });
}

/** A new draft version replacing a submitted one, its texts copied; the old one stays. */
export async function correctReport(db: DB, actor: Actor, id: number, now: number): Promise<number> {
  const row = await getReport(db, actor.wardId, id);
  const latest = await latestOf(db, actor.wardId, row.kind, row.period);
  check("correct", row, actor, latest?.id === row.id);
  const { id: newId } = await db
    .insertInto("report")
    .values({
      ward_id: actor.wardId, kind: row.kind, period: row.period, number: null, status: "draft", version: row.version + 1,
      replaces_id: row.id, as_of: null, figures_json: null, xlsx: null, difficulties: row.difficulties, proposals: row.proposals,
      created_by: actor.id, created_at: now, reviewed_by: null, reviewed_at: null, submitted_by: null, submitted_at: null,
      xlsx_sha256: null, updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return newId;
}

// ---- Calendar -----------------------------------------------------------------------

export interface CalendarEntry extends DueReport {
  state: CalendarState;
  /** The latest version, if any. */
  latest: ReportVersion | null;
}

export async function reportCalendar(db: DB, wardId: number, now: number, versions?: ReportVersion[]): Promise<CalendarEntry[]> {
  const all = versions ?? (await listReports(db, wardId));
  const start = (await getSetting(db, wardId, "reportCalendarStart")) ?? monthsBack(now, 11);
  return reportsDue(start, now).map((due) => {
    const mine = all.filter((v) => v.kind === due.kind && v.period === due.period.key);
    const latest = mine.reduce<ReportVersion | null>((a, v) => (!a || v.version > a.version ? v : a), null);
    const submitted = mine.map((v) => v.submittedAt).filter((t): t is number => t !== null);
    const firstSubmittedAt = submitted.length ? Math.min(...submitted) : null;
    return { ...due, latest, state: calendarState(due.period, due.deadline, latest ? { status: latest.status, firstSubmittedAt } : null, now) };
  });
}

function monthsBack(now: number, n: number): string {
  const [y, m] = localDayOf(now).split("-").map(Number);
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

