// R3 opened with exceljs: the estimate sheet's groups, subtotals, total and words; the
// justification's approved vs spent, execution rate and I6 with the results it rests on;
// the three signers; the copy frozen at approval; and the template's round trip.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { at, WardFixture } from "../metrics/fixture";
import { createEstimate, estimateDetail, recordExpenditure, transition, type Actor } from "~/server/budget.server";
import { estimateTemplate, readEstimateWorkbook } from "~/server/budget-xlsx.server";
import { computeMetrics } from "~/server/metrics/engine.server";
import { freezeR3, r3Content, r3Of, yearR3 } from "~/server/reports/r3.server";
import { parsePeriod } from "~/domain/periods";
import { cellText } from "~/server/import/headers";

const station: Actor = { id: null, role: "tram_y_te" };
const finance: Actor = { id: null, role: "tai_chinh" };
const viceChair: Actor = { id: null, role: "lanh_dao" };

async function ward() {
  const w = await WardFixture.create();
  const f = await w.facility("40001");
  // Two residents fully onboarded in 2026, one only installed; four records sent in 2026.
  await w.onboarding(1, "P1", { vneid: "2026-02-01", level2: "2026-02-03", bhyt: "2026-02-05" });
  await w.onboarding(2, "P2", { vneid: "2026-03-01", level2: "2026-03-02", bhyt: "2026-03-10" });
  await w.onboarding(2, "P3", { vneid: "2026-03-01" });
  for (let i = 1; i <= 4; i++) {
    await w.visit({ facility: f, maLk: `LK${i}`, checkin: at(2026, 3, i, 8), ended: at(2026, 3, i, 9), method: "the_can_cuoc", pid: `X${i}` });
    await w.receipt(f, `LK${i}`, at(2026, 3, i, 12));
  }
  await w.commit();
  const id = await createEstimate(w.db, {
    wardId: w.wardId, year: 2026, title: "Dự toán kinh phí năm 2026", createdBy: null,
    lines: [
      { category: "internet", content: "Cước Internet", unit: "tháng", quantity: 12, unitPrice: 500_000 },
      { category: "thiet_bi", content: "Máy tính", unit: "bộ", quantity: 2, unitPrice: 3_000_000, basis: "Báo giá" },
      { category: "thiet_bi", content: "Máy in", unit: "cái", quantity: 1, unitPrice: 500_000 },
    ],
  });
  for (const [actor, action] of [[station, "submit"], [finance, "forward"]] as const) await transition(w.db, { wardId: w.wardId, estimateId: id, actor, action });
  return { w, id };
}

const approve = (w: WardFixture, id: number) =>
  transition(w.db, { wardId: w.wardId, estimateId: id, actor: viceChair, action: "approve", at: at(2026, 1, 20, 9), freeze: freezeR3 });

async function open(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** Rows of a sheet as arrays of cell text (columns 1…7), for finding rows by label. */
function rows(sheet: ExcelJS.Worksheet): Array<{ n: number; t: string[]; v: unknown[] }> {
  const out: Array<{ n: number; t: string[]; v: unknown[] }> = [];
  sheet.eachRow((r) => out.push({ n: r.number, t: Array.from({ length: 7 }, (_, i) => cellText(r.getCell(i + 1).value)), v: Array.from({ length: 7 }, (_, i) => r.getCell(i + 1).value) }));
  return out;
}
const rowWith = (rs: ReturnType<typeof rows>, col: number, text: string) => rs.find((r) => r.t[col] === text)!;

describe("R3", () => {
  it("lays out the estimate with groups in the official order, subtotals, total and the total in words", async () => {
    const { w, id } = await ward();
    await approve(w, id);
    const { bytes } = await yearR3(w.db, w.wardId, 2026, at(2026, 4, 1));
    const sheet = (await open(bytes)).getWorksheet("Dự toán")!;
    const rs = rows(sheet);
    const text = rs.flatMap((r) => r.t).join("\n");
    for (const line of ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "DỰ TOÁN KINH PHÍ"]) expect(text).toContain(line);
    const equipment = rowWith(rs, 0, "I");
    expect(equipment.t[1]).toBe("Trang thiết bị (máy tính, máy in, máy quét)");
    expect(equipment.v[5]).toBe(6_500_000);
    expect(rs[rs.indexOf(equipment) + 1].v.slice(0, 6)).toEqual(["1", "Máy tính", "bộ", 2, 3_000_000, 6_000_000]);
    expect(rs[rs.indexOf(equipment) + 2].v.slice(0, 6)).toEqual(["2", "Máy in", "cái", 1, 500_000, 500_000]);
    const internet = rowWith(rs, 0, "II");
    expect([internet.t[1], internet.v[5]]).toEqual(["Kết nối Internet", 6_000_000]);
    expect(rowWith(rs, 1, "Tổng cộng").v[5]).toBe(12_500_000);
    expect(text).toContain("Bằng chữ: Mười hai triệu năm trăm nghìn đồng.");
    for (const signer of ["TRẠM Y TẾ", "TÀI CHÍNH - KẾ TOÁN", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH"]) expect(text).toContain(signer);
    expect(text).toContain("ngày 20 tháng 01 năm 2026");
    expect(sheet.getCell(equipment.n, 6).font?.name).toBe("Times New Roman");
  });

  it("ties the money to results: approved vs spent per line, execution rate, and I6 with its counts", async () => {
    const { w, id } = await ward();
    await approve(w, id);
    const lines = (await estimateDetail(w.db, w.wardId, id)).lines;
    const computers = lines.find((l) => l.content === "Máy tính")!;
    const internet = lines.find((l) => l.content === "Cước Internet")!;
    await recordExpenditure(w.db, { wardId: w.wardId, budgetLineId: computers.id, date: "2026-02-10", amount: 5_900_000, content: "Mua máy tính", createdBy: null });
    await recordExpenditure(w.db, { wardId: w.wardId, budgetLineId: internet.id, date: "2026-03-05", amount: 1_500_001, content: "Cước Q1", createdBy: null });
    const asOf = at(2026, 4, 1);
    const { bytes, content } = await yearR3(w.db, w.wardId, 2026, asOf);
    const rs = rows((await open(bytes)).getWorksheet("Thuyết minh")!);
    expect(rowWith(rs, 1, "Máy tính").v.slice(2, 6)).toEqual([6_000_000, 5_900_000, 100_000, 5_900_000 / 6_000_000]);
    expect(rowWith(rs, 1, "Máy in").v.slice(2, 6)).toEqual([500_000, 0, 500_000, 0]);
    expect(rowWith(rs, 1, "Cước Internet").v.slice(2, 6)).toEqual([6_000_000, 1_500_001, 4_499_999, 1_500_001 / 6_000_000]);
    const total = rowWith(rs, 1, "Tổng cộng");
    expect(total.v.slice(2, 6)).toEqual([12_500_000, 7_400_001, 5_099_999, 7_400_001 / 12_500_000]);

    // I6 as the engine gives it for the year, and the counts the costs are divided by.
    const metrics = await computeMetrics(w.db, { wardId: w.wardId, period: parsePeriod("2026"), asOf });
    expect(content.i6).toEqual(metrics.i6);
    expect(content.results).toMatchObject({ newlyFullyOnboarded: 2, newlySent: 4 });
    expect(metrics.i6.costPerFullyOnboarded).toBe(7_400_001 / 2);
    const figure = (label: string) => rs.find((r) => r.t[1].startsWith(label))!.v[4];
    expect(figure("Đã chi trong năm")).toBe(7_400_001);
    expect(figure("Người dân mới hoàn thành cả 3 bước")).toBe(2);
    expect(figure("Chi phí cho mỗi người hoàn thành 3 bước")).toBe(Math.round(7_400_001 / 2));
    expect(figure("Hồ sơ KCB mới liên thông")).toBe(4);
    expect(figure("Chi phí cho mỗi hồ sơ liên thông")).toBe(Math.round(7_400_001 / 4));
    expect(figure("Tỷ lệ thực hiện")).toBe(7_400_001 / 12_500_000);
  });

  it("leaves a cost empty when nothing was spent", async () => {
    const { w, id } = await ward();
    await approve(w, id);
    const rs = rows((await open((await yearR3(w.db, w.wardId, 2026, at(2026, 4, 1))).bytes)).getWorksheet("Thuyết minh")!);
    expect(rs.find((r) => r.t[1].startsWith("Chi phí cho mỗi người"))!.v[4]).toBeNull();
  });

  it("freezes the approved R3: the same bytes on every download, whatever is spent later", async () => {
    const { w, id } = await ward();
    expect((await r3Of(w.db, w.wardId, id, at(2026, 1, 19))).frozen).toBe(false);
    await approve(w, id);
    const first = await r3Of(w.db, w.wardId, id, at(2026, 2, 1));
    const [line] = (await estimateDetail(w.db, w.wardId, id)).lines;
    await recordExpenditure(w.db, { wardId: w.wardId, budgetLineId: line.id, date: "2026-02-10", amount: 1_000_000, content: "x", createdBy: null });
    const later = await r3Of(w.db, w.wardId, id, at(2026, 6, 1));
    expect(first.frozen && later.frozen).toBe(true);
    expect(Buffer.from(later.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    // and it is the workbook the content at approval gives
    const stored = await w.db.selectFrom("budget_estimate").select(["frozen_figures_json", "frozen_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(stored.frozen_at).toBe(at(2026, 1, 20, 9));
    expect(JSON.parse(stored.frozen_figures_json!)).toMatchObject({ total: 12_500_000, spent: 0, estimate: { status: "approved" } });
    // the live R3 of the year does move on
    expect((await yearR3(w.db, w.wardId, 2026, at(2026, 6, 1))).content.spent).toBe(1_000_000);
  });
});

describe("estimate template", () => {
  it("round-trips: the template read back gives the lines it was made from", async () => {
    const { w, id } = await ward();
    const detail = await estimateDetail(w.db, w.wardId, id);
    const { frame } = await r3Content(w.db, w.wardId, id, at(2026, 1, 1));
    const bytes = await estimateTemplate(frame, detail.lines.map((l) => ({ ...l, spent: null })), at(2026, 1, 1));
    const read = await readEstimateWorkbook("mau.xlsx", bytes);
    expect(read.errors).toEqual([]);
    expect(read.lines.map((l) => [l.category, l.content, l.quantity, l.unitPrice])).toEqual([
      ["thiet_bi", "Máy tính", 2, 3_000_000], ["thiet_bi", "Máy in", 1, 500_000], ["internet", "Cước Internet", 12, 500_000],
    ]);
  });

  it("reads lines typed into the blank rows, and names the row and reason of each bad one", async () => {
    const { w, id } = await ward();
    const { frame } = await r3Content(w.db, w.wardId, id, at(2026, 1, 1));
    const wb = await open(await estimateTemplate(frame, [], at(2026, 1, 1)));
    const sheet = wb.worksheets[0];
    const rs = rows(sheet);
    const training = rowWith(rs, 1, "Tập huấn").n;
    sheet.getRow(training + 1).values = ["", "Lớp tập huấn cán bộ", "lớp", 2, "4.500.000", 9_000_000, "Thông tư 40/2017"];
    sheet.getRow(training + 2).values = ["", "Tài liệu", "bộ", 1.5, 20_000, null, ""];
    const other = rowWith(rs, 1, "Khác").n;
    sheet.getRow(other + 1).values = ["", "Nước uống", "thùng", 10, "12,5", 999, ""];
    sheet.getRow(other + 2).values = ["", "Văn phòng phẩm", "gói", 3, 100_000, 1, ""];
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const read = await readEstimateWorkbook("da-dien.xlsx", bytes);
    expect(read.lines).toEqual([
      { category: "tap_huan", content: "Lớp tập huấn cán bộ", unit: "lớp", quantity: 2, unitPrice: 4_500_000, basis: "Thông tư 40/2017" },
      { category: "khac", content: "Văn phòng phẩm", unit: "gói", quantity: 3, unitPrice: 100_000, basis: null },
    ]);
    expect(read.errors).toEqual([
      { row: training + 2, reason: 'số lượng "1.5" phải là số nguyên dương' },
      { row: other + 1, reason: 'đơn giá "12,5" phải là số đồng nguyên, không âm' },
    ]);
    expect(read.warnings).toEqual([{ row: other + 2, reason: "Thành tiền ghi 1, khác Số lượng × Đơn giá = 300.000 đ; dùng 300.000 đ." }]);
  });

  it("refuses what is not the template", async () => {
    expect((await readEstimateWorkbook("du-toan.xls", new Uint8Array([1, 2]))).errors[0].reason).toMatch(/\.xlsx/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("x").addRow(["a", "b"]);
    const read = await readEstimateWorkbook("x.xlsx", new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(read.errors[0].reason).toMatch(/dòng tiêu đề/);
  });
});
