// The plan's tasks as the units and leadership work them: each unit updates the progress
// of its own tasks (status, note, evidence link); leadership adds, edits and reassigns;
// "Cần đôn đốc" lists the overdue and soon-due tasks by unit. Overdue is computed in
// Vietnam time (domain/pilot.ts), never stored.
import { ACTIVITY_UNIT_LABELS } from "../domain/codes";
import { can, type Role } from "../domain/permissions";
import { isSoonDue, TASK_STATUSES, taskState, type TaskState, type TaskStatus } from "../domain/pilot";
import { isValidDay, localDayOf } from "../domain/time";
import type { DB } from "./db.server";
import { forbidden, type CurrentUser } from "./guard.server";
import { createPlanTask, PlanError, type ResponsibleUnit } from "./plan.server";

/** The plan's unit each role answers for (plan section IV). Leadership answers for "ubnd". */
export const ROLE_UNIT: Partial<Record<Role, ResponsibleUnit>> = {
  lanh_dao: "ubnd",
  tram_y_te: "tram_y_te",
  cong_an: "cong_an",
  van_hoa: "van_hoa_xa_hoi",
  tai_chinh: "tai_chinh_ke_toan",
  ban_can_su_khoi: "ban_can_su_khoi",
};

export interface TaskView {
  id: number;
  phase: number;
  section: string | null;
  title: string;
  units: ResponsibleUnit[];
  dueDate: string | null;
  status: TaskStatus;
  state: TaskState;
  soonDue: boolean;
  doneOn: string | null;
  note: string | null;
  evidenceUrl: string | null;
  updatedAt: number | null;
  /** Whether the viewer may update its progress (own unit) / edit it (leadership). */
  mayUpdate: boolean;
}

const unitsOf = (row: { units: string | null; responsible_unit: string }) =>
  (row.units ? row.units.split(",") : [row.responsible_unit]).filter((u): u is ResponsibleUnit => u in ACTIVITY_UNIT_LABELS);

export function mayUpdateTask(user: Pick<CurrentUser, "role">, units: readonly string[]): boolean {
  if (can(user.role, "plan:manage")) return true;
  const own = ROLE_UNIT[user.role];
  return can(user.role, "plan:update") && own !== undefined && units.includes(own);
}

export async function listTaskViews(db: DB, user: CurrentUser, now: number): Promise<TaskView[]> {
  const rows = await db.selectFrom("plan_task").selectAll().where("ward_id", "=", user.wardId).orderBy("phase").orderBy("due_date").orderBy("id").execute();
  return rows.map((r) => {
    const units = unitsOf(r);
    const status = r.status as TaskStatus;
    return {
      id: r.id, phase: r.phase, section: r.section, title: r.title, units, dueDate: r.due_date, status,
      state: taskState(status, r.due_date, now), soonDue: isSoonDue(status, r.due_date, now),
      doneOn: r.done_on, note: r.note, evidenceUrl: r.evidence_url, updatedAt: r.updated_at, mayUpdate: mayUpdateTask(user, units),
    };
  });
}

/** An evidence link: an http(s) address, or nothing. */
function checkLink(url: string | null | undefined): string | null {
  const trimmed = url?.trim();
  if (!trimmed) return null;
  if (!/^https?:\/\/[^\s]+$/i.test(trimmed) || trimmed.length > 1000) throw new PlanError("Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://.");
  return trimmed;
}

export interface ProgressInput {
  status: string;
  note?: string | null;
  evidenceUrl?: string | null;
  doneOn?: string | null;
}

/** A unit's progress on one of its tasks (leadership may update any). Done today unless a day is given. */
export async function updateTaskProgress(db: DB, user: CurrentUser, taskId: number, input: ProgressInput, now: number): Promise<void> {
  const row = await db.selectFrom("plan_task").selectAll().where("id", "=", taskId).where("ward_id", "=", user.wardId).executeTakeFirst();
  if (!row) throw new PlanError(`Không có nhiệm vụ số ${taskId}.`);
  if (!mayUpdateTask(user, unitsOf(row))) throw forbidden();
  if (!(TASK_STATUSES as readonly string[]).includes(input.status)) throw new PlanError(`Trạng thái không hợp lệ: ${input.status}`);
  const doneOn = input.status === "done" ? input.doneOn?.trim() || localDayOf(now) : null;
  if (doneOn && (!isValidDay(doneOn) || doneOn > localDayOf(now))) throw new PlanError("Ngày hoàn thành không hợp lệ hoặc ở tương lai.");
  await db
    .updateTable("plan_task")
    .set({
      status: input.status, done_on: doneOn, note: input.note?.trim().slice(0, 2000) || null, evidence_url: checkLink(input.evidenceUrl),
      updated_at: now, updated_by: user.id,
    })
    .where("id", "=", taskId)
    .execute();
}

export interface TaskInput {
  phase: number;
  title: string;
  units: string[];
  dueDate: string | null;
  section?: string | null;
}

function checkTask(input: TaskInput): { phase: 1 | 2; title: string; units: ResponsibleUnit[]; dueDate: string | null } {
  if (input.phase !== 1 && input.phase !== 2) throw new PlanError("Giai đoạn phải là 1 hoặc 2.");
  const title = input.title.trim();
  if (!title) throw new PlanError("Thiếu tên nhiệm vụ.");
  const units = [...new Set(input.units)];
  if (units.length === 0) throw new PlanError("Chọn ít nhất một đơn vị chịu trách nhiệm.");
  for (const u of units) if (!(u in ACTIVITY_UNIT_LABELS)) throw new PlanError(`Đơn vị không hợp lệ: ${u}`);
  if (input.dueDate && !isValidDay(input.dueDate)) throw new PlanError(`Hạn hoàn thành không hợp lệ: ${input.dueDate}`);
  return { phase: input.phase, title, units: units as ResponsibleUnit[], dueDate: input.dueDate || null };
}

/** Leadership: a new task. */
export async function addTask(db: DB, user: CurrentUser, input: TaskInput): Promise<number> {
  if (!can(user.role, "plan:manage")) throw forbidden();
  const t = checkTask(input);
  return createPlanTask(db, { wardId: user.wardId, phase: t.phase, title: t.title, responsibleUnit: t.units[0], units: t.units, dueDate: t.dueDate, section: input.section ?? null });
}

/** Leadership: change a task's phase, title, due date or units (reassign). */
export async function editTask(db: DB, user: CurrentUser, taskId: number, input: TaskInput, now: number): Promise<void> {
  if (!can(user.role, "plan:manage")) throw forbidden();
  const t = checkTask(input);
  const result = await db
    .updateTable("plan_task")
    .set({ phase: t.phase, title: t.title, responsible_unit: t.units[0], units: t.units.join(","), due_date: t.dueDate, updated_at: now, updated_by: user.id })
    .where("id", "=", taskId)
    .where("ward_id", "=", user.wardId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new PlanError(`Không có nhiệm vụ số ${taskId}.`);
}

export interface UrgeGroup {
  unit: ResponsibleUnit;
  label: string;
  overdue: TaskView[];
  soonDue: TaskView[];
}

/** Cần đôn đốc: per unit, its overdue tasks (oldest due first) and those due within the week. */
export function urgeByUnit(tasks: TaskView[]): UrgeGroup[] {
  const groups = new Map<ResponsibleUnit, UrgeGroup>();
  const byDue = (a: TaskView, b: TaskView) => (a.dueDate ?? "").localeCompare(b.dueDate ?? "") || a.id - b.id;
  for (const t of [...tasks].sort(byDue)) {
    if (t.state !== "overdue" && !t.soonDue) continue;
    for (const unit of t.units) {
      if (!groups.has(unit)) groups.set(unit, { unit, label: ACTIVITY_UNIT_LABELS[unit], overdue: [], soonDue: [] });
      groups.get(unit)![t.state === "overdue" ? "overdue" : "soonDue"].push(t);
    }
  }
  return [...groups.values()].sort((a, b) => b.overdue.length - a.overdue.length || a.label.localeCompare(b.label, "vi"));
}

/**
 * The plan's tasks (sections II and IV of the ward's plan), by phase (section III):
 * Phase 1 — plan and directives, communication, training on the gateway; Phase 2 —
 * data connection, display within 24 h, evaluation. Due dates are the ward's to set.
 */
export const PLAN_TASKS: ReadonlyArray<{ phase: 1 | 2; section: string; title: string; units: ResponsibleUnit[] }> = [
  { phase: 1, section: "III.1", title: "Hoàn thành kế hoạch, các văn bản chỉ đạo, điều hành triển khai thí điểm", units: ["ubnd"] },
  { phase: 1, section: "II.1.b", title: "Tổ chức hội nghị triển khai cho lãnh đạo, trưởng các ban, ngành, đoàn thể", units: ["ubnd"] },
  { phase: 1, section: "II.1.c", title: "Xây dựng chương trình phối hợp giữa các đơn vị, các khối", units: ["ubnd", "van_hoa_xa_hoi"] },
  { phase: 1, section: "II.2.b", title: "Xây dựng kế hoạch truyền thông về Sổ sức khỏe điện tử", units: ["van_hoa_xa_hoi"] },
  { phase: 1, section: "IV.1", title: "Rà soát, đánh giá hiện trạng hạ tầng, đường truyền Internet của Trạm Y tế", units: ["tram_y_te"] },
  { phase: 1, section: "II.3.a", title: "Bảo đảm máy tính, máy in, máy quét, Internet; bố trí cán bộ hỗ trợ người dân", units: ["tram_y_te"] },
  { phase: 1, section: "IV.1", title: "Tham gia tập huấn liên thông dữ liệu lên Cổng tiếp nhận dữ liệu giám định BHYT", units: ["tram_y_te", "van_hoa_xa_hoi"] },
  { phase: 1, section: "II.3.a", title: "Xây dựng dự toán kinh phí, thẩm định, trình lãnh đạo phê duyệt", units: ["tram_y_te", "tai_chinh_ke_toan"] },
  { phase: 1, section: "II.2.a", title: "Tuyên truyền, vận động người dân về lợi ích của Sổ sức khỏe điện tử", units: ["van_hoa_xa_hoi", "ban_can_su_khoi"] },
  { phase: 2, section: "III.2", title: "Kết nối, chia sẻ dữ liệu từ cơ sở KCB lên Cổng tiếp nhận dữ liệu giám định BHYT", units: ["tram_y_te"] },
  { phase: 2, section: "II.3.b", title: "Tiếp nhận KCB bằng thẻ căn cước, số định danh cá nhân hoặc thẻ BHYT cho mọi người bệnh", units: ["tram_y_te"] },
  { phase: 2, section: "III.2", title: "Hiển thị dữ liệu trên VNeID trong vòng 24 giờ kể từ khi Cổng tiếp nhận", units: ["tram_y_te"] },
  { phase: 2, section: "IV.2", title: "Hướng dẫn, hỗ trợ người dân cài đặt VNeID, kích hoạt định danh mức 2, tích hợp thẻ BHYT", units: ["cong_an"] },
  { phase: 2, section: "IV.5", title: "Rà soát, hỗ trợ người dân trong khối cài đặt VNeID, kích hoạt mức 2, tích hợp thẻ BHYT", units: ["ban_can_su_khoi"] },
  { phase: 2, section: "IV.3", title: "Bảo đảm an toàn thông tin theo cấp độ hệ thống thông tin", units: ["van_hoa_xa_hoi", "tram_y_te"] },
  { phase: 2, section: "IV.3", title: "Thường xuyên đăng tải tin, bài tuyên truyền lợi ích Sổ sức khỏe điện tử", units: ["van_hoa_xa_hoi"] },
  { phase: 2, section: "IV.4", title: "Thẩm định, tham mưu phê duyệt kinh phí triển khai hằng năm", units: ["tai_chinh_ke_toan"] },
  { phase: 2, section: "IV.1", title: "Báo cáo định kỳ UBND thị xã và Trung tâm Y tế", units: ["tram_y_te"] },
  { phase: 2, section: "II.1.d", title: "Thường xuyên đôn đốc, kiểm tra, đánh giá việc thực hiện theo từng giai đoạn", units: ["ubnd"] },
  { phase: 2, section: "III.2", title: "Đánh giá kết quả triển khai thí điểm", units: ["ubnd"] },
];

/** Leadership: loads the plan's tasks that the ward does not have yet (by title). Returns how many were added. */
export async function loadPlanTasks(db: DB, user: CurrentUser): Promise<number> {
  if (!can(user.role, "plan:manage")) throw forbidden();
  const existing = new Set((await db.selectFrom("plan_task").select("title").where("ward_id", "=", user.wardId).execute()).map((r) => r.title));
  let added = 0;
  for (const t of PLAN_TASKS) {
    if (existing.has(t.title)) continue;
    await createPlanTask(db, { wardId: user.wardId, phase: t.phase, title: t.title, responsibleUnit: t.units[0], units: t.units, section: t.section });
    added++;
  }
  return added;
}
