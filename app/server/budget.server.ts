// Budget estimates (dự toán kinh phí) and spending, as the plan's section II.3 runs them:
// the health station proposes, the finance officer reviews, ward leadership approves,
// the finance officer records what is spent against the approved lines. The rules are
// in app/domain/budget.ts; this module reads and writes them, each step in one
// transaction that re-checks the state it starts from.
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "./db.server";
import { BUDGET_CATEGORY_LABELS } from "../domain/codes";
import {
  checkEdit, checkTransition, executionRate, lineAmount, overspendBy, rootLineOf, sumDong, TRANSITIONS,
  type EstimateAction, type EstimateKind, type EstimateStatus,
} from "../domain/budget";
import type { Role } from "../domain/permissions";
import { isValidDay } from "../domain/time";

export type BudgetCategory = keyof typeof BUDGET_CATEGORY_LABELS;
export const BUDGET_CATEGORIES = Object.keys(BUDGET_CATEGORY_LABELS) as BudgetCategory[];

export class BudgetError extends Error {}

/** Spending that would take a line past its approved amount: nothing is written until confirmed. */
export class OverspendWarning extends BudgetError {
  constructor(readonly lineContent: string, readonly approved: number, readonly spentBefore: number, readonly by: number) {
    super(`Khoản chi vượt dự toán đã duyệt của dòng "${lineContent}".`);
  }
}

export interface Actor {
  id: number | null;
  role: Role;
}

export interface NewBudgetLine {
  /** An existing line of the same estimate, kept (and its comments with it) when edited. */
  id?: number | null;
  category: BudgetCategory;
  content: string;
  unit: string;
  quantity: number;
  unitPrice: number; // whole đồng
  basis?: string | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Checks a line; the message names the row the user sees (its position or the sheet's row). */
export function checkLine(line: NewBudgetLine, where: string): void {
  if (!(line.category in BUDGET_CATEGORY_LABELS)) throw new BudgetError(`${where}: nhóm chi không hợp lệ (${line.category}).`);
  if (!line.content?.trim()) throw new BudgetError(`${where}: thiếu nội dung.`);
  if (!line.unit?.trim()) throw new BudgetError(`${where}: thiếu đơn vị tính.`);
  if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) throw new BudgetError(`${where}: số lượng phải là số nguyên dương.`);
  if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) throw new BudgetError(`${where}: đơn giá phải là số đồng nguyên, không âm.`);
  if (!Number.isSafeInteger(line.quantity * line.unitPrice)) throw new BudgetError(`${where}: thành tiền quá lớn.`);
}

/** A draft may be empty while it is being written; it is submitted with at least one line. */
function checkLines(lines: NewBudgetLine[]) {
  lines.forEach((line, i) => checkLine(line, `Dòng ${i + 1}`));
  sumDong(lines.map((l) => lineAmount(l.quantity, l.unitPrice)));
}

/** Lines in the order of the official layout: by category, then as entered. */
function ordered(lines: NewBudgetLine[]): NewBudgetLine[] {
  return BUDGET_CATEGORIES.flatMap((c) => lines.filter((l) => l.category === c));
}

const lineRow = (estimateId: number, line: NewBudgetLine, position: number) => ({
  estimate_id: estimateId,
  category: line.category,
  position,
  content: line.content.trim(),
  unit: line.unit.trim(),
  quantity: line.quantity,
  unit_price: line.unitPrice,
  amount: lineAmount(line.quantity, line.unitPrice),
  basis: line.basis?.trim() || null,
});

async function nextVersion(trx: Transaction<Database>, wardId: number, year: number): Promise<number> {
  const latest = await trx
    .selectFrom("budget_estimate")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("ward_id", "=", wardId)
    .where("year", "=", year)
    .executeTakeFirst();
  return Number(latest?.version ?? 0) + 1;
}

/**
 * A new draft estimate for a year, with its lines (amount = quantity × unit price).
 * Its version follows the year's latest; `replacesId` names the estimate it revises.
 */
export async function createEstimate(
  db: DB,
  input: {
    wardId: number; year: number; title: string; createdBy: number | null; lines: NewBudgetLine[];
    replacesId?: number | null; kind?: EstimateKind; at?: number;
  },
): Promise<number> {
  if (!input.title.trim()) throw new BudgetError("Thiếu tên dự toán.");
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) throw new BudgetError("Năm dự toán không hợp lệ.");
  checkLines(input.lines);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("budget_estimate")
      .values({
        ward_id: input.wardId,
        year: input.year,
        version: await nextVersion(trx, input.wardId, input.year),
        title: input.title.trim(),
        status: "draft",
        kind: input.kind ?? "original",
        replaces_id: input.replacesId ?? null,
        created_by: input.createdBy,
        created_at: input.at ?? nowSeconds(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.lines.length > 0) await trx.insertInto("budget_line").values(ordered(input.lines).map((line, i) => lineRow(id, line, i + 1))).execute();
    return id;
  });
}

/** The year's estimate that is still being worked on (not approved), if any. */
async function openEstimateOf(db: DB | Transaction<Database>, wardId: number, year: number) {
  return db
    .selectFrom("budget_estimate")
    .select(["id", "version"])
    .where("ward_id", "=", wardId)
    .where("year", "=", year)
    .where("status", "!=", "approved")
    .executeTakeFirst();
}

/** The health station starts the year's estimate: one per year; later changes are supplements. */
export async function startEstimate(
  db: DB,
  input: { wardId: number; year: number; title: string; actor: Actor; lines: NewBudgetLine[]; at?: number },
): Promise<number> {
  const allowed = checkEdit(input.actor.role, "draft");
  if (!allowed.ok) throw new BudgetError(allowed.reason);
  const existing = await db.selectFrom("budget_estimate").select("id").where("ward_id", "=", input.wardId).where("year", "=", input.year).executeTakeFirst();
  if (existing) throw new BudgetError(`Năm ${input.year} đã có dự toán. Sửa bản đang soạn, hoặc lập dự toán bổ sung cho bản đã phê duyệt.`);
  return createEstimate(db, { ...input, createdBy: input.actor.id });
}

/**
 * A supplementary estimate beside an approved one: a new version holding the approved
 * lines (each remembering the line it was carried from, so the spending on it follows)
 * for the station to add to or change. The approved version stays as it was, locked.
 */
export async function createSupplement(db: DB, input: { wardId: number; approvedId: number; actor: Actor; at?: number }): Promise<number> {
  const allowed = checkEdit(input.actor.role, "draft");
  if (!allowed.ok) throw new BudgetError(allowed.reason);
  const base = await estimateRow(db, input.wardId, input.approvedId);
  if (base.status !== "approved") throw new BudgetError("Chỉ lập dự toán bổ sung bên cạnh một dự toán đã phê duyệt.");
  if (await openEstimateOf(db, input.wardId, base.year)) throw new BudgetError(`Năm ${base.year} đang có một bản dự toán chưa phê duyệt; hãy hoàn thành bản đó trước.`);
  const lines = await db.selectFrom("budget_line").selectAll().where("estimate_id", "=", base.id).orderBy("position").execute();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("budget_estimate")
      .values({
        ward_id: input.wardId, year: base.year, version: await nextVersion(trx, input.wardId, base.year),
        title: `Dự toán bổ sung năm ${base.year}`, status: "draft", kind: "supplementary", replaces_id: base.id,
        created_by: input.actor.id, created_at: input.at ?? nowSeconds(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("budget_line")
      .values(lines.map((l) => ({
        estimate_id: id, category: l.category, position: l.position, content: l.content, unit: l.unit, quantity: l.quantity,
        unit_price: l.unit_price, amount: l.amount, basis: l.basis, source_line_id: l.id,
      })))
      .execute();
    return id;
  });
}

async function estimateRow(db: DB | Transaction<Database>, wardId: number, estimateId: number) {
  const row = await db.selectFrom("budget_estimate").selectAll().where("id", "=", estimateId).where("ward_id", "=", wardId).executeTakeFirst();
  if (!row) throw new BudgetError(`Không có dự toán số ${estimateId}.`);
  return { ...row, status: row.status as EstimateStatus };
}

/**
 * The station edits a draft or returned estimate: its title and lines. Lines given with
 * their id are updated in place (comments on them stay), others added, missing ones
 * removed. A submitted or approved estimate refuses, and nothing is written.
 */
export async function updateDraft(
  db: DB,
  input: { wardId: number; estimateId: number; actor: Actor; title: string; lines: NewBudgetLine[] },
): Promise<void> {
  if (!input.title.trim()) throw new BudgetError("Thiếu tên dự toán.");
  checkLines(input.lines);
  await db.transaction().execute(async (trx) => {
    const estimate = await estimateRow(trx, input.wardId, input.estimateId);
    const allowed = checkEdit(input.actor.role, estimate.status);
    if (!allowed.ok) throw new BudgetError(allowed.reason);
    const existing = await trx.selectFrom("budget_line").select("id").where("estimate_id", "=", estimate.id).execute();
    const own = new Set(existing.map((l) => l.id));
    const lines = ordered(input.lines);
    for (const line of lines) if (line.id != null && !own.has(line.id)) throw new BudgetError("Dòng dự toán không thuộc bản này.");
    const kept = new Set(lines.map((l) => l.id).filter((id): id is number => id != null));
    const removed = [...own].filter((id) => !kept.has(id));
    if (removed.length > 0) {
      if (await trx.selectFrom("expenditure").select("id").where("budget_line_id", "in", removed).executeTakeFirst()) {
        throw new BudgetError("Không xóa được dòng đã có khoản chi.");
      }
      await trx.deleteFrom("budget_line").where("id", "in", removed).execute();
    }
    for (const [i, line] of lines.entries()) {
      const row = lineRow(estimate.id, line, i + 1);
      if (line.id != null) await trx.updateTable("budget_line").set(row).where("id", "=", line.id).execute();
      else await trx.insertInto("budget_line").values(row).execute();
    }
    await trx.updateTable("budget_estimate").set({ title: input.title.trim() }).where("id", "=", estimate.id).execute();
  });
}

/** What approval stores: the R3 as it was approved, made inside the approval's transaction. */
export type FreezeR3 = (trx: Transaction<Database>, estimateId: number, at: number) => Promise<{ xlsx: Uint8Array; figures: unknown }>;

/**
 * One step of the workflow by the role that owns it (domain TRANSITIONS), recorded with
 * who, when and the comment; a reviewer may add comments on lines with it. The state is
 * re-read inside the transaction and the update is conditional on it, so two people
 * acting at once cannot both succeed. Approval freezes the R3 when `freeze` is given.
 */
export async function transition(
  db: DB,
  input: {
    wardId: number; estimateId: number; actor: Actor; action: EstimateAction; comment?: string | null;
    lineComments?: Array<{ lineId: number; comment: string }>; at?: number; freeze?: FreezeR3;
  },
): Promise<EstimateStatus> {
  const at = input.at ?? nowSeconds();
  const comment = input.comment?.trim() || null;
  const lineComments = (input.lineComments ?? []).map((c) => ({ ...c, comment: c.comment.trim() })).filter((c) => c.comment);
  if ((input.action === "return_review" || input.action === "return_approval") && !comment && lineComments.length === 0) {
    throw new BudgetError("Khi trả lại, hãy ghi lý do (ý kiến chung hoặc ý kiến từng dòng).");
  }
  if (lineComments.length > 0 && input.action !== "forward" && input.action !== "return_review") {
    throw new BudgetError("Ý kiến từng dòng là của bước thẩm định.");
  }
  return db.transaction().execute(async (trx) => {
    const estimate = await estimateRow(trx, input.wardId, input.estimateId);
    const check = checkTransition(input.actor.role, estimate.status, input.action);
    if (!check.ok) throw new BudgetError(check.reason);
    if (input.action === "submit" && !(await trx.selectFrom("budget_line").select("id").where("estimate_id", "=", estimate.id).executeTakeFirst())) {
      throw new BudgetError("Dự toán chưa có dòng nào; hãy thêm các khoản chi trước khi gửi.");
    }
    const stamp =
      input.action === "submit" ? { submitted_at: at }
      : input.action === "forward" ? { reviewed_by: input.actor.id, reviewed_at: at }
      : input.action === "approve" ? { approved_by: input.actor.id, approved_at: at }
      : {};
    const updated = await trx
      .updateTable("budget_estimate")
      .set({ status: check.to, ...stamp })
      .where("id", "=", estimate.id)
      .where("status", "=", estimate.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new BudgetError("Dự toán vừa được người khác xử lý; hãy tải lại trang.");
    if (lineComments.length > 0) {
      const own = new Set((await trx.selectFrom("budget_line").select("id").where("estimate_id", "=", estimate.id).execute()).map((l) => l.id));
      if (lineComments.some((c) => !own.has(c.lineId))) throw new BudgetError("Ý kiến cho một dòng không thuộc dự toán này.");
      await trx
        .insertInto("budget_review")
        .values(lineComments.map((c) => ({
          estimate_id: estimate.id, reviewer_id: input.actor.id, decision: "line_comment", comment: c.comment, created_at: at, line_id: c.lineId,
        })))
        .execute();
    }
    await trx
      .insertInto("budget_review")
      .values({ estimate_id: estimate.id, reviewer_id: input.actor.id, decision: input.action, comment, created_at: at, line_id: null })
      .execute();
    if (input.action === "approve" && input.freeze) {
      const frozen = await input.freeze(trx, estimate.id, at);
      await trx
        .updateTable("budget_estimate")
        .set({ frozen_at: at, frozen_xlsx: frozen.xlsx, frozen_figures_json: JSON.stringify(frozen.figures) })
        .where("id", "=", estimate.id)
        .execute();
    }
    return check.to;
  });
}

/** The year's approved estimate in force: its latest approved version. */
export async function currentApproved(db: DB | Transaction<Database>, wardId: number, year: number) {
  return db
    .selectFrom("budget_estimate")
    .selectAll()
    .where("ward_id", "=", wardId)
    .where("year", "=", year)
    .where("status", "=", "approved")
    .orderBy("version", "desc")
    .executeTakeFirst();
}

/** Spent per root line (see rootLineOf) of the year's estimates, and spending on no line. */
async function spentByRoot(db: DB | Transaction<Database>, wardId: number, year: number, toDay?: string) {
  const lines = await db
    .selectFrom("budget_line")
    .innerJoin("budget_estimate", "budget_estimate.id", "budget_line.estimate_id")
    .select(["budget_line.id", "budget_line.source_line_id"])
    .where("budget_estimate.ward_id", "=", wardId)
    .where("budget_estimate.year", "=", year)
    .execute();
  const sourceOf = new Map(lines.map((l) => [l.id, l.source_line_id]));
  const rows = await db
    .selectFrom("expenditure")
    .select(["budget_line_id", (eb) => eb.fn.sum<number>("amount").as("spent")])
    .where("ward_id", "=", wardId)
    .where("date", ">=", `${year}-01-01`)
    .where("date", "<=", toDay && toDay < `${year}-12-31` ? toDay : `${year}-12-31`)
    .groupBy("budget_line_id")
    .execute();
  const byRoot = new Map<number, number>();
  let unassigned = 0;
  for (const r of rows) {
    const spent = Number(r.spent);
    if (r.budget_line_id === null || !sourceOf.has(r.budget_line_id)) unassigned += spent;
    else {
      const root = rootLineOf(r.budget_line_id, sourceOf);
      byRoot.set(root, (byRoot.get(root) ?? 0) + spent);
    }
  }
  return { sourceOf, byRoot, unassigned };
}

export interface LineExecution {
  id: number;
  category: BudgetCategory;
  position: number;
  content: string;
  unit: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  basis: string | null;
  spent: number;
  remaining: number;
  executionRate: number | null;
}

/**
 * Approved vs spent per line of the year's estimate in force, spending dated in the
 * year up to `toDay` (the whole year when absent). Spending on lines of earlier versions
 * counts for the line carried from them; spending on no line of it is `unassigned`.
 */
export async function yearExecution(db: DB | Transaction<Database>, wardId: number, year: number, toDay?: string) {
  const estimate = await currentApproved(db, wardId, year);
  if (!estimate) return null;
  const lines = await db.selectFrom("budget_line").selectAll().where("estimate_id", "=", estimate.id).orderBy("position").execute();
  const { sourceOf, byRoot, unassigned } = await spentByRoot(db, wardId, year, toDay);
  const roots = new Set<number>();
  const rows: LineExecution[] = lines.map((l) => {
    const root = rootLineOf(l.id, sourceOf);
    const spent = roots.has(root) ? 0 : byRoot.get(root) ?? 0;
    roots.add(root);
    return {
      id: l.id, category: l.category as BudgetCategory, position: l.position, content: l.content, unit: l.unit, quantity: l.quantity,
      unitPrice: l.unit_price, amount: l.amount, basis: l.basis, spent, remaining: l.amount - spent, executionRate: executionRate(spent, l.amount),
    };
  });
  // Spending on a line dropped from the version in force is not lost: it is shown apart.
  let outside = unassigned;
  for (const [root, spent] of byRoot) if (!roots.has(root)) outside += spent;
  const approved = sumDong(rows.map((r) => r.amount));
  const spent = sumDong(rows.map((r) => r.spent)) + outside;
  return { estimate, lines: rows, outside, approved, spent, executionRate: executionRate(spent, approved) };
}

/**
 * Money spent, against a line of the year's approved estimate in force (or none:
 * spending outside the estimate). Spending past a line's approved amount is refused with
 * an OverspendWarning unless `confirmOverspend` says the officer saw the warning.
 */
export async function recordExpenditure(
  db: DB,
  input: {
    wardId: number; budgetLineId: number | null; date: string; amount: number; content: string;
    documentRef?: string | null; createdBy: number | null; at?: number; confirmOverspend?: boolean;
  },
): Promise<{ id: number; overspend: number }> {
  if (!isValidDay(input.date)) throw new BudgetError(`Ngày chi không hợp lệ: ${input.date}`);
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new BudgetError("Số tiền chi phải là số đồng nguyên dương.");
  if (!input.content.trim()) throw new BudgetError("Thiếu nội dung chi.");
  return db.transaction().execute(async (trx) => {
    let overspend = 0;
    if (input.budgetLineId !== null) {
      const line = await trx
        .selectFrom("budget_line")
        .innerJoin("budget_estimate", "budget_estimate.id", "budget_line.estimate_id")
        .select(["budget_estimate.id as estimateId", "budget_estimate.status", "budget_estimate.ward_id", "budget_estimate.year", "budget_line.content"])
        .where("budget_line.id", "=", input.budgetLineId)
        .executeTakeFirst();
      if (!line || line.ward_id !== input.wardId) throw new BudgetError("Dòng dự toán không tồn tại.");
      if (line.status !== "approved") throw new BudgetError("Chỉ ghi chi cho dòng của dự toán đã phê duyệt.");
      if (Number(input.date.slice(0, 4)) !== line.year) throw new BudgetError(`Ngày chi phải thuộc năm ${line.year} của dự toán.`);
      const inForce = await currentApproved(trx, input.wardId, line.year);
      if (inForce?.id !== line.estimateId) throw new BudgetError("Dòng này thuộc bản dự toán đã được thay bằng bản bổ sung; hãy ghi chi vào bản đang hiệu lực.");
      const execution = (await yearExecution(trx, input.wardId, line.year))!;
      const row = execution.lines.find((l) => l.id === input.budgetLineId)!;
      overspend = overspendBy(row.amount, row.spent, input.amount);
      if (overspend > 0 && !input.confirmOverspend) throw new OverspendWarning(line.content, row.amount, row.spent, overspend);
    }
    const { id } = await trx
      .insertInto("expenditure")
      .values({
        ward_id: input.wardId,
        budget_line_id: input.budgetLineId,
        date: input.date,
        amount: input.amount,
        content: input.content.trim(),
        document_ref: input.documentRef?.trim() || null,
        created_by: input.createdBy,
        created_at: input.at ?? nowSeconds(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id, overspend };
  });
}

export interface EstimateSummary {
  id: number;
  year: number;
  version: number;
  kind: EstimateKind;
  title: string;
  status: EstimateStatus;
  total: number;
  replacesId: number | null;
  inForce: boolean;
}

/** Every estimate of the ward, newest year and version first, with totals. */
export async function listEstimates(db: DB, wardId: number): Promise<EstimateSummary[]> {
  const rows = await db
    .selectFrom("budget_estimate")
    .leftJoin("budget_line", "budget_line.estimate_id", "budget_estimate.id")
    .select((eb) => [
      "budget_estimate.id", "budget_estimate.year", "budget_estimate.version", "budget_estimate.kind", "budget_estimate.title",
      "budget_estimate.status", "budget_estimate.replaces_id", eb.fn.sum<number | null>("budget_line.amount").as("total"),
    ])
    .where("budget_estimate.ward_id", "=", wardId)
    .groupBy([
      "budget_estimate.id", "budget_estimate.year", "budget_estimate.version", "budget_estimate.kind", "budget_estimate.title",
      "budget_estimate.status", "budget_estimate.replaces_id",
    ])
    .orderBy("budget_estimate.year", "desc")
    .orderBy("budget_estimate.version", "desc")
    .execute();
  const inForce = new Map<number, number>();
  for (const r of rows) if (r.status === "approved" && !inForce.has(r.year)) inForce.set(r.year, r.id);
  return rows.map((r) => ({
    id: r.id, year: r.year, version: r.version, kind: r.kind as EstimateKind, title: r.title, status: r.status as EstimateStatus,
    total: Number(r.total ?? 0), replacesId: r.replaces_id, inForce: inForce.get(r.year) === r.id,
  }));
}

export interface HistoryEntry {
  at: number;
  decision: string;
  comment: string | null;
  lineId: number | null;
  by: string | null;
}

/** One estimate: its lines, its history (creation first) and the comments on each line. */
export async function estimateDetail(db: DB, wardId: number, estimateId: number) {
  const estimate = await estimateRow(db, wardId, estimateId);
  const lines = await db.selectFrom("budget_line").selectAll().where("estimate_id", "=", estimate.id).orderBy("position").execute();
  const reviews = await db
    .selectFrom("budget_review")
    .leftJoin("app_user", "app_user.id", "budget_review.reviewer_id")
    .select(["budget_review.id", "budget_review.created_at", "budget_review.decision", "budget_review.comment", "budget_review.line_id", "app_user.display_name"])
    .where("budget_review.estimate_id", "=", estimate.id)
    .orderBy("budget_review.created_at")
    .orderBy("budget_review.id")
    .execute();
  const names = await userNames(db, [estimate.created_by, estimate.reviewed_by, estimate.approved_by]);
  const history: HistoryEntry[] = [
    { at: estimate.created_at, decision: "create", comment: null, lineId: null, by: names.get(estimate.created_by) ?? null },
    ...reviews.map((r) => ({ at: r.created_at, decision: r.decision, comment: r.comment, lineId: r.line_id, by: r.display_name })),
  ];
  return {
    estimate: {
      id: estimate.id, year: estimate.year, version: estimate.version, kind: estimate.kind as EstimateKind, title: estimate.title,
      status: estimate.status, replacesId: estimate.replaces_id, createdAt: estimate.created_at, submittedAt: estimate.submitted_at,
      reviewedAt: estimate.reviewed_at, approvedAt: estimate.approved_at, frozenAt: estimate.frozen_at,
      createdBy: names.get(estimate.created_by) ?? null, reviewedBy: names.get(estimate.reviewed_by) ?? null,
      approvedBy: names.get(estimate.approved_by) ?? null,
    },
    lines: lines.map((l) => ({
      id: l.id, category: l.category as BudgetCategory, position: l.position, content: l.content, unit: l.unit, quantity: l.quantity,
      unitPrice: l.unit_price, amount: l.amount, basis: l.basis,
    })),
    total: sumDong(lines.map((l) => l.amount)),
    history,
  };
}

async function userNames(db: DB, ids: Array<number | null>): Promise<Map<number | null, string>> {
  const wanted = ids.filter((id): id is number => id !== null);
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom("app_user").select(["id", "display_name"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** The expenditures of a year, newest first, with the line each was recorded against. */
export async function listExpenditures(db: DB, wardId: number, year: number) {
  return db
    .selectFrom("expenditure")
    .leftJoin("budget_line", "budget_line.id", "expenditure.budget_line_id")
    .leftJoin("app_user", "app_user.id", "expenditure.created_by")
    .select([
      "expenditure.id", "expenditure.date", "expenditure.amount", "expenditure.content", "expenditure.document_ref",
      "budget_line.content as lineContent", "app_user.display_name as by",
    ])
    .where("expenditure.ward_id", "=", wardId)
    .where("expenditure.date", ">=", `${year}-01-01`)
    .where("expenditure.date", "<=", `${year}-12-31`)
    .orderBy("expenditure.date", "desc")
    .orderBy("expenditure.id", "desc")
    .execute();
}

export interface CategoryFigures {
  category: BudgetCategory | "ngoai_du_toan";
  estimated: number;
  approved: number;
  spentToDate: number;
}

/**
 * The dashboard's budget card beside I6: per category, the year's latest estimate, the
 * estimate in force and what was spent from 1 January to `toDay`. Same definitions as
 * I6 (latest version, latest approved version, expenditures by date).
 */
export async function budgetByCategory(db: DB, wardId: number, year: number, toDay: string) {
  const latest = await db.selectFrom("budget_estimate").select("id").where("ward_id", "=", wardId).where("year", "=", year).orderBy("version", "desc").executeTakeFirst();
  const estimatedLines = latest ? await db.selectFrom("budget_line").select(["category", "amount"]).where("estimate_id", "=", latest.id).execute() : [];
  const execution = await yearExecution(db, wardId, year, toDay);
  const byCategory = new Map<CategoryFigures["category"], CategoryFigures>();
  const entry = (category: CategoryFigures["category"]) => {
    if (!byCategory.has(category)) byCategory.set(category, { category, estimated: 0, approved: 0, spentToDate: 0 });
    return byCategory.get(category)!;
  };
  for (const l of estimatedLines) entry(l.category as BudgetCategory).estimated += l.amount;
  for (const l of execution?.lines ?? []) {
    entry(l.category).approved += l.amount;
    entry(l.category).spentToDate += l.spent;
  }
  let outside = execution?.outside;
  if (outside === undefined) {
    const { byRoot, unassigned } = await spentByRoot(db, wardId, year, toDay);
    outside = unassigned + sumDong(byRoot.values());
  }
  if (outside > 0) entry("ngoai_du_toan").spentToDate += outside;
  const spentToDate = sumDong((execution?.lines ?? []).map((l) => l.spent)) + outside;
  const order = [...BUDGET_CATEGORIES, "ngoai_du_toan"];
  return {
    year,
    toDay,
    categories: [...byCategory.values()].sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category)),
    approved: execution?.approved ?? 0,
    spentToDate,
    executionRate: executionRate(spentToDate, execution?.approved ?? 0),
  };
}

export const TRANSITION_AUDIT: Record<EstimateAction, "submit" | "review" | "approve"> = {
  submit: "submit", forward: "review", return_review: "review", approve: "approve", return_approval: "approve",
};
export { TRANSITIONS };
