// CSV, XLSX and JSON sources: recognised by their header, headers matched by name or
// Vietnamese label regardless of case, spaces and diacritics, coded values by code or label.
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { hashPersonalId } from "~/server/crypto.server";
import { localToEpoch } from "~/domain/time";
import { cli, count, csv, importOne, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

async function xlsx(rows: unknown[][], setup?: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Dữ liệu");
  for (const r of rows) ws.addRow(r);
  setup?.(ws);
  wb.addWorksheet("Khác").addRow(["khoi", "dan_so"]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("recognising the kind", () => {
  it.each([
    ["visits_table", "ma_cskcb,ma_lk,ngay_vao\n38A15,PK1,04/03/2026 08:00\n"],
    ["receipts", "ma_cskcb,ma_lk,thoi_gian_tiep_nhan,ma_ket_qua\n38120,LK1,20260304100000,200\n"],
    ["displays", "ma_cskcb,ma_lk,thoi_gian_hien_thi,nguon\n38120,LK1,04/03/2026 20:00,bhxh\n"],
    ["onboarding", "khoi,so_dinh_danh\n3,040090001234\n"],
    ["population", "khoi,ngay_hieu_luc,dan_so\nKhối 1,01/01/2026,1450\n"],
    ["activities", "ngay,loai,don_vi\n05/03/2026,hoi_nghi,ubnd\n"],
  ])("a CSV with the %s header", async (kind, text) => {
    const outcome = await importOne(db, cli(wardId), "data.txt", text);
    expect(outcome).toMatchObject({ kind, status: "committed", counts: { new: 1, invalid: 0 } });
  });

  it("refuses an unrecognised file and lists the accepted kinds", async () => {
    const outcome = await importOne(db, cli(wardId), "ket-qua-gui.csv", "ho_ten,dia_chi\nAn,Hà Nội\n");
    expect(outcome.status).toBe("refused");
    expect(outcome.kind).toBeNull();
    expect(outcome.errors[0].reason).toMatch(/Không nhận ra loại tệp.*Kết quả gửi hồ sơ lên Cổng giám định BHYT.*Hoạt động tuyên truyền/);
  });

  it("names the missing required column of the nearest kind", async () => {
    const outcome = await importOne(db, cli(wardId), "r.csv", "ma_cskcb,ma_lk,thoi_gian_tiep_nhan\n38120,LK1,20260304100000\n");
    expect(outcome.errors[0].reason).toMatch(/^Giống mẫu “Kết quả gửi hồ sơ.*” nhưng thiếu cột: "Mã kết quả" \(ma_ket_qua\)/);
  });

  it("says so when a CSV is not UTF-8 (Excel's plain \"CSV\")", async () => {
    const windows1258 = Buffer.from([...Buffer.from("M"), 0xe3, ...Buffer.from(" c"), 0xf4, ...Buffer.from(" s"), 0xf4, ...Buffer.from(" KCB,ma_lk\n")]);
    const outcome = await importOne(db, cli(wardId), "excel.csv", windows1258);
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toMatch(/không phải mã UTF-8/);
  });

  it("refuses binary garbage and an empty file", async () => {
    const garbage = await importOne(db, cli(wardId), "x.csv", new Uint8Array([0, 1, 2, 3, 255, 254, 10, 0]));
    expect(garbage.status).toBe("refused");
    const empty = await importOne(db, cli(wardId), "y.csv", "");
    expect(empty.status).toBe("refused");
    const headerOnly = await importOne(db, cli(wardId), "z.csv", "khoi,ngay_hieu_luc,dan_so\n");
    expect(headerOnly).toMatchObject({ kind: "population", status: "refused" });
    expect(headerOnly.errors[0].reason).toMatch(/không có dòng dữ liệu/);
  });
});

describe("CSV", () => {
  it("reads UTF-8 with BOM, semicolons, Vietnamese labels in any case and without accents, labels as coded values", async () => {
    const text = "\uFEFF" + csv([
      ["MÃ CƠ SỞ KCB", "ma luot kcb", "Thời gian vào", "Thoi gian ra", "Số định danh / CCCD", "Số thẻ BHYT", "hình thức tiếp nhận"],
      ["38A15", "PK1", "10/02/2026 05:15", "10/02/2026 05:24", "", "CK1663180239857", "Thẻ BHYT"],
      ["38A15", "PK2", "2026-02-04T02:11:00+07:00", "", "064086398968", "", "the_can_cuoc"],
      ["38A15", "PK3", "20260204", "", "", "", "KHONG"],
    ], ";");
    const outcome = await importOne(db, cli(wardId), "phong-kham.csv", text);
    expect(outcome).toMatchObject({ kind: "visits_table", counts: { new: 3, invalid: 0 } });
    const rows = await db.selectFrom("visit").select(["ma_lk", "checkin_at", "ended_at", "method", "declared_method", "source", "visit_type"]).orderBy("ma_lk").execute();
    expect(rows).toEqual([
      { ma_lk: "PK1", checkin_at: localToEpoch(2026, 2, 10, 5, 15), ended_at: localToEpoch(2026, 2, 10, 5, 24), method: "the_bhyt", declared_method: "the_bhyt", source: "csv", visit_type: "01" },
      { ma_lk: "PK2", checkin_at: localToEpoch(2026, 2, 4, 2, 11), ended_at: null, method: "the_can_cuoc", declared_method: "the_can_cuoc", source: "csv", visit_type: "01" },
      { ma_lk: "PK3", checkin_at: localToEpoch(2026, 2, 4), ended_at: null, method: "khong", declared_method: "khong", source: "csv", visit_type: "01" },
    ]);
  });

  it("lists each invalid row with its line number and a Vietnamese reason", async () => {
    const text = csv([
      ["ma_cskcb", "ma_lk", "thoi_gian_tiep_nhan", "ma_ket_qua", "thong_diep"],
      ["38120", "LK1", "20260304100000", "200", "Thành công"],
      ["38120", "", "20260304100000", "200", ""],
      ["38120", "LK3", "31/02/2026", "E101", "Sai mã thẻ"],
      ["38120", "LK4", "20260304100000", "", ""],
    ]);
    const outcome = await importOne(db, cli(wardId), "r.csv", text);
    expect(outcome.counts).toEqual({ new: 1, updated: 0, unchanged: 0, invalid: 3 });
    expect(outcome.errors).toEqual([
      { line: 3, field: "ma_lk", reason: 'Thiếu "Mã lượt KCB" (ma_lk).' },
      { line: 4, field: "thoi_gian_tiep_nhan", reason: '"Thời gian tiếp nhận" (thoi_gian_tiep_nhan) là ngày không có thật: "31/02/2026" — tháng 2/2026 không có ngày 31.' },
      { line: 5, field: "ma_ket_qua", reason: 'Thiếu "Mã kết quả" (ma_ket_qua).' },
    ]);
  });

  it("refuses a CSV whose header names a column twice", async () => {
    const outcome = await importOne(db, cli(wardId), "d.csv", "khoi,Khối,so_dinh_danh\n1,1,040090001234\n");
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toMatch(/xuất hiện hai lần/);
  });

  it("flags a row with more cells than the header, and skips blank lines", async () => {
    const outcome = await importOne(db, cli(wardId), "p.csv", "khoi,ngay_hieu_luc,dan_so\n1,01/01/2026,1450\n\n2,01/01/2026,1437,extra\n,,\n");
    expect(outcome.counts).toEqual({ new: 1, updated: 0, unchanged: 0, invalid: 1 });
    expect(outcome.errors[0]).toMatchObject({ line: 4 });
  });
});

describe("XLSX", () => {
  it("reads the first sheet, header in row 1, real Excel date cells, and an ID typed as a number", async () => {
    const bytes = await xlsx([
      ["Khối", "Số định danh cá nhân", "Ngày cài đặt VNeID", "Ngày kích hoạt định danh mức 2", "Đơn vị hỗ trợ"],
      ["Khối 3", 40090001234, new Date(Date.UTC(2026, 2, 4)), "05/03/2026", "Công an phường"],
      [{ richText: [{ text: "Khối " }, { text: "4" }] }, "040090005678", new Date(Date.UTC(2026, 2, 6, 23, 30)), null, "khac"],
    ]);
    const outcome = await importOne(db, cli(wardId), "ho-tro.bin", bytes);
    expect(outcome).toMatchObject({ kind: "onboarding", counts: { new: 2, invalid: 0 } });
    const rows = await db.selectFrom("onboarding_record").innerJoin("block", "block.id", "onboarding_record.block_id")
      .select(["block.number", "pid_hash", "vneid_installed_on", "level2_activated_on", "support_unit"]).orderBy("onboarding_record.id").execute();
    expect(rows).toEqual([
      { number: 3, pid_hash: hashPersonalId("040090001234"), vneid_installed_on: "2026-03-04", level2_activated_on: "2026-03-05", support_unit: "cong_an" },
      { number: 4, pid_hash: hashPersonalId("040090005678"), vneid_installed_on: "2026-03-06", level2_activated_on: null, support_unit: "khac" },
    ]);
  });

  it("refuses a damaged workbook", async () => {
    const bytes = await xlsx([["khoi", "dan_so"]]);
    const damaged = bytes.slice(0, Math.floor(bytes.length / 2));
    const outcome = await importOne(db, cli(wardId), "x.xlsx", damaged);
    expect(outcome.status).toBe("refused");
  });
});

describe("JSON", () => {
  it("reads gateway results under the gateway's own names and under the column names", async () => {
    const gateway = JSON.stringify([
      { maCSKCB: "38120", maLK: "LK1", maGiaoDich: "GD1", thoiGianTiepNhan: "20260304100000", maKetQua: "200", thongDiep: "Thành công" },
      { ma_cskcb: "38120", ma_lk: "LK2", ma_giao_dich: "GD2", thoi_gian_tiep_nhan: "20260304110000", ma_ket_qua: "E101", thong_diep: "Sai mã thẻ BHYT" },
    ]);
    const outcome = await importOne(db, cli(wardId), "ket-qua.json", gateway);
    expect(outcome).toMatchObject({ kind: "receipts", counts: { new: 2, invalid: 0 } });
    expect(await db.selectFrom("gateway_receipt").select(["ma_lk", "accepted", "result_code", "message"]).orderBy("ma_lk").execute()).toEqual([
      { ma_lk: "LK1", accepted: 1, result_code: "200", message: "Thành công" },
      { ma_lk: "LK2", accepted: 0, result_code: "E101", message: "Sai mã thẻ BHYT" },
    ]);
  });

  it("refuses JSON that is not an array of objects", async () => {
    for (const text of ['{"a":1}', "[1,2]", "[{", "[]"]) {
      const outcome = await importOne(db, cli(wardId), "x.json", text);
      expect(outcome.status).toBe("refused");
    }
    expect(await count(db, "gateway_receipt")).toBe(0);
  });
});
