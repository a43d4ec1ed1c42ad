import { describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./db.server";
import { ensureWard } from "./ward.server";
import { addReview, approveEstimate, BudgetError, createEstimate, recordExpenditure, submitEstimate } from "./budget.server";

async function setup() {
  const db = await openMigratedDatabase(":memory:");
  const ward = await ensureWard(db);
  return { db, wardId: ward.id };
}

const lines = [
  { category: "thiet_bi" as const, content: "Máy tính để bàn", unit: "bộ", quantity: 2, unitPrice: 15_800_000, basis: "Báo giá" },
  { category: "internet" as const, content: "Cước Internet cáp quang", unit: "tháng", quantity: 12, unitPrice: 480_000 },
];

describe("budget", () => {
  it("takes an estimate from draft through review to approval, then records spending on its lines", async () => {
    const { db, wardId } = await setup();
    const id = await createEstimate(db, { wardId, year: 2026, title: "Dự toán 2026", createdBy: null, lines });
    const stored = await db.selectFrom("budget_line").select(["position", "amount", "basis"]).where("estimate_id", "=", id).orderBy("position").execute();
    expect(stored).toEqual([{ position: 1, amount: 31_600_000, basis: "Báo giá" }, { position: 2, amount: 5_760_000, basis: null }]);
    const lineId = (await db.selectFrom("budget_line").select("id").where("estimate_id", "=", id).where("position", "=", 1).executeTakeFirstOrThrow()).id;

    await expect(addReview(db, { estimateId: id, reviewerId: null, decision: "comment", comment: "x" })).rejects.toThrow(BudgetError);
    await expect(recordExpenditure(db, { wardId, budgetLineId: lineId, date: "2026-03-02", amount: 1, content: "x", createdBy: null })).rejects.toThrow(/đã phê duyệt/);
    await submitEstimate(db, id);
    await addReview(db, { estimateId: id, reviewerId: null, decision: "return", comment: "Bổ sung báo giá" });
    expect((await db.selectFrom("budget_estimate").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("returned");
    await expect(approveEstimate(db, { estimateId: id, approvedBy: null })).rejects.toThrow(BudgetError);
    await submitEstimate(db, id);
    await addReview(db, { estimateId: id, reviewerId: null, decision: "recommend", comment: "Đề nghị phê duyệt" });
    await approveEstimate(db, { estimateId: id, approvedBy: null, at: 1_770_000_000 });
    const approved = await db.selectFrom("budget_estimate").select(["status", "approved_at", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(approved).toEqual({ status: "approved", approved_at: 1_770_000_000, version: 1 });

    await recordExpenditure(db, { wardId, budgetLineId: lineId, date: "2026-03-02", amount: 31_000_000, content: "Mua 02 bộ máy tính", documentRef: "PC 12", createdBy: null });
    await expect(recordExpenditure(db, { wardId, budgetLineId: lineId, date: "2026-02-30", amount: 1, content: "x", createdBy: null })).rejects.toThrow(/Ngày/);
    expect(await db.selectFrom("expenditure").select(["amount", "document_ref"]).execute()).toEqual([{ amount: 31_000_000, document_ref: "PC 12" }]);

    const revision = await createEstimate(db, { wardId, year: 2026, title: "Dự toán điều chỉnh", createdBy: null, lines, replacesId: id });
    expect((await db.selectFrom("budget_estimate").select("version").where("id", "=", revision).executeTakeFirstOrThrow()).version).toBe(2);
  });

  it("refuses lines that are not whole đồng or have no quantity", async () => {
    const { db, wardId } = await setup();
    await expect(createEstimate(db, { wardId, year: 2026, title: "x", createdBy: null, lines: [{ ...lines[0], unitPrice: 10.5 }] })).rejects.toThrow(/Dòng 1/);
    await expect(createEstimate(db, { wardId, year: 2026, title: "x", createdBy: null, lines: [{ ...lines[1], quantity: 0 }] })).rejects.toThrow(/Dòng 1/);
    expect(await db.selectFrom("budget_estimate").selectAll().execute()).toHaveLength(0);
  });
});
