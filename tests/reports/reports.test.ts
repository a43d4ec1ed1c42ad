// R1, R2, R4 against the real indicator engine on a real database through the real
// migrations: the .xlsx opened back with exceljs (header, merges, fonts, page setup, print
// titles, every figure the engine's), the lifecycle by role, the frozen file's sha-256
// after a new import through the import pipeline, corrections, and the CLI's file.
import ExcelJS from "exceljs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboardWard } from "../http/dashboard-fixture";
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { ensureWard } from "~/server/ward.server";
import { updateDerived } from "~/server/metrics/derived.server";
import { computeMetrics, evaluateTargets, facilityBreakdown, workList } from "~/server/metrics/engine.server";
import { importFiles } from "~/server/import/pipeline.server";
import { buildContent } from "~/server/reports/content.server";
import { reportXlsx } from "~/server/reports/xlsx.server";
import {
  correctReport, createDraft, getReport, liveContent, ReportError, reopenReport, reviewReport, saveTexts, sha256, submitReport, xlsxOf,
  type Actor,
} from "~/server/reports/reports.server";
import { COUNT_FORMAT, DOCUMENT_FONT, PERCENT_FORMAT } from "~/server/reports/official-document.server";
import { parsePeriod, lastDay } from "~/domain/periods";
import { localToEpoch } from "~/domain/time";
import type { ReportContent } from "~/domain/report-content";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-reports-"));
const databaseUrl = `file:${path.join(dir, "ward.sqlite")}`;
// Before anything reads env(): it keeps the first values it reads (the audit chain reads the secret early).
process.env.DATABASE_URL = databaseUrl;
let db: DB;
let wardId: number;
const march = parsePeriod("2026-03");
const asOf = localToEpoch(2026, 4, 1); // METRICS.md's default: the first instant after March
const h1 = parsePeriod("2026-H1");

async function load(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

/** Rows whose column B (or A:B merged) text equals the label, in sheet order. */
function rowsLabelled(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row[] {
  const out: ExcelJS.Row[] = [];
  ws.eachRow((row) => {
    if (row.getCell(2).value === label) out.push(row);
  });
  return out;
}

const num = (row: ExcelJS.Row, col: number) => row.getCell(col).value as number | null;

beforeAll(async () => {
  db = await openMigratedDatabase(databaseUrl);
  wardId = (await ensureWard(db)).id;
  await loadDashboardWard(db);
  // R2 needs visit types and cards: three more March visits at the clinic 79002.
  const clinic = await db.selectFrom("facility").select("id").where("code", "=", "79002").executeTakeFirstOrThrow();
  const extra = [
    { maLk: "PK0321", type: "03", card: "card-a", receipt: true },
    { maLk: "PK0322", type: "07", card: "card-b", receipt: false },
    { maLk: "PK0323", type: "14", card: null, receipt: true },
  ];
  for (const [i, v] of extra.entries()) {
    const t = localToEpoch(2026, 3, 22 + i, 8);
    await db.insertInto("visit").values({
      facility_id: clinic.id, ma_lk: v.maLk, checkin_at: t, ended_at: t + 3600, pid_hash: null, pid_last4: null,
      card_hash: v.card, card_last4: v.card ? "0000" : null, method: v.card ? "the_bhyt" : "khong", patient_key: v.card ? `C:${v.card}` : null,
      visit_type: v.type, source: "csv", fingerprint: v.maLk, updated_at: t,
    }).execute();
    if (v.receipt) {
      await db.insertInto("gateway_receipt").values({
        facility_id: clinic.id, ma_lk: v.maLk, received_at: t + 7200, result_code: "200", accepted: 1, message: null, identity: `${v.maLk}|ok`,
      }).execute();
    }
  }
  await db.transaction().execute((trx) => updateDerived(trx, { records: extra.map((v) => ({ facilityId: clinic.id, maLk: v.maLk })), residents: [] }));
});

afterAll(async () => {
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const draftOf = (kind: "R1" | "R2" | "R4", period = march) =>
  buildContent(db, { wardId, kind, period, asOf, number: null, day: null, difficulties: "Đường truyền chậm.", proposals: "Cấp thêm máy quét." });

describe("R1 progress report", () => {
  let content: ReportContent;
  let ws: ExcelJS.Worksheet;
  beforeAll(async () => {
    content = await draftOf("R1");
    ws = await load(await reportXlsx(content));
  });

  it("has the Decree 30 header, title, summary, fonts and A4 page setup", () => {
    expect(ws.getCell("A1").value).toBe("ỦY BAN NHÂN DÂN");
    expect(ws.getCell("A2").value).toBe("PHƯỜNG THÍ ĐIỂM");
    expect(ws.getCell("E1").value).toBe("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(ws.getCell("E2").value).toBe("Độc lập - Tự do - Hạnh phúc");
    expect(ws.getCell("D1").master.address).toBe("A1");
    expect(ws.getCell("K1").master.address).toBe("E1");
    expect(String(ws.getCell("A4").value)).toMatch(/^Số: +\/BC-UBND$/);
    expect(ws.getCell("A6").value).toBe("BÁO CÁO");
    expect(ws.getCell("A7").value).toBe("Kết quả triển khai thí điểm Sổ sức khỏe điện tử tháng 3 năm 2026");
    ws.eachRow((row) => row.eachCell((cell) => {
      if (cell.value !== null && cell.value !== "") expect(cell.font?.name, cell.address).toBe(DOCUMENT_FONT);
    }));
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: "portrait", fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printArea).toBe(`A1:K${ws.rowCount}`);
    expect(ws.headerFooter.oddFooter).toContain("&P");
  });

  it("holds exactly the engine's figures, per facility, for the ward and per block, each against its target", async () => {
    const q = { wardId, period: march, asOf };
    const ward = await computeMetrics(db, q);
    const facilities = await facilityBreakdown(db, q);
    const i1 = rowsLabelled(ws, "Lượt KCB tiếp nhận bằng định danh (I1)");
    const i2 = rowsLabelled(ws, "Hồ sơ đã liên thông lên Cổng giám định BHYT (I2)");
    const i3 = rowsLabelled(ws, "Hồ sơ hiển thị trên VNeID trong 24 giờ (I3)");
    expect(i1).toHaveLength(facilities.length + 1);
    const all = [...(await Promise.all(facilities.map((f) => computeMetrics(db, { ...q, facilityCode: f.facilityCode })))), ward];
    all.forEach((m, k) => {
      expect([num(i1[k], 5), num(i1[k], 6), num(i1[k], 7)]).toEqual([m.i1.total, m.i1.identified, m.i1.rate]);
      expect([num(i2[k], 5), num(i2[k], 6), num(i2[k], 7)]).toEqual([m.i2.ended, m.i2.sent, m.i2.rate]);
      expect([num(i3[k], 5), num(i3[k], 6), num(i3[k], 7)]).toEqual([m.i3.onTime + m.i3.late + m.i3.overdue + m.i3.pending, m.i3.onTime, m.i3.rate]);
    });
    expect(i1[0].getCell(5).numFmt).toBe(COUNT_FORMAT);
    expect(i1[0].getCell(7).numFmt).toBe(PERCENT_FORMAT);
    // The ward's targets (I1 80 % for March, I3 90 % for 2026) marked as the engine's target status says; I2 has none.
    const statuses = await evaluateTargets(db, q, ward);
    const label = (indicator: string) => ({ met: "Đạt", not_met: "Chưa đạt", no_data: "Chưa có số liệu" })[statuses.find((t) => t.indicator === indicator)!.status];
    const wardRow = (rows: ExcelJS.Row[]) => rows[rows.length - 1];
    expect([num(wardRow(i1), 8), wardRow(i1).getCell(9).value]).toEqual([0.8, label("i1.rate")]);
    expect([num(wardRow(i3), 8), wardRow(i3).getCell(9).value]).toEqual([0.9, label("i3.rate")]);
    expect(label("i3.rate")).toBe("Chưa đạt"); // 50 % against 90 %
    expect([num(wardRow(i2), 8), wardRow(i2).getCell(9).value]).toEqual([null, "Không có chỉ tiêu"]);

    for (const b of ward.i4.blocks) {
      const [row] = rowsLabelled(ws, b.block);
      expect([num(row, 3), num(row, 4), num(row, 5), num(row, 6), num(row, 7), num(row, 9)], b.block).toEqual([
        b.eligible, b.vneidInstalled, b.level2Activated, b.bhytLinked, b.fullyOnboarded, b.newInPeriod.fullyOnboarded,
      ]);
      expect(num(row, 8)).toBe(b.eligible ? b.fullyOnboarded / b.eligible : null);
    }
    // Khối 3's own target (5 % fully onboarded) against 1/100: Chưa đạt; Khối 5 has none.
    const [k3] = rowsLabelled(ws, "Khối 3");
    expect([num(k3, 10), k3.getCell(11).value]).toEqual([0.05, "Chưa đạt"]);
    expect(rowsLabelled(ws, "Khối 5")[0].getCell(11).value).toBe("Không có chỉ tiêu");
    const [total] = rowsLabelled(ws, "Toàn phường").filter((r) => typeof r.getCell(3).value === "number");
    expect([num(total, 3), num(total, 7)]).toEqual([ward.i4.ward.eligible, ward.i4.ward.fullyOnboarded]);
    // The block rows add up to the ward row.
    const blocks = ward.i4.blocks.map((b) => rowsLabelled(ws, b.block)[0]);
    for (const col of [4, 5, 6, 7, 9]) expect(blocks.reduce((n, r) => n + (num(r, col) ?? 0), 0)).toBe(num(total, col));

    // Targets table: every applicable target, with the engine's status.
    for (const t of statuses) expect(content.r1!.targets.some((x) => x.targetId === t.targetId && x.status === t.status)).toBe(true);

    // I5 and I6 (the year to date).
    expect(num(rowsLabelled(ws, "Tổng số hoạt động")[0], 9)).toBe(ward.i5.total);
    expect(num(rowsLabelled(ws, "Lượt người được tiếp cận")[0], 9)).toBe(ward.i5.reach);
    const ytd = await computeMetrics(db, { ...q, period: parsePeriod(`2026-01-01..${lastDay(march)}`) });
    expect(num(rowsLabelled(ws, "Đã chi (đồng)")[0], 9)).toBe(ytd.i6.spent);
    expect(num(rowsLabelled(ws, "Được phê duyệt (đồng)")[0], 9)).toBe(ytd.i6.approved);
    expect(num(rowsLabelled(ws, "Tỷ lệ giải ngân")[0], 9)).toBe(ytd.i6.executionRate);
  });

  it("ends with the staff's texts, the signature block and Nơi nhận", () => {
    const texts: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => typeof c.value === "string" && texts.push(c.value)));
    for (const t of ["4. Khó khăn, vướng mắc", "Đường truyền chậm.", "5. Đề xuất, kiến nghị", "Cấp thêm máy quét.", "Nơi nhận:", "- UBND thị xã;", "- Lưu: VT, VH.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hồ Xuân Hùng"]) {
      expect(texts).toContain(t);
    }
  });
});

describe("R2 six-monthly facility table", () => {
  it("has six labelled visit-type rows, four figure columns in order, totals equal to the engine's I2", async () => {
    const content = await draftOf("R2", h1);
    const ws = await load(await reportXlsx(content));
    const q = { wardId, period: h1, asOf };
    const engine = await facilityBreakdown(db, q);
    const totals = rowsLabelled(ws, "Tổng cộng");
    expect(totals).toHaveLength(engine.length + 1);
    engine.forEach((f, k) => {
      const t = totals[k];
      expect(num(t, 8), f.facilityCode).toBe(f.i2.ended); // total visits
      expect(num(t, 9), f.facilityCode).toBe(f.i2.sent); // total sent
      expect(num(t, 4)! + num(t, 6)!).toBe(f.i2.ended);
      expect(num(t, 5)! + num(t, 7)!).toBe(f.i2.sent);
    });
    // Group header and the column order: with insurance — visits, sent; without — visits, sent; totals.
    const header = rowsLabelled(ws, "Loại hình khám bệnh, chữa bệnh")[0];
    const groupRow = ws.getRow(header.number);
    expect([groupRow.getCell(4).value, groupRow.getCell(6).value, groupRow.getCell(8).value]).toEqual(["Có thẻ BHYT", "Không có thẻ BHYT", "Tổng số"]);
    const sub = ws.getRow(header.number + 1);
    expect([4, 5, 6, 7, 8, 9].map((c) => sub.getCell(c).value)).toEqual(["Số lượt KCB", "Đã gửi lên Cổng", "Số lượt KCB", "Đã gửi lên Cổng", "Số lượt KCB", "Đã gửi lên Cổng"]);
    expect(ws.getCell(header.number + 1, 2).master.address).toBe(ws.getCell(header.number, 2).address); // spans both header rows
    expect(ws.pageSetup.printTitlesRow).toBe(`${header.number}:${header.number + 1}`);
    // The clinic: inpatient (03) with a card and sent, drugs by appointment (07) with a card not sent, telemedicine (14) without a card, sent.
    const clinic = content.r2!.facilities.find((f) => f.code === "79002")!;
    expect(clinic.rows.map((r) => r.label)).toEqual([
      "Khám bệnh ngoại trú", "Điều trị ngoại trú", "Lĩnh thuốc theo hẹn", "Điều trị nội trú", "Điều trị nội trú ban ngày", "Khám bệnh, chữa bệnh từ xa",
    ]);
    const row = (label: string) => clinic.rows.find((r) => r.label === label)!;
    expect(row("Điều trị nội trú")).toMatchObject({ insuredVisits: 1, insuredSent: 1, uninsuredVisits: 0, uninsuredSent: 0 });
    expect(row("Lĩnh thuốc theo hẹn")).toMatchObject({ insuredVisits: 1, insuredSent: 0 });
    expect(row("Khám bệnh, chữa bệnh từ xa")).toMatchObject({ insuredVisits: 0, uninsuredVisits: 1, uninsuredSent: 1 });
  });
});

describe("R4 work list", () => {
  it("lists the engine's work list, longest waiting first, without personal identifiers", async () => {
    const content = await draftOf("R4");
    const list = await workList(db, { wardId, period: march, asOf }, { limit: 1000, offset: 0 });
    expect(content.r4!.rows.map((r) => [r.kind, r.maLk])).toEqual(list.rows.map((r) => [r.kind, r.maLk]));
    const ws = await load(await reportXlsx(content));
    const cells: string[] = [];
    ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
    expect(cells.join("|")).not.toContain("7319");
    for (const r of list.rows) expect(cells).toContain(r.maLk);
    expect(ws.pageSetup.printTitlesRow).toMatch(/^\d+:\d+$/);
  });
});

describe("lifecycle", () => {
  const actor = (role: Actor["role"], id = 1): Actor => ({ id, role, wardId });
  const now = localToEpoch(2026, 4, 2, 9);
  let users: Record<string, number>;
  beforeAll(async () => {
    users = {};
    for (const [name, role] of [["lanhdao", "lanh_dao"], ["tramyte", "tram_y_te"], ["vanhoa", "van_hoa"], ["congan", "cong_an"]] as const) {
      const { id } = await db.insertInto("app_user").values({
        ward_id: wardId, username: name, display_name: name, role, block_id: null, password_hash: "x", disabled: 0,
        created_at: now, password_changed_at: now, last_login_at: null,
      }).returning("id").executeTakeFirstOrThrow();
      users[role] = id;
    }
  });
  const as = (role: Actor["role"]) => actor(role, users[role]);

  async function refused(p: Promise<unknown>, status: number) {
    const error = await p.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).status).toBe(status);
  }

  it("is drafted, reviewed and submitted by the roles allowed, refused for the others, and frozen on submission", async () => {
    await refused(createDraft(db, as("cong_an"), "R1", "2026-03", now), 403);
    await refused(createDraft(db, as("van_hoa"), "R2", "2026-03", now), 400); // R2 is six-monthly
    const id = await createDraft(db, as("van_hoa"), "R1", "2026-03", now);
    expect(await createDraft(db, as("lanh_dao"), "R1", "2026-03", now)).toBe(id); // one open draft per period
    await saveTexts(db, as("van_hoa"), id, { difficulties: "Thiếu máy quét.", proposals: "Hỗ trợ kinh phí." }, now);
    await refused(submitReport(db, as("lanh_dao"), id, now), 409); // not reviewed yet
    await refused(reviewReport(db, as("tram_y_te"), id, now), 403);
    await reviewReport(db, as("lanh_dao"), id, now);
    await refused(saveTexts(db, as("van_hoa"), id, { difficulties: "x", proposals: "y" }, now), 409); // texts closed once reviewed
    await reopenReport(db, as("lanh_dao"), id);
    await reviewReport(db, as("lanh_dao"), id, now);
    await refused(submitReport(db, as("van_hoa"), id, now), 403);
    await refused(submitReport(db, as("tram_y_te"), id, now), 403);
    const { number, sha256: hash } = await submitReport(db, as("lanh_dao"), id, now);
    expect(number).toBe(1);

    const row = await getReport(db, wardId, id);
    expect(row.status).toBe("submitted");
    expect(row.as_of).toBe(asOf);
    const frozen = JSON.parse(row.figures_json!) as ReportContent;
    expect(frozen.frame.number).toBe(1);
    expect(frozen.frame.day).toBe("2026-04-02");
    expect(frozen.difficulties).toBe("Thiếu máy quét.");
    const ws = await load(new Uint8Array(row.xlsx!));
    expect(ws.getCell("A4").value).toBe("Số: 01/BC-UBND");
    expect(ws.getCell("E4").value).toBe("Thí Điểm, ngày 02 tháng 04 năm 2026");
    expect(sha256(await xlsxOf(db, row, now + 86400 * 40))).toBe(hash);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(row.xlsx!) as unknown as ArrayBuffer);
    expect(wb.created.getTime()).toBe(asOf * 1000);
    expect(wb.modified.getTime()).toBe(asOf * 1000);

    // A new import through the pipeline changes the live figures, never the submitted file.
    const liveBefore = (await liveContent(db, row, now)).r1!.ward;
    const csv = "ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep\n79001,TYT0304,GD-NEW-1,2026-03-20T10:00:00+07:00,200,Thành công\n";
    const [outcome] = await importFiles(
      db,
      { wardId, userId: null, tokenId: null, channel: "cli", role: null, blockId: null, username: "test" },
      [{ name: "ket-qua-gui.csv", bytes: new TextEncoder().encode(csv) }],
    );
    expect(outcome.status).toBe("committed");
    const liveAfter = (await liveContent(db, row, now)).r1!.ward;
    expect(liveAfter[1].part).toBe(liveBefore[1].part + 1); // one more record sent
    const again = await getReport(db, wardId, id);
    expect(sha256(await xlsxOf(db, again, now + 86400 * 60))).toBe(hash);
    expect(again.figures_json).toBe(row.figures_json);

    // A correction: a new version naming the old one, which stays as it was.
    await refused(createDraft(db, as("van_hoa"), "R1", "2026-03", now), 409);
    await refused(correctReport(db, as("cong_an"), id, now), 403);
    const v2 = await correctReport(db, as("van_hoa"), id, now + 60);
    const corrected = await getReport(db, wardId, v2);
    expect(corrected).toMatchObject({ version: 2, replaces_id: id, status: "draft", difficulties: "Thiếu máy quét.", number: null });
    await refused(correctReport(db, as("van_hoa"), id, now), 409); // only the latest version is corrected
    await reviewReport(db, as("lanh_dao"), v2, now + 120);
    const second = await submitReport(db, as("lanh_dao"), v2, now + 180);
    expect(second.number).toBe(2); // the year's next number
    expect(second.sha256).not.toBe(hash); // it carries the new receipt
    expect(sha256(await xlsxOf(db, await getReport(db, wardId, id), now))).toBe(hash);
  });

  it("writes the same bytes for a draft from the web and from the command line", async () => {
    const id = await createDraft(db, as("tram_y_te"), "R2", "2026-H1", now);
    const row = await getReport(db, wardId, id);
    const web = await xlsxOf(db, row, now); // a period in progress: as of now
    const out = path.join(dir, "r2.xlsx");
    const { run } = await import("../../scripts/cli/report");
    const realNow = Date.now;
    Date.now = () => now * 1000;
    try {
      expect(await run(["r2", "--period", "2026-H1", "--out", out])).toBe(0);
    } finally {
      Date.now = realNow;
    }
    expect(sha256(new Uint8Array(fs.readFileSync(out)))).toBe(sha256(web));
    expect(await run(["r2", "--period", "2026-03", "--out", out])).toBe(2);
  });
});
