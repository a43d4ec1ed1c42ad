// The rules of each source: identity, re-import (new / updated / unchanged), receipts
// accepted or rejected, display confirmations against receipts, onboarding and population
// rows, activities refused as duplicates; a dry run writes nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { hashCardNumber, hashPersonalId } from "~/server/crypto.server";
import { importRows } from "~/server/import/pipeline.server";
import { localToEpoch } from "~/domain/time";
import { cli, count, csv, envelope, importOne, importTexts, snapshot, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const VISITS_HEADER = ["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "ma_the_bhyt", "hinh_thuc", "ma_loai_kcb"];

describe("visits", () => {
  it("applies METRICS.md I1: declared method, else personal ID, else card; none without a valid identifier", async () => {
    const text = csv([
      VISITS_HEADER,
      ["38A15", "V1", "04/03/2026 08:00", "", "040090001234", "DN4404012345678", "", ""],
      ["38A15", "V2", "04/03/2026 08:00", "", "", "DN4404012345678", "", "7"],
      ["38A15", "V3", "04/03/2026 08:00", "", "", "bad;HC3123658770014", "the_can_cuoc", ""],
      ["38A15", "V4", "04/03/2026 08:00", "", "1234", "", "so_dinh_danh", ""],
      ["38A15", "V5", "04/03/2026 08:00", "", "", "0123456789", "", ""],
    ]);
    await importOne(db, cli(wardId), "v.csv", text);
    const rows = await db.selectFrom("visit").select(["ma_lk", "method", "patient_key", "card_hash", "card_last4", "visit_type"]).orderBy("ma_lk").execute();
    expect(rows).toEqual([
      { ma_lk: "V1", method: "so_dinh_danh", patient_key: `P:${hashPersonalId("040090001234")}`, card_hash: hashCardNumber("4012345678"), card_last4: "5678", visit_type: "01" },
      { ma_lk: "V2", method: "the_bhyt", patient_key: `C:${hashCardNumber("4012345678")}`, card_hash: hashCardNumber("4012345678"), card_last4: "5678", visit_type: "07" },
      // In a ';' list the first valid card counts; the declared method stands when an identifier is valid.
      { ma_lk: "V3", method: "the_can_cuoc", patient_key: `C:${hashCardNumber("3658770014")}`, card_hash: hashCardNumber("3658770014"), card_last4: "0014", visit_type: "01" },
      { ma_lk: "V4", method: "khong", patient_key: null, card_hash: null, card_last4: null, visit_type: "01" },
      { ma_lk: "V5", method: "the_bhyt", patient_key: `C:${hashCardNumber("0123456789")}`, card_hash: hashCardNumber("0123456789"), card_last4: "6789", visit_type: "01" },
    ]);
  });

  it("is idempotent: the same file twice is unchanged the second time, and says so", async () => {
    const text = envelope([{ MA_LK: "I1", MA_CSKCB: "38120", SO_CCCD: "040090001234", NGAY_VAO: "202603040815", NGAY_RA: "202603040840" }]);
    const first = await importOne(db, cli(wardId), "a.xml", text);
    const before = await snapshot(db);
    const second = await importOne(db, cli(wardId), "a.xml", text);
    expect(first.status).toBe("committed");
    expect(second).toMatchObject({ status: "unchanged", counts: { new: 0, updated: 0, unchanged: 1, invalid: 0 } });
    expect(await snapshot(db)).toEqual(before);
    const batches = await db.selectFrom("import_batch").select(["status", "content_hash"]).orderBy("id").execute();
    expect(batches.map((b) => b.status)).toEqual(["committed", "unchanged"]);
    expect(batches[0].content_hash).toBe(batches[1].content_hash);
  });

  it("re-importing a visit with changed fields replaces them and never adds a second visit", async () => {
    const row = ["38A15", "R1", "04/03/2026 08:00", "", "", "", "", ""];
    await importOne(db, cli(wardId), "a.csv", csv([VISITS_HEADER, row]));
    const changed = await importOne(db, cli(wardId), "b.csv", csv([VISITS_HEADER, [...row.slice(0, 3), "04/03/2026 09:00", "040090001234", "", "", ""]]));
    expect(changed.counts).toEqual({ new: 0, updated: 1, unchanged: 0, invalid: 0 });
    expect(await count(db, "visit")).toBe(1);
    expect(await db.selectFrom("visit").select(["ended_at", "method"]).executeTakeFirstOrThrow()).toEqual({ ended_at: localToEpoch(2026, 3, 4, 9, 0), method: "so_dinh_danh" });
  });

  it("keys a visit by (facility, MA_LK): the same MA_LK at two facilities is two visits", async () => {
    await importOne(db, cli(wardId), "a.csv", csv([VISITS_HEADER, ["38A15", "K1", "04/03/2026 08:00", "", "", "", "", ""], ["38120", "K1", "04/03/2026 08:00", "", "", "", "", ""]]));
    expect(await count(db, "visit")).toBe(2);
    const facilities = await db.selectFrom("visit").select("facility_id").distinct().execute();
    expect(facilities).toHaveLength(2);
  });
});

describe("gateway receipts", () => {
  const HEADER = ["ma_cskcb", "ma_lk", "ma_giao_dich", "thoi_gian_tiep_nhan", "ma_ket_qua", "thong_diep"];

  it("accepts only 200, keeps rejections with their message, and identifies by transaction id, else by content", async () => {
    const text = csv([
      HEADER,
      ["38120", "LK1", "GD1", "20260304100000", "E101", "Sai mã thẻ BHYT"],
      ["38120", "LK1", "GD2", "20260304120000", "200", "Thành công"],
      ["38120", "LK2", "", "20260304130000", "E205", "Thiếu chẩn đoán"],
    ]);
    const outcome = await importOne(db, cli(wardId), "k.csv", text);
    expect(outcome.counts.new).toBe(3);
    const rows = await db.selectFrom("gateway_receipt").select(["ma_lk", "identity", "accepted", "result_code", "message", "received_at"]).orderBy("id").execute();
    expect(rows).toEqual([
      { ma_lk: "LK1", identity: "T:GD1", accepted: 0, result_code: "E101", message: "Sai mã thẻ BHYT", received_at: localToEpoch(2026, 3, 4, 10, 0) },
      { ma_lk: "LK1", identity: "T:GD2", accepted: 1, result_code: "200", message: "Thành công", received_at: localToEpoch(2026, 3, 4, 12, 0) },
      { ma_lk: "LK2", identity: `K:38120|LK2|${localToEpoch(2026, 3, 4, 13, 0)}|E205`, accepted: 0, result_code: "E205", message: "Thiếu chẩn đoán", received_at: localToEpoch(2026, 3, 4, 13, 0) },
    ]);
    // The same receipts again, as the gateway's JSON: nothing new.
    const again = await importOne(db, cli(wardId), "k.json", JSON.stringify([
      { maCSKCB: "38120", maLK: "LK1", maGiaoDich: "GD1", thoiGianTiepNhan: "20260304100000", maKetQua: "E101", thongDiep: "Sai mã thẻ BHYT" },
      { maCSKCB: "38120", maLK: "LK2", maGiaoDich: "", thoiGianTiepNhan: "2026-03-04T06:00:00Z", maKetQua: "E205", thongDiep: "Thiếu chẩn đoán" },
    ]));
    expect(again).toMatchObject({ status: "unchanged", counts: { unchanged: 2 } });
    // A corrected message for a known transaction updates it.
    const fixed = await importOne(db, cli(wardId), "k2.csv", csv([HEADER, ["38120", "LK1", "GD1", "20260304100000", "E101", "Sai mã thẻ (đã sửa)"]]));
    expect(fixed.counts.updated).toBe(1);
    expect(await count(db, "gateway_receipt")).toBe(3);
  });
});

describe("display confirmations", () => {
  async function receipt(maLk: string, time: string, code = "200") {
    await importOne(db, cli(wardId), `r-${maLk}-${time}.csv`, csv([["ma_cskcb", "ma_lk", "thoi_gian_tiep_nhan", "ma_ket_qua"], ["38120", maLk, time, code]]));
  }

  it("warns of one earlier than the first accepted receipt and of an unmatched one, and stores every one", async () => {
    await receipt("D1", "20260304100000", "E101");
    await receipt("D1", "20260304120000");
    const text = csv([
      ["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"],
      ["38120", "D1", "04/03/2026 11:00", "bhxh"], // before the first accepted receipt (12:00): stored, not counted
      ["38120", "D1", "05/03/2026 09:00", "kiem_tra"],
      ["38120", "D1", "04/03/2026 20:00", "Phản hồi của BHXH"],
      ["38120", "D9", "04/03/2026 20:00", "bhxh"], // no accepted receipt yet
    ]);
    const outcome = await importOne(db, cli(wardId), "h.csv", text);
    expect(outcome.counts).toEqual({ new: 4, updated: 0, unchanged: 0, invalid: 0 });
    expect(outcome.errors).toEqual([]);
    expect(outcome.warnings).toEqual([
      expect.objectContaining({ line: 2, field: "thoi_gian_hien_thi", reason: expect.stringMatching(/sớm hơn lần tiếp nhận được chấp nhận đầu tiên \(04\/03\/2026 12:00\)/) }),
      expect.objectContaining({ line: 5, reason: expect.stringMatching(/Chưa khớp: hồ sơ 38120\/D9/) }),
    ]);
    const rows = await db.selectFrom("display_confirmation").select(["ma_lk", "displayed_at", "source"]).orderBy("id").execute();
    expect(rows).toEqual([
      { ma_lk: "D1", displayed_at: localToEpoch(2026, 3, 4, 11, 0), source: "bhxh" },
      { ma_lk: "D1", displayed_at: localToEpoch(2026, 3, 5, 9, 0), source: "kiem_tra" },
      { ma_lk: "D1", displayed_at: localToEpoch(2026, 3, 4, 20, 0), source: "bhxh" },
      { ma_lk: "D9", displayed_at: localToEpoch(2026, 3, 4, 20, 0), source: "bhxh" },
    ]);
    const again = await importOne(db, cli(wardId), "h.csv", text);
    expect(again).toMatchObject({ status: "unchanged", counts: { unchanged: 4, invalid: 0 } });
  });
});

describe("onboarding", () => {
  const HEADER = ["khoi", "so_dinh_danh", "ngay_cai_vneid", "ngay_kich_hoat_muc2", "ngay_tich_hop_bhyt", "don_vi_ho_tro"];

  it("refuses rows with an invalid personal ID or an unknown block; finds blocks by name or number", async () => {
    const text = csv([
      HEADER,
      ["Khối 3", "040090001234", "01/03/2026", "", "", "cong_an"],
      ["3", "040090001235", "2026-03-02", "", "", "Ban cán sự khối"],
      ["khoi 9", "040090001236", "", "", "", ""],
      ["Khối 12", "040090001237", "01/03/2026", "", "", ""],
      ["1", "04009000123", "01/03/2026", "", "", ""],
      ["1", "040090001238", "hôm qua", "", "", ""],
    ]);
    const outcome = await importOne(db, cli(wardId), "o.csv", text);
    expect(outcome.counts).toEqual({ new: 3, updated: 0, unchanged: 0, invalid: 3 });
    expect(outcome.errors.map((e) => [e.line, e.field])).toEqual([[5, "khoi"], [6, "so_dinh_danh"], [7, "ngay_cai_vneid"]]);
    expect(outcome.warnings).toEqual([expect.objectContaining({ line: 4, reason: "Dòng không có ngày nào của ba bước." })]);
  });

  it("stores every row (the earliest date stands at read time) and a re-import is unchanged", async () => {
    const text = csv([HEADER, ["1", "040090001234", "05/03/2026", "", "", ""], ["2", "040090001234", "01/03/2026", "02/03/2026", "", ""]]);
    expect((await importOne(db, cli(wardId), "o1.csv", text)).counts.new).toBe(2);
    expect(await importOne(db, cli(wardId), "o1-again.csv", text)).toMatchObject({ status: "unchanged", counts: { unchanged: 2 } });
    const rows = await db.selectFrom("onboarding_record").select(["pid_hash", "pid_last4", "vneid_installed_on"]).orderBy("id").execute();
    expect(rows).toEqual([
      { pid_hash: hashPersonalId("040090001234"), pid_last4: "1234", vneid_installed_on: "2026-03-05" },
      { pid_hash: hashPersonalId("040090001234"), pid_last4: "1234", vneid_installed_on: "2026-03-01" },
    ]);
  });
});

describe("population", () => {
  it("upserts one figure per (block, effective date)", async () => {
    const header = ["Khối", "Ngày hiệu lực", "Dân số trong diện"];
    await importOne(db, cli(wardId), "p1.csv", csv([header, ["Khối 1", "01/12/2025", "1400"], ["Khối 1", "15/03/2026", "1.450"]]));
    const second = await importOne(db, cli(wardId), "p2.csv", csv([header, ["Khối 1", "01/12/2025", "1400"], ["Khối 1", "15/03/2026", "1460"], ["Khối 2", "01/12/2025", "-5"]]));
    expect(second.counts).toEqual({ new: 0, updated: 1, unchanged: 1, invalid: 1 });
    expect(await db.selectFrom("block_population").select(["effective_date", "population"]).orderBy("effective_date").execute()).toEqual([
      { effective_date: "2025-12-01", population: 1400 },
      { effective_date: "2026-03-15", population: 1460 },
    ]);
  });
});

describe("activities", () => {
  const text = csv([
    ["ngay", "loai", "don_vi", "khoi", "noi_dung", "so_nguoi"],
    ["2026-02-16", "hoi_nghi", "tai_chinh_ke_toan", "Khối 5", "Hội nghị triển khai", "179"],
    ["2026-02-07", "Facebook, Zalo", "UBND phường", "", "Đăng tin", ""],
  ].map((r) => r.map((c) => (c.includes(",") ? `"${c}"` : c))));

  it("stores every row, and refuses the same file content a second time as a duplicate", async () => {
    const first = await importOne(db, cli(wardId), "hd.csv", text);
    expect(first).toMatchObject({ status: "committed", counts: { new: 2 } });
    expect(await db.selectFrom("activity").select(["type", "unit", "participants"]).orderBy("id").execute()).toEqual([
      { type: "hoi_nghi", unit: "tai_chinh_ke_toan", participants: 179 },
      { type: "mang_xa_hoi", unit: "ubnd", participants: null },
    ]);
    const again = await importOne(db, cli(wardId), "hoat-dong-copy.csv", text);
    expect(again.status).toBe("duplicate");
    expect(again.errors[0].reason).toMatch(/đã được nhập trước đây/);
    expect(await count(db, "activity")).toBe(2);
    expect((await db.selectFrom("import_batch").select("status").orderBy("id").execute()).map((b) => b.status)).toEqual(["committed", "duplicate"]);
  });

  it("refuses the same rows pushed twice through the API as a duplicate too", async () => {
    const rows = [{ ngay: "2026-02-16", loai: "hoi_nghi", don_vi: "ubnd", noi_dung: "Hội nghị" }];
    expect((await importRows(db, cli(wardId), "activities", "api", rows)).status).toBe("committed");
    expect((await importRows(db, cli(wardId), "activities", "api", rows)).status).toBe("duplicate");
  });
});

describe("dry run (preview)", () => {
  it("reports what would happen and writes nothing, not even a batch row", async () => {
    const files = {
      "v.xml": envelope([{ MA_LK: "P1", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }, { MA_LK: "", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }]),
      "r.csv": csv([["ma_cskcb", "ma_lk", "thoi_gian_tiep_nhan", "ma_ket_qua"], ["38120", "P1", "20260304100000", "200"]]),
      "bad.csv": "nothing,here\n1,2\n",
    };
    const before = await snapshot(db);
    const outcomes = await importTexts(db, cli(wardId), files, true);
    expect(outcomes.map((o) => [o.name, o.status, o.counts.new, o.counts.invalid, o.batchId])).toEqual([
      ["v.xml", "preview", 1, 1, null],
      ["r.csv", "preview", 1, 0, null],
      ["bad.csv", "refused", 0, 0, null],
    ]);
    expect(await snapshot(db)).toEqual(before);
    expect(await count(db, "import_batch")).toBe(0);
    expect(await db.selectFrom("audit_log").selectAll().execute()).toEqual([]);
    // The same files for real give what the preview said.
    const real = await importTexts(db, cli(wardId), files);
    expect(real.map((o) => [o.status, o.counts.new, o.counts.invalid])).toEqual([["committed", 1, 1], ["committed", 1, 0], ["refused", 0, 0]]);
  });

  it("counts a key repeated across files of one preview as new once", async () => {
    const v = { MA_LK: "P2", MA_CSKCB: "38120", NGAY_VAO: "202603040815" };
    const outcomes = await importTexts(db, cli(wardId), { "a.xml": envelope([v]), "b.xml": envelope([v]) }, true);
    expect(outcomes.map((o) => o.counts)).toEqual([
      { new: 1, updated: 0, unchanged: 0, invalid: 0 },
      { new: 0, updated: 0, unchanged: 1, invalid: 0 },
    ]);
  });
});

describe("history and audit", () => {
  it("records one batch row per file and audits imports and refusals", async () => {
    await importTexts(db, cli(wardId), { "ok.csv": "khoi,ngay_hieu_luc,dan_so\n1,01/01/2026,10\n", "no.csv": "a,b\n1,2\n" });
    const batches = await db.selectFrom("import_batch").selectAll().orderBy("id").execute();
    expect(batches.map((b) => [b.file_name, b.kind, b.status, b.new_rows, b.channel])).toEqual([
      ["ok.csv", "population", "committed", 1, "cli"],
      ["no.csv", null, "refused", 0, "cli"],
    ]);
    expect(batches[0].content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(batches[1].errors_json!).errors[0].reason).toMatch(/Không nhận ra loại tệp/);
    const audits = await db.selectFrom("audit_log").select(["action", "target"]).orderBy("id").execute();
    expect(audits).toEqual([{ action: "import", target: "ok.csv" }, { action: "import_refused", target: "no.csv" }]);
  });
});
