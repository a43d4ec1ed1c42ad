import { beforeAll, describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./db.server";
import { ensureWard } from "./ward.server";
import {
  budgetByCategory, BudgetError, createEstimate, createSupplement, estimateDetail, OverspendWarning, recordExpenditure, startEstimate,
  transition, updateDraft, yearExecution, type Actor,
} from "./budget.server";
import { TRANSITIONS, type EstimateAction, type EstimateStatus } from "~/domain/budget";
import { ROLES, type Role } from "~/domain/permissions";

async function setup() {
  const db = await openMigratedDatabase(":memory:");
  const ward = await ensureWard(db);
  return { db, wardId: ward.id };
}

const lines = [
  { category: "thiet_bi" as const, content: "Máy tính để bàn", unit: "bộ", quantity: 2, unitPrice: 15_800_000, basis: "Báo giá" },
  { category: "internet" as const, content: "Cước Internet cáp quang", unit: "tháng", quantity: 12, unitPrice: 480_000 },
];
const as = (role: Role): Actor => ({ id: null, role });
const station = as("tram_y_te");
const finance = as("tai_chinh");
const viceChair = as("lanh_dao");

const statusOf = async (db: Awaited<ReturnType<typeof setup>>["db"], id: number) =>
  (await db.selectFrom("budget_estimate").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

/** An estimate brought to `status` by the roles that own each step. */
async function estimateIn(status: EstimateStatus, shared?: Awaited<ReturnType<typeof setup>>) {
  const { db, wardId } = shared ?? (await setup());
  const id = shared
    ? await createEstimate(db, { wardId, year: 2026, title: "Dự toán 2026", createdBy: null, lines })
    : await startEstimate(db, { wardId, year: 2026, title: "Dự toán 2026", actor: station, lines });
  const go = (actor: Actor, action: EstimateAction, comment?: string) => transition(db, { wardId, estimateId: id, actor, action, comment });
  if (status !== "draft") await go(station, "submit");
  if (status === "returned") await go(finance, "return_review", "Bổ sung báo giá");
  if (status === "reviewed" || status === "approved") await go(finance, "forward");
  if (status === "approved") await go(viceChair, "approve");
  expect(await statusOf(db, id)).toBe(status);
  return { db, wardId, id };
}

describe("budget workflow", () => {
  const statuses: EstimateStatus[] = ["draft", "submitted", "reviewed", "returned", "approved"];
  const cases = statuses.flatMap((status) =>
    (Object.keys(TRANSITIONS) as EstimateAction[]).flatMap((action) => ROLES.map((role) => [status, action, role] as const)));

  let shared: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    shared = await setup();
  });
  // Every (state, step, role): allowed exactly when the role owns the step and the state admits it.
  it.each(cases)("from %s, %s by %s", async (status, action, role) => {
    const { db, wardId, id } = await estimateIn(status, shared);
    const t = TRANSITIONS[action];
    const owner = { submit: "tram_y_te", forward: "tai_chinh", return_review: "tai_chinh", approve: "lanh_dao", return_approval: "lanh_dao" }[action];
    const allowed = role === owner && (t.from as readonly string[]).includes(status);
    const before = await db.selectFrom("budget_review").select("id").where("estimate_id", "=", id).execute();
    const run = transition(db, { wardId, estimateId: id, actor: { id: null, role }, action, comment: "Lý do" });
    if (allowed) {
      await expect(run).resolves.toBe(t.to);
      expect(await statusOf(db, id)).toBe(t.to);
    } else {
      await expect(run).rejects.toThrow(BudgetError);
      expect(await statusOf(db, id)).toBe(status);
      expect(await db.selectFrom("budget_review").select("id").where("estimate_id", "=", id).execute()).toEqual(before); // a refusal writes nothing
    }
  });

  it("records who, when and the comment of each step, and per-line comments of the review", async () => {
    const { db, wardId } = await setup();
    const [hs, fo, vc] = await Promise.all(["tramyte", "taichinh", "lanhdao"].map(async (username, i) =>
      (await db.insertInto("app_user").values({
        ward_id: wardId, username, display_name: ["Trạm", "Tài chính", "Phó Chủ tịch"][i], role: "x", password_hash: "x", created_at: 0, password_changed_at: 0,
      } as never).returning("id").executeTakeFirstOrThrow()).id));
    const id = await startEstimate(db, { wardId, year: 2026, title: "Dự toán 2026", actor: { id: hs, role: "tram_y_te" }, lines, at: 100 });
    const lineIds = (await estimateDetail(db, wardId, id)).lines.map((l) => l.id);
    await transition(db, { wardId, estimateId: id, actor: { id: hs, role: "tram_y_te" }, action: "submit", at: 200 });
    await expect(transition(db, { wardId, estimateId: id, actor: { id: fo, role: "tai_chinh" }, action: "return_review", at: 250 })).rejects.toThrow(/lý do/);
    await transition(db, {
      wardId, estimateId: id, actor: { id: fo, role: "tai_chinh" }, action: "return_review", at: 300,
      lineComments: [{ lineId: lineIds[0], comment: "Thiếu báo giá" }, { lineId: lineIds[1], comment: "  " }],
    });
    await transition(db, { wardId, estimateId: id, actor: { id: hs, role: "tram_y_te" }, action: "submit", comment: "Đã bổ sung", at: 400 });
    await transition(db, { wardId, estimateId: id, actor: { id: fo, role: "tai_chinh" }, action: "forward", comment: "Phù hợp", at: 500 });
    await transition(db, { wardId, estimateId: id, actor: { id: vc, role: "lanh_dao" }, action: "approve", at: 600 });
    const detail = await estimateDetail(db, wardId, id);
    expect(detail.history).toEqual([
      { at: 100, decision: "create", comment: null, lineId: null, by: "Trạm" },
      { at: 200, decision: "submit", comment: null, lineId: null, by: "Trạm" },
      { at: 300, decision: "line_comment", comment: "Thiếu báo giá", lineId: lineIds[0], by: "Tài chính" },
      { at: 300, decision: "return_review", comment: null, lineId: null, by: "Tài chính" },
      { at: 400, decision: "submit", comment: "Đã bổ sung", lineId: null, by: "Trạm" },
      { at: 500, decision: "forward", comment: "Phù hợp", lineId: null, by: "Tài chính" },
      { at: 600, decision: "approve", comment: null, lineId: null, by: "Phó Chủ tịch" },
    ]);
    expect(detail.estimate).toMatchObject({ status: "approved", submittedAt: 400, reviewedAt: 500, approvedAt: 600, reviewedBy: "Tài chính", approvedBy: "Phó Chủ tịch" });
  });
});

describe("editing", () => {
  it("lets the station edit a draft or a returned estimate, keeping line ids, and computes amounts in whole đồng", async () => {
    const { db, wardId, id } = await estimateIn("returned");
    const [first] = (await estimateDetail(db, wardId, id)).lines;
    await updateDraft(db, {
      wardId, estimateId: id, actor: station, title: "Dự toán 2026 (sửa)",
      lines: [{ ...lines[0], id: first.id, quantity: 3 }, { category: "tap_huan", content: "Tập huấn", unit: "lớp", quantity: 1, unitPrice: 4_999_999 }],
    });
    const detail = await estimateDetail(db, wardId, id);
    expect(detail.estimate.title).toBe("Dự toán 2026 (sửa)");
    expect(detail.lines.map((l) => [l.id === first.id, l.position, l.amount])).toEqual([[true, 1, 47_400_000], [false, 2, 4_999_999]]);
    expect(detail.total).toBe(52_399_999);
  });

  it.each(["submitted", "reviewed", "approved"] as const)("refuses edits of a %s estimate and writes nothing", async (status) => {
    const { db, wardId, id } = await estimateIn(status);
    const before = await estimateDetail(db, wardId, id);
    await expect(updateDraft(db, { wardId, estimateId: id, actor: station, title: "x", lines: [{ ...lines[0], quantity: 9 }] }))
      .rejects.toThrow(status === "approved" ? /đã khóa/ : /không sửa được/);
    expect(await estimateDetail(db, wardId, id)).toEqual(before);
  });

  it.each(["tai_chinh", "lanh_dao", "quan_tri"] as const)("refuses edits by %s", async (role) => {
    const { db, wardId, id } = await estimateIn("draft");
    await expect(updateDraft(db, { wardId, estimateId: id, actor: as(role), title: "x", lines })).rejects.toThrow(/Trạm Y tế/);
    await expect(startEstimate(db, { wardId, year: 2027, title: "x", actor: as(role), lines })).rejects.toThrow(/Trạm Y tế/);
  });

  it("refuses money that is not whole đồng, quantities that are not whole, and amounts past exact integers", async () => {
    const { db, wardId } = await setup();
    await expect(createEstimate(db, { wardId, year: 2026, title: "x", createdBy: null, lines: [{ ...lines[0], unitPrice: 10.5 }] })).rejects.toThrow(/Dòng 1: đơn giá/);
    await expect(createEstimate(db, { wardId, year: 2026, title: "x", createdBy: null, lines: [lines[0], { ...lines[1], quantity: 1.5 }] })).rejects.toThrow(/Dòng 2: số lượng/);
    await expect(createEstimate(db, { wardId, year: 2026, title: "x", createdBy: null, lines: [{ ...lines[0], quantity: 2 ** 30, unitPrice: 2 ** 30 }] })).rejects.toThrow(/quá lớn/);
    expect(await db.selectFrom("budget_estimate").selectAll().execute()).toHaveLength(0);
  });

  it("allows one estimate per year; later changes are a supplement beside the approved one", async () => {
    const { db, wardId, id } = await estimateIn("approved");
    await expect(startEstimate(db, { wardId, year: 2026, title: "x", actor: station, lines })).rejects.toThrow(/bổ sung/);
    const supplement = await createSupplement(db, { wardId, approvedId: id, actor: station });
    await expect(createSupplement(db, { wardId, approvedId: id, actor: station })).rejects.toThrow(/chưa phê duyệt/);
    const s = await estimateDetail(db, wardId, supplement);
    expect(s.estimate).toMatchObject({ version: 2, kind: "supplementary", status: "draft", replacesId: id });
    expect(s.lines.map((l) => l.amount)).toEqual([31_600_000, 5_760_000]);
    expect(await statusOf(db, id)).toBe("approved"); // the approved version stays, locked
  });
});

describe("spending", () => {
  it("records spending on approved lines only, warns before over-spending, and totals approved vs spent", async () => {
    const { db, wardId, id } = await estimateIn("approved");
    const [computers, internet] = (await estimateDetail(db, wardId, id)).lines;
    const spend = (lineId: number | null, amount: number, date = "2026-03-02", confirmOverspend = false) =>
      recordExpenditure(db, { wardId, budgetLineId: lineId, date, amount, content: "Chi", documentRef: "PC 1", createdBy: null, confirmOverspend });
    await spend(computers.id, 31_000_000);
    await expect(spend(computers.id, 600_001)).rejects.toBeInstanceOf(OverspendWarning);
    expect(await db.selectFrom("expenditure").select("amount").execute()).toHaveLength(1);
    await expect(spend(computers.id, 600_000)).resolves.toMatchObject({ overspend: 0 });
    await expect(spend(computers.id, 1, "2026-03-03", true)).resolves.toMatchObject({ overspend: 1 });
    await spend(internet.id, 480_000, "2026-02-01");
    await expect(spend(internet.id, 1, "2027-01-01")).rejects.toThrow(/năm 2026/);
    await expect(spend(internet.id, 1, "2026-02-30")).rejects.toThrow(/Ngày/);
    await expect(spend(internet.id, 0.5)).rejects.toThrow(/nguyên/);
    const e = (await yearExecution(db, wardId, 2026))!;
    expect(e.lines.map((l) => [l.amount, l.spent, l.remaining])).toEqual([[31_600_000, 31_600_001, -1], [5_760_000, 480_000, 5_280_000]]);
    expect([e.approved, e.spent]).toEqual([37_360_000, 32_080_001]);
    expect(e.executionRate).toBeCloseTo(32_080_001 / 37_360_000, 12);
  });

  it("refuses spending on a line still in review", async () => {
    const { db, wardId, id } = await estimateIn("reviewed");
    const [line] = (await estimateDetail(db, wardId, id)).lines;
    await expect(recordExpenditure(db, { wardId, budgetLineId: line.id, date: "2026-03-02", amount: 1, content: "x", createdBy: null })).rejects.toThrow(/đã phê duyệt/);
  });

  it("carries a line's spending into the supplement that replaces it in force, and sums by category", async () => {
    const { db, wardId, id } = await estimateIn("approved");
    const [computers] = (await estimateDetail(db, wardId, id)).lines;
    await recordExpenditure(db, { wardId, budgetLineId: computers.id, date: "2026-03-02", amount: 30_000_000, content: "Máy tính", createdBy: null });
    await recordExpenditure(db, { wardId, budgetLineId: null, date: "2026-04-02", amount: 1_000, content: "Ngoài dự toán", createdBy: null });
    const supplement = await createSupplement(db, { wardId, approvedId: id, actor: station });
    const s = await estimateDetail(db, wardId, supplement);
    await updateDraft(db, {
      wardId, estimateId: supplement, actor: station, title: s.estimate.title,
      lines: [...s.lines, { category: "truyen_thong", content: "Tờ rơi", unit: "tờ", quantity: 1000, unitPrice: 1_500 }],
    });
    for (const [actor, action] of [[station, "submit"], [finance, "forward"], [viceChair, "approve"]] as const) {
      await transition(db, { wardId, estimateId: supplement, actor, action });
    }
    await expect(recordExpenditure(db, { wardId, budgetLineId: computers.id, date: "2026-05-02", amount: 1, content: "x", createdBy: null })).rejects.toThrow(/bản bổ sung/);
    const e = (await yearExecution(db, wardId, 2026))!;
    expect(e.estimate.id).toBe(supplement);
    expect(e.lines.map((l) => [l.content, l.spent])).toEqual([["Máy tính để bàn", 30_000_000], ["Cước Internet cáp quang", 0], ["Tờ rơi", 0]]);
    expect([e.approved, e.spent, e.outside]).toEqual([38_860_000, 30_001_000, 1_000]);
    const byCategory = await budgetByCategory(db, wardId, 2026, "2026-03-31");
    expect(byCategory.categories).toEqual([
      { category: "thiet_bi", estimated: 31_600_000, approved: 31_600_000, spentToDate: 30_000_000 },
      { category: "internet", estimated: 5_760_000, approved: 5_760_000, spentToDate: 0 },
      { category: "truyen_thong", estimated: 1_500_000, approved: 1_500_000, spentToDate: 0 },
    ]);
    expect((await budgetByCategory(db, wardId, 2026, "2026-12-31")).spentToDate).toBe(30_001_000);
  });
});

describe("an empty draft", () => {
  it("may be saved while written, but not submitted", async () => {
    const { db, wardId } = await setup();
    const id = await startEstimate(db, { wardId, year: 2026, title: "Dự toán 2026", actor: station, lines: [] });
    await expect(transition(db, { wardId, estimateId: id, actor: station, action: "submit" })).rejects.toThrow(/chưa có dòng/);
    expect(await statusOf(db, id)).toBe("draft");
  });
});
