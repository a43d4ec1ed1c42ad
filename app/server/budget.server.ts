// Budget estimates (dự toán kinh phí) and spending, as the plan's section II.3 runs them:
// the health station proposes, the finance officer reviews, ward leadership approves,
// the finance officer records what is spent against the approved lines.
import type { DB } from "./db.server";
import { BUDGET_CATEGORY_LABELS } from "../domain/codes";
import { isValidDay } from "../domain/time";

export type BudgetCategory = keyof typeof BUDGET_CATEGORY_LABELS;
export type ReviewDecision = "comment" | "request_changes" | "recommend" | "return";

export class BudgetError extends Error {}

export interface NewBudgetLine {
  category: BudgetCategory;
  content: string;
  unit: string;
  quantity: number;
  unitPrice: number; // whole đồng
  basis?: string | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function checkLine(line: NewBudgetLine, position: number) {
  if (!(line.category in BUDGET_CATEGORY_LABELS)) throw new BudgetError(`Dòng ${position}: nhóm chi không hợp lệ (${line.category}).`);
  if (!line.content.trim() || !line.unit.trim()) throw new BudgetError(`Dòng ${position}: thiếu nội dung hoặc đơn vị tính.`);
  if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new BudgetError(`Dòng ${position}: số lượng phải là số nguyên dương.`);
  if (!Number.isInteger(line.unitPrice) || line.unitPrice < 0) throw new BudgetError(`Dòng ${position}: đơn giá phải là số đồng nguyên, không âm.`);
}

/**
 * A new draft estimate for a year, with its lines (amount = quantity × unit price).
 * Its version follows the year's latest; `replacesId` names the estimate it revises.
 */
export async function createEstimate(
  db: DB,
  input: { wardId: number; year: number; title: string; createdBy: number | null; lines: NewBudgetLine[]; replacesId?: number | null; at?: number },
): Promise<number> {
  if (!input.title.trim()) throw new BudgetError("Thiếu tên dự toán.");
  if (input.lines.length === 0) throw new BudgetError("Dự toán phải có ít nhất một dòng.");
  input.lines.forEach((line, i) => checkLine(line, i + 1));
  return db.transaction().execute(async (trx) => {
    const latest = await trx
      .selectFrom("budget_estimate")
      .select((eb) => eb.fn.max("version").as("version"))
      .where("ward_id", "=", input.wardId)
      .where("year", "=", input.year)
      .executeTakeFirst();
    const { id } = await trx
      .insertInto("budget_estimate")
      .values({
        ward_id: input.wardId,
        year: input.year,
        version: Number(latest?.version ?? 0) + 1,
        title: input.title.trim(),
        status: "draft",
        replaces_id: input.replacesId ?? null,
        created_by: input.createdBy,
        created_at: input.at ?? nowSeconds(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("budget_line")
      .values(input.lines.map((line, i) => ({
        estimate_id: id,
        category: line.category,
        position: i + 1,
        content: line.content.trim(),
        unit: line.unit.trim(),
        quantity: line.quantity,
        unit_price: line.unitPrice,
        amount: line.quantity * line.unitPrice,
        basis: line.basis?.trim() || null,
      })))
      .execute();
    return id;
  });
}

async function statusOf(db: DB, estimateId: number): Promise<string> {
  const row = await db.selectFrom("budget_estimate").select("status").where("id", "=", estimateId).executeTakeFirst();
  if (!row) throw new BudgetError(`Không có dự toán số ${estimateId}.`);
  return row.status;
}

/** The health station sends a draft (or a returned estimate) for review. */
export async function submitEstimate(db: DB, estimateId: number, at = nowSeconds()): Promise<void> {
  const status = await statusOf(db, estimateId);
  if (status !== "draft" && status !== "returned") throw new BudgetError("Chỉ gửi được dự toán đang soạn hoặc bị trả lại.");
  await db.updateTable("budget_estimate").set({ status: "submitted", submitted_at: at }).where("id", "=", estimateId).execute();
}

/** The finance officer's review of a submitted estimate; "return" sends it back to the station. */
export async function addReview(
  db: DB,
  input: { estimateId: number; reviewerId: number | null; decision: ReviewDecision; comment?: string | null; at?: number },
): Promise<void> {
  if ((await statusOf(db, input.estimateId)) !== "submitted") throw new BudgetError("Chỉ thẩm định được dự toán đã gửi.");
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("budget_review")
      .values({
        estimate_id: input.estimateId,
        reviewer_id: input.reviewerId,
        decision: input.decision,
        comment: input.comment?.trim() || null,
        created_at: input.at ?? nowSeconds(),
      })
      .execute();
    if (input.decision === "return") {
      await trx.updateTable("budget_estimate").set({ status: "returned" }).where("id", "=", input.estimateId).execute();
    }
  });
}

/** Ward leadership approves a submitted estimate. */
export async function approveEstimate(db: DB, input: { estimateId: number; approvedBy: number | null; at?: number }): Promise<void> {
  if ((await statusOf(db, input.estimateId)) !== "submitted") throw new BudgetError("Chỉ phê duyệt được dự toán đã gửi.");
  await db
    .updateTable("budget_estimate")
    .set({ status: "approved", approved_by: input.approvedBy, approved_at: input.at ?? nowSeconds() })
    .where("id", "=", input.estimateId)
    .execute();
}

/** Money spent, against a line of an approved estimate (or none: spending outside the estimate). */
export async function recordExpenditure(
  db: DB,
  input: {
    wardId: number; budgetLineId: number | null; date: string; amount: number; content: string;
    documentRef?: string | null; createdBy: number | null; at?: number;
  },
): Promise<number> {
  if (!isValidDay(input.date)) throw new BudgetError(`Ngày chi không hợp lệ: ${input.date}`);
  if (!Number.isInteger(input.amount) || input.amount <= 0) throw new BudgetError("Số tiền chi phải là số đồng nguyên dương.");
  if (!input.content.trim()) throw new BudgetError("Thiếu nội dung chi.");
  if (input.budgetLineId !== null) {
    const line = await db
      .selectFrom("budget_line")
      .innerJoin("budget_estimate", "budget_estimate.id", "budget_line.estimate_id")
      .select(["budget_estimate.status", "budget_estimate.ward_id"])
      .where("budget_line.id", "=", input.budgetLineId)
      .executeTakeFirst();
    if (!line || line.ward_id !== input.wardId) throw new BudgetError("Dòng dự toán không tồn tại.");
    if (line.status !== "approved") throw new BudgetError("Chỉ ghi chi cho dòng của dự toán đã phê duyệt.");
  }
  const { id } = await db
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
  return id;
}
