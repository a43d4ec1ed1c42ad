import { describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./db.server";
import { ensureWard } from "./ward.server";
import {
  addInfrastructureItem, createPlanTask, listInfrastructureItems, listPlanTasks, PlanError, recordInfrastructureCheck, updatePlanTaskProgress,
} from "./plan.server";

describe("plan tasks and infrastructure checklist", () => {
  it("keeps tasks by phase with their progress, and refuses a done task without its day", async () => {
    const db = await openMigratedDatabase(":memory:");
    const { id: wardId } = await ensureWard(db);
    const later = await createPlanTask(db, { wardId, phase: 2, title: "Đánh giá kết quả thí điểm", responsibleUnit: "ubnd", dueDate: "2026-12-31" });
    const first = await createPlanTask(db, { wardId, phase: 1, title: "Xây dựng kế hoạch", responsibleUnit: "van_hoa_xa_hoi", status: "done", doneOn: "2025-11-05" });
    expect((await listPlanTasks(db, wardId)).map((t) => [t.id, t.status])).toEqual([[first, "done"], [later, "todo"]]);
    await expect(updatePlanTaskProgress(db, wardId, later, { status: "done", doneOn: null })).rejects.toThrow(PlanError);
    await updatePlanTaskProgress(db, wardId, later, { status: "doing", doneOn: null, note: "Đang tổng hợp số liệu" });
    expect((await listPlanTasks(db, wardId))[1]).toMatchObject({ status: "doing", note: "Đang tổng hợp số liệu", dueDate: "2026-12-31" });
    await expect(updatePlanTaskProgress(db, wardId + 1, later, { status: "todo", doneOn: null })).rejects.toThrow(PlanError);
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
