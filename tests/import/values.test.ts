// What the values of each source become, against FORMATS.md, with real files imported by
// path into a migrated database: numbers typed in Excel, visits across sources, display
// confirmations against receipts, onboarding blocks, population and activities — and the
// choices made where the spec is silent (each commented where it is made in the code).
import { describe, expect, it } from "vitest";
import { hashCardNumber, hashPersonalId } from "~/server/crypto.server";
import { computeMetrics } from "~/server/metrics/engine.server";
import { resolvePeriod } from "~/domain/periods";
import { localToEpoch } from "~/domain/time";
import { csv, envelope, onDisk, xlsxOf } from "./helpers";

const { t, importPath, importPaths } = onDisk();

const visits = () =>
  t.db.selectFrom("visit").innerJoin("facility", "facility.id", "visit.facility_id")
    .select(["facility.code", "ma_lk", "checkin_at", "ended_at", "method", "pid_hash", "card_hash", "visit_type", "source"])
    .orderBy("ma_lk").execute();

const metricsOf = (period: string, asOf: string) =>
  computeMetrics(t.db, { wardId: t.wardId, period: resolvePeriod(period, Date.parse(asOf) / 1000), asOf: Date.parse(asOf) / 1000 });

const RECEIPTS = ["ma_cskcb", "ma_lk", "ma_giao_dich", "thoi_gian_tiep_nhan", "ma_ket_qua", "thong_diep"];

describe("XLSX", () => {
  it("reads date-time and date cells as the wall-clock time they show (no 7-hour shift), and numbers typed as numbers", async () => {
    const book = await xlsxOf([
      ["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "ma_the_bhyt", "hinh_thuc", "ma_loai_kcb"],
      ["38A15", 1001, new Date(Date.UTC(2026, 2, 4, 23, 40)), new Date(Date.UTC(2026, 2, 5, 0, 20, 30)), 40090001234, 123456789, "Thẻ căn cước", 3],
      ["38A15", 1002, new Date(Date.UTC(2026, 2, 4)), null, 1090001234, "", "", 1],
      // A 9-digit number (an old ID card) is not padded into a "valid" 000… ID.
      ["38A15", 1003, "04/03/2026 07:00", "", 123456789, "", "", ""],
      // Text is never padded: 11 digits typed as text stay invalid.
      ["38A15", 1004, "04/03/2026 07:00", "", "40090001234", "", "", ""],
    ], (ws) => {
      ws.getColumn(3).numFmt = "dd/mm/yyyy hh:mm";
      ws.getColumn(4).numFmt = "dd/mm/yyyy hh:mm:ss";
    });
    const outcome = await importPath("kham-benh", book);
    expect(outcome).toMatchObject({ kind: "visits_table", counts: { new: 4, invalid: 0 } });
    expect(outcome.warnings.filter((w) => w.field === "so_cccd").map((w) => w.line)).toEqual([4, 5]);
    expect(await visits()).toEqual([
      {
        code: "38A15", ma_lk: "1001", checkin_at: localToEpoch(2026, 3, 4, 23, 40), ended_at: localToEpoch(2026, 3, 5, 0, 20, 30),
        method: "the_can_cuoc", pid_hash: hashPersonalId("040090001234"), card_hash: hashCardNumber("0123456789"), visit_type: "03", source: "csv",
      },
      {
        code: "38A15", ma_lk: "1002", checkin_at: localToEpoch(2026, 3, 4), ended_at: null,
        method: "so_dinh_danh", pid_hash: hashPersonalId("001090001234"), card_hash: null, visit_type: "01", source: "csv",
      },
      expect.objectContaining({ ma_lk: "1003", pid_hash: null, method: "khong" }),
      expect.objectContaining({ ma_lk: "1004", pid_hash: null, method: "khong" }),
    ]);
  });

  it("takes result code 200 typed as a number, in a workbook and in JSON", async () => {
    // A facility code typed as a number gets its leading zero back (01001, as the XML writes it).
    const book = await xlsxOf([["maCSKCB", "maLK", "maGiaoDich", "thoiGianTiepNhan", "maKetQua"], [1001, "X1", "G1", 20260304100000, 200]]);
    const json = JSON.stringify([{ maCSKCB: "38120", maLK: "X2", thoiGianTiepNhan: "20260304110000", maKetQua: 200 }]);
    const outcomes = await importPaths({ "kq.xlsx": book, "kq.json": json });
    expect(outcomes.map((o) => [o.kind, o.counts.new])).toEqual([["receipts", 1], ["receipts", 1]]);
    expect(await t.db.selectFrom("gateway_receipt").innerJoin("facility", "facility.id", "gateway_receipt.facility_id")
      .select(["code", "ma_lk", "accepted", "received_at"]).orderBy("ma_lk").execute()).toEqual([
      { code: "01001", ma_lk: "X1", accepted: 1, received_at: localToEpoch(2026, 3, 4, 10) },
      { code: "38120", ma_lk: "X2", accepted: 1, received_at: localToEpoch(2026, 3, 4, 11) },
    ]);
    expect((await importPaths({ "kq-lai.json": json }))[0]).toMatchObject({ status: "unchanged", counts: { unchanged: 1 } });
  });
});

describe("visits across sources", () => {
  it("keys a visit by (facility, MA_LK) across XML and CSV; a re-sent row replaces every field, clearing an identifier it no longer gives", async () => {
    await importPath("a.xml", envelope([{ MA_LK: "S1", MA_CSKCB: "38120", SO_CCCD: "040090001234", NGAY_VAO: "202603040815", NGAY_RA: "202603040840" }]));
    const outcome = await importPath("b.csv", csv([["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "hinh_thuc"], ["38120", "S1", "04/03/2026 08:15", "", "", "khong"]]));
    expect(outcome.counts).toMatchObject({ new: 0, updated: 1 });
    expect(await visits()).toEqual([expect.objectContaining({ ma_lk: "S1", ended_at: null, pid_hash: null, method: "khong", source: "csv" })]);
  });
});

describe("display confirmations", () => {
  it("keeps a confirmation with no or an unknown source, with a warning (no column needed)", async () => {
    const outcomes = await importPaths({
      "a.csv": csv([["ma_cskcb", "ma_lk", "thoi_gian_hien_thi"], ["38120", "H1", "04/03/2026 20:00"]]),
      "b.csv": csv([["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"], ["38120", "H2", "04/03/2026 20:00", "Zalo"], ["38120", "H3", "04/03/2026 20:00", "kiểm tra"]]),
    });
    expect(outcomes.map((o) => [o.kind, o.counts.new, o.counts.invalid])).toEqual([["displays", 1, 0], ["displays", 2, 0]]);
    expect(outcomes[1].warnings.filter((w) => w.field === "nguon").map((w) => w.line)).toEqual([2]);
    expect(await t.db.selectFrom("display_confirmation").select(["ma_lk", "source"]).orderBy("ma_lk").execute()).toEqual([
      { ma_lk: "H1", source: "" }, { ma_lk: "H2", source: "" }, { ma_lk: "H3", source: "kiem_tra" },
    ]);
  });

  it("counts a confirmation imported before its receipt once the receipt arrives, and ignores it when the receipt is later", async () => {
    const shown = csv([["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"], ["38120", "E1", "04/03/2026 20:00", "bhxh"], ["38120", "E2", "04/03/2026 20:00", "bhxh"]]);
    expect((await importPath("hien-thi.csv", shown)).counts).toMatchObject({ new: 2, invalid: 0 });
    await importPath("ket-qua.csv", csv([RECEIPTS, ["38120", "E1", "G1", "20260304100000", "200", ""], ["38120", "E2", "G2", "20260304210000", "200", ""]]));
    const m = await metricsOf("2026-03", "2026-04-01T00:00:00+07:00");
    // E1: shown 10 h after its receipt. E2: the confirmation precedes the receipt, so it does not count.
    expect(m.i3).toMatchObject({ onTime: 1, late: 0, overdue: 1, pending: 0 });
  });

  it("judges a confirmation against the first accepted receipt of all the data, whatever order the files came in", async () => {
    // An accepted receipt at 12:00, then a confirmation at 11:00 (earlier: not counted yet),
    // then an earlier accepted receipt at 10:00, which makes the 11:00 confirmation valid.
    await importPath("r1.csv", csv([RECEIPTS, ["38120", "Y1", "GY2", "20260302120000", "200", ""]]));
    const early = await importPath("c.csv", csv([["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"], ["38120", "Y1", "2026-03-02T11:00:00+07:00", "bhxh"]]));
    expect(early.counts).toMatchObject({ new: 1, invalid: 0 });
    expect(early.warnings.map((w) => w.field)).toEqual(["thoi_gian_hien_thi"]);
    expect((await metricsOf("2026-03", "2026-04-01T00:00:00+07:00")).i3).toMatchObject({ onTime: 0, overdue: 1 });
    await importPath("r2.csv", csv([RECEIPTS, ["38120", "Y1", "GY1", "20260302100000", "200", ""]]));
    const m = await metricsOf("2026-03", "2026-04-01T00:00:00+07:00");
    expect(m.i3).toMatchObject({ onTime: 1, late: 0, overdue: 0, pending: 0, hoursToDisplay: { median: 1, p90: 1 } });
  });
});

describe("onboarding", () => {
  const HEADER = ["khoi", "so_dinh_danh", "ngay_cai_vneid", "ngay_kich_hoat_muc2", "ngay_tich_hop_bhyt", "don_vi_ho_tro"];

  it("reads a block however it is written, keeps a row with an unknown support unit, refuses an unknown block", async () => {
    const outcome = await importPath("o.csv", csv([
      HEADER,
      ["KHỐI 3", "040090001231", "01/03/2026", "", "", "Công an"],
      ["khoi 3", "040090001232", "01/03/2026", "", "", "hàng xóm"],
      ["3", "040090001233", "01/03/2026", "", "", ""],
      ["Khối 10", "040090001234", "01/03/2026", "", "", ""],
      ["Khối 3", "04009000123", "01/03/2026", "", "", ""],
    ]));
    expect(outcome.counts).toMatchObject({ new: 3, invalid: 2 });
    expect(outcome.errors.map((e) => [e.line, e.field])).toEqual([[5, "khoi"], [6, "so_dinh_danh"]]);
    expect(outcome.warnings.map((w) => [w.line, w.field])).toEqual([[3, "don_vi_ho_tro"]]);
    const units = await t.db.selectFrom("onboarding_record").select("support_unit").orderBy("id").execute();
    expect(units.map((u) => u.support_unit)).toEqual(["cong_an", null, null]);
  });

  it("puts a resident in the block of the latest step date, on a tie the row imported last, within a file and across files", async () => {
    const a = "040090000001";
    const b = "040090000002";
    await importPath("o1.csv", csv([HEADER, ["1", a, "01/03/2026", "", "", ""], ["2", a, "", "01/03/2026", "", ""], ["4", b, "05/03/2026", "", "", ""]]));
    await importPath("o2.csv", csv([HEADER, ["5", b, "", "", "05/03/2026", ""], ["6", b, "", "", "", ""]]));
    const m = await metricsOf("2026-03", "2026-04-01T00:00:00+07:00");
    const inBlock = Object.fromEntries(m.i4.blocks.filter((x) => x.vneidInstalled > 0).map((x) => [x.block, [x.vneidInstalled, x.level2Activated, x.bhytLinked]]));
    expect(inBlock).toEqual({ "Khối 2": [1, 1, 0], "Khối 5": [1, 0, 1] });
  });
});

describe("population and activities", () => {
  it("refuses a negative or fractional population, and a negative number of participants", async () => {
    const p = await importPath("p.csv", csv([["khoi", "ngay_hieu_luc", "dan_so"], ["1", "01/01/2026", "1450"], ["2", "01/01/2026", "12.5"], ["3", "01/01/2026", "-3"], ["4", "01/01/2026", '"1450,5"']]));
    expect(p.counts).toMatchObject({ new: 1, invalid: 3 });
    expect(p.errors.map((e) => [e.line, e.field])).toEqual([[3, "dan_so"], [4, "dan_so"], [5, "dan_so"]]);
    const a = await importPath("a.csv", csv([["ngay", "loai", "don_vi", "khoi", "so_nguoi"], ["05/03/2026", "Loa FM", "Văn hóa - Xã hội", "", "-1"], ["05/03/2026", "Tập huấn", "Công an", "Khối 2", ""]]));
    expect(a.counts).toMatchObject({ new: 1, invalid: 1 });
    expect(a.errors.map((e) => [e.line, e.field])).toEqual([[2, "so_nguoi"]]);
  });
});
