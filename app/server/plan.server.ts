// The plan's tasks (section III phases, section IV responsibilities) with their progress,
// and the health station's infrastructure checklist (plan II.3.a: computers, printers,
// scanners, Internet, staff).
import type { DB } from "./db.server";
import { ACTIVITY_UNIT_LABELS } from "../domain/codes";
import { isValidDay } from "../domain/time";

import { TASK_STATUSES, type TaskStatus } from "../domain/pilot";

export { TASK_STATUSES, type TaskStatus };
export const INFRASTRUCTURE_CATEGORIES = ["may_tinh", "may_in", "may_quet", "internet", "dau_doc_cccd", "tap_huan", "nhan_su", "khac"] as const;
export type InfrastructureCategory = (typeof INFRASTRUCTURE_CATEGORIES)[number];
export const INFRASTRUCTURE_STATUSES = ["dat", "chua_dat", "dang_trien_khai"] as const;
export type InfrastructureStatus = (typeof INFRASTRUCTURE_STATUSES)[number];
/** Responsible units are the units of the plan (the same codes as activities). */
export type ResponsibleUnit = keyof typeof ACTIVITY_UNIT_LABELS;

export class PlanError extends Error {}

function checkDay(day: string | null | undefined, what: string) {
  if (day && !isValidDay(day)) throw new PlanError(`${what} không hợp lệ: ${day}`);
}

function checkProgress(status: TaskStatus, doneOn: string | null) {
  if (!TASK_STATUSES.includes(status)) throw new PlanError(`Trạng thái không hợp lệ: ${status}`);
  if (status === "done" && !doneOn) throw new PlanError("Nhiệm vụ đã hoàn thành cần ngày hoàn thành.");
  if (status !== "done" && doneOn) throw new PlanError("Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành.");
  checkDay(doneOn, "Ngày hoàn thành");
}

export async function createPlanTask(
  db: DB,
  input: {
    wardId: number; phase: 1 | 2; title: string; responsibleUnit: ResponsibleUnit; dueDate?: string | null; status?: TaskStatus; doneOn?: string | null; note?: string | null;
    /** Every responsible unit when several share the task; the first is responsibleUnit. */
    units?: ResponsibleUnit[]; section?: string | null; evidenceUrl?: string | null;
  },
): Promise<number> {
  if (!input.title.trim()) throw new PlanError("Thiếu tên nhiệm vụ.");
  const units = input.units?.length ? input.units : [input.responsibleUnit];
  for (const unit of units) if (!(unit in ACTIVITY_UNIT_LABELS)) throw new PlanError(`Đơn vị không hợp lệ: ${unit}`);
  checkDay(input.dueDate, "Hạn hoàn thành");
  const status = input.status ?? "todo";
  checkProgress(status, input.doneOn ?? null);
  const { id } = await db
    .insertInto("plan_task")
    .values({
      ward_id: input.wardId,
      phase: input.phase,
      title: input.title.trim(),
      responsible_unit: units[0],
      units: units.join(","),
      section: input.section ?? null,
      evidence_url: input.evidenceUrl ?? null,
      due_date: input.dueDate ?? null,
      status,
      done_on: input.doneOn ?? null,
      note: input.note?.trim() || null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export interface InfrastructureItem {
  id: number;
  facilityId: number | null;
  category: InfrastructureCategory;
  item: string;
  status: InfrastructureStatus;
  note: string | null;
  checkedOn: string | null;
  checkedBy: number | null;
}

export interface InfrastructureCheck {
  status: InfrastructureStatus;
  note?: string | null;
  checkedOn: string;
  checkedBy: number | null;
}

function checkInfrastructure(check: InfrastructureCheck) {
  if (!INFRASTRUCTURE_STATUSES.includes(check.status)) throw new PlanError(`Tình trạng không hợp lệ: ${check.status}`);
  checkDay(check.checkedOn, "Ngày kiểm tra");
}

export async function addInfrastructureItem(
  db: DB,
  input: { wardId: number; facilityId: number | null; category: InfrastructureCategory; item: string } & InfrastructureCheck,
): Promise<number> {
  if (!INFRASTRUCTURE_CATEGORIES.includes(input.category)) throw new PlanError(`Nhóm hạ tầng không hợp lệ: ${input.category}`);
  if (!input.item.trim()) throw new PlanError("Thiếu tên hạng mục.");
  checkInfrastructure(input);
  const { id } = await db
    .insertInto("infrastructure_item")
    .values({
      ward_id: input.wardId,
      facility_id: input.facilityId,
      category: input.category,
      item: input.item.trim(),
      status: input.status,
      note: input.note?.trim() || null,
      checked_on: input.checkedOn,
      checked_by: input.checkedBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A new check of an item: its status, by whom and when. */
export async function recordInfrastructureCheck(db: DB, wardId: number, itemId: number, check: InfrastructureCheck): Promise<void> {
  checkInfrastructure(check);
  const result = await db
    .updateTable("infrastructure_item")
    .set({ status: check.status, note: check.note?.trim() || null, checked_on: check.checkedOn, checked_by: check.checkedBy })
    .where("id", "=", itemId)
    .where("ward_id", "=", wardId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new PlanError(`Không có hạng mục số ${itemId}.`);
}

export async function listInfrastructureItems(db: DB, wardId: number): Promise<InfrastructureItem[]> {
  const rows = await db.selectFrom("infrastructure_item").selectAll().where("ward_id", "=", wardId).orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id, facilityId: r.facility_id, category: r.category as InfrastructureCategory, item: r.item,
    status: r.status as InfrastructureStatus, note: r.note, checkedOn: r.checked_on, checkedBy: r.checked_by,
  }));
}
