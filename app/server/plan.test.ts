import { describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./db.server";
import { ensureWard } from "./ward.server";
import { localToEpoch } from "../domain/time";
import type { CurrentUser } from "./guard.server";
import { addInfrastructureItem, createPlanTask, listInfrastructureItems, PlanError, recordInfrastructureCheck } from "./plan.server";
import { listTaskViews, updateTaskProgress } from "./plan-tasks.server";
import { createUser } from "./users.server";

describe("plan tasks and infrastructure checklist", () => {
  it("keeps tasks by phase with their progress, dates a done task today, and refuses a future day or another ward's task", async () => {
    const db = await openMigratedDatabase(":memory:");
    const { id: wardId } = await ensureWard(db);
    const leader: CurrentUser = await createUser(db, { username: "lanhdao", displayName: "Lãnh đạo", role: "lanh_dao", password: "một câu mật khẩu đủ dài" });
    const now = localToEpoch(2026, 3, 10, 9);
    const later = await createPlanTask(db, { wardId, phase: 2, title: "Đánh giá kết quả thí điểm", responsibleUnit: "ubnd", dueDate: "2026-12-31" });
    const first = await createPlanTask(db, { wardId, phase: 1, title: "Xây dựng kế hoạch", responsibleUnit: "van_hoa_xa_hoi", status: "done", doneOn: "2025-11-05" });
    expect((await listTaskViews(db, leader, now)).map((t) => [t.id, t.status])).toEqual([[first, "done"], [later, "todo"]]);
    await expect(updateTaskProgress(db, leader, later, { status: "done", doneOn: "2026-03-11" }, now)).rejects.toThrow(PlanError);
    await updateTaskProgress(db, leader, later, { status: "doing", note: "Đang tổng hợp số liệu" }, now);
    expect((await listTaskViews(db, leader, now))[1]).toMatchObject({ status: "doing", note: "Đang tổng hợp số liệu", dueDate: "2026-12-31", doneOn: null });
    await updateTaskProgress(db, leader, later, { status: "done" }, now);
    expect((await listTaskViews(db, leader, now))[1]).toMatchObject({ status: "done", doneOn: "2026-03-10" });
    await expect(updateTaskProgress(db, { ...leader, wardId: wardId + 1 }, later, { status: "todo" }, now)).rejects.toThrow(PlanError);
  });

  it("records each check of an infrastructure item", async () => {
    const db = await openMigratedDatabase(":memory:");
    const { id: wardId } = await ensureWard(db);
    const id = await addInfrastructureItem(db, { wardId, facilityId: null, category: "may_quet", item: "Máy quét tài liệu", status: "chua_dat", checkedOn: "2025-11-10", checkedBy: null });
    await recordInfrastructureCheck(db, wardId, id, { status: "dat", note: "Đã lắp đặt", checkedOn: "2026-02-01", checkedBy: null });
    expect(await listInfrastructureItems(db, wardId)).toEqual([
      { id, facilityId: null, category: "may_quet", item: "Máy quét tài liệu", status: "dat", note: "Đã lắp đặt", checkedOn: "2026-02-01", checkedBy: null },
    ]);
    await expect(recordInfrastructureCheck(db, wardId, id, { status: "tot" as never, checkedOn: "2026-02-01", checkedBy: null })).rejects.toThrow(PlanError);
  });
});
