// METRICS.md's edge cases end to end: a small ward written as the source files FORMATS.md
// describes (XML envelopes, a check-in file, CSV, a gateway JSON log), imported with
// `sskdt import` into an empty database, then `sskdt metrics … --json` compared with
// figures worked out by hand (the comments give the arithmetic). The reference engine and
// the records behind each figure must agree with every printed object.
//
// Choices where METRICS.md leaves room (also in the README's Indicators section):
// - hours count seconds: (later − earlier) in seconds / 3600, so 24 h 0 min 30 s is late;
// - a method column saying `khong` on a visit with a valid identifier is ignored (the
//   method is then inferred), so the three methods always add up to `identified`;
// - a patient seen once with a personal ID and once with only a card counts twice (the
//   card cannot be tied to the ID without guessing);
// - rejectCodes: most frequent first, equal counts by code ascending;
// - I4: a resident's block is that of the row with the latest step date not later than
//   the as-of time (dates after it are ignored), the counts are taken at day D;
// - I6's year is that of the period's first day (2026-W01 → 2025).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figureCount, RECORD_FIGURES } from "~/domain/record-labels";
import { publicMetrics, type MetricsJson } from "~/domain/metrics-types";
import { parsePeriod } from "~/domain/periods";
import { localDayOf, parseSourceDate } from "~/domain/time";
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { figureRecords } from "~/server/dashboard/records.server";
import { computeMetricsWith } from "~/server/metrics/engine.server";
import { referenceSource } from "../reference/engine";
import { rollupSource } from "~/server/metrics/rollup.server";
import { checkinFile, csv, envelope } from "../import/helpers";
import { cliDatabase, type CliDatabase } from "./cli";
import { expectFigures } from "./fixture";

let cli: CliDatabase;
let db: DB;
let wardId: number;

const pid = (n: number) => `0010900${String(n).padStart(5, "0")}`; // valid 12-digit personal IDs
const min = 1 / 60;
const sec = 1 / 3600;

/** A visit in an XML envelope (times yyyymmddHHMM, local). */
const xmlVisit = (maLk: string, vao: string, ra: string, ids: { SO_CCCD?: string; MA_THE_BHYT?: string } = {}) => ({
  MA_LK: maLk, MA_CSKCB: "79001", NGAY_VAO: vao, NGAY_RA: ra, ...ids,
});

const FILES: Array<[string, string]> = [
  // The ward's facility list first (FORMATS.md §8).
  ["00-co-so.csv", csv([["ma_cskcb", "ten_co_so", "loai"], ["79001", "Trạm Y tế phường", "tram_y_te"], ["79002", "Phòng khám An Bình", "Phòng khám"]])],
  // Health station 79001: XML envelopes, one visit each, and a check-in file.
  ["01-tram-y-te.xml", envelope([
    xmlVisit("X1", "202603312359", "202604010030", { SO_CCCD: pid(1) }), // checked in 23:59 on 31 March: March; ended in April
    xmlVisit("X2", "202604010000", "202604010100"), // 00:00 on 1 April: April
    xmlVisit("S9", "202603312300", "202603312359", { MA_THE_BHYT: "HS4010000000009" }), // ended at the last minute of March
    xmlVisit("S10", "202603200700", "202603200800", { SO_CCCD: pid(10) }),
    xmlVisit("S11", "202603200800", "202603200900", { SO_CCCD: pid(11) }),
    xmlVisit("S15", "202602282200", "202602282300", { SO_CCCD: pid(15) }), // February visit, accepted in March
    xmlVisit("Y1", "202512290000", "202512290030"), // first instant of 2026-W01 (Monday 29 December 2025)
    xmlVisit("Y2", "202601042359", "202601050010"), // last minute of 2026-W01
    xmlVisit("Y3", "202601050000", "202601050030"), // 2026-W02
    xmlVisit("Y4", "202512282359", "202512290010"), // 2025-W52
  ], { facility: "79001" })],
  ["02-checkin.xml", checkinFile([{ MA_LK: "O1", MA_CSKCB: "79001", NGAY_VAO: "202603050800", SO_CCCD: pid(20) }])], // still open
  // Clinic 79002: a table with the method column.
  ["03-phong-kham.csv", csv([
    ["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "ma_the_bhyt", "hinh_thuc"],
    ["79002", "C1", "2026-03-31T17:30:00Z", "", pid(30), "", "so_dinh_danh"], // 00:30 on 1 April local: April
    ["79002", "C2", "2026-02-28T17:29:00Z", "", pid(31), "", "the_can_cuoc"], // 00:29 on 1 March local: March
    ["79002", "M1", "02/03/2026 08:00", "", pid(32), "", "the_bhyt"], // explicit column wins: the_bhyt
    ["79002", "M2", "02/03/2026 09:00", "", "12345", "XX123", "the_can_cuoc"], // no valid identifier: khong
    ["79002", "M3", "03/03/2026 08:00", "", "", "ZZ9991234567890;DN4010123456789", ""], // first VALID code of the list
    ["79002", "M4", "03/03/2026 09:00", "", "", "0123456789", ""], // bare social number = M3's card (last 10 digits)
    ["79002", "M5", "04/03/2026 08:00", "", pid(33), "", "khong"], // column says none, valid ID: inferred so_dinh_danh
    ["79002", "M6", "04/03/2026 09:00", "", pid(34), "HC4790000000034", "so_dinh_danh"], // patient = the personal ID
    ["79002", "M7", "05/03/2026 08:00", "", "", "HC4790000000034", ""], // the same card alone: another patient key
    ["79002", "M8", "05/03/2026 09:00", "", pid(32), "", "Thẻ căn cước"], // M1's patient, method by label
    ["79002", "M9", "06/03/2026 08:00", "", "", "", ""], // nothing: khong
    ["79002", "M10", "06/03/2026 09:00", "", "", "GD4790000000035;HC4790000000036", ""], // counts as …035
    ["79002", "M11", "06/03/2026 10:00", "", "", "HC4790000000036", ""], // …036: not M10's patient
    ["79002", "S1", "10/03/2026 07:00", "10/03/2026 08:00", pid(41), "", "so_dinh_danh"],
    ["79002", "S2", "11/03/2026 07:00", "11/03/2026 08:00", "", "", ""],
    ["79002", "S3", "12/03/2026 07:00", "12/03/2026 08:00", "", "HC4790000000043", ""],
    ["79002", "S4", "13/03/2026 07:00", "13/03/2026 08:00", pid(44), "", ""],
    ["79002", "S5", "14/03/2026 07:00", "14/03/2026 08:00", pid(44), "", ""],
    ["79002", "S6", "15/03/2026 07:00", "15/03/2026 08:00", pid(46), "", ""],
    ["79002", "S7", "16/03/2026 07:00", "16/03/2026 08:00", "", "", ""],
    ["79002", "S8", "17/03/2026 07:00", "17/03/2026 08:00", pid(48), "", ""],
    ["79002", "S16", "18/03/2026 07:00", "18/03/2026 08:00", pid(49), "", ""],
  ])],
  // Confirmations imported before any receipt: kept as unmatched, judged by the engine.
  ["04-hien-thi-truoc.csv", csv([
    ["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"],
    ["79002", "S3", "12/03/2026 10:00", "bhxh"], // before S3's first accepted receipt (11:00): invalid
    ["79001", "S15", "01/03/2026 06:00", "kiem_tra"],
    ["79002", "DISPONLY", "10/03/2026 10:00", "bhxh"], // never a receipt: counts nowhere
  ])],
  ["05-ket-qua.csv", csv([
    ["ma_cskcb", "ma_lk", "ma_giao_dich", "thoi_gian_tiep_nhan", "ma_ket_qua", "thong_diep"],
    ["79002", "S1", "GD1", "10/03/2026 09:00", "E101", "Sai mã thẻ"],
    ["79002", "S1", "GD2", "20260310100000", "200", "Thành công"], // sent after 2 h
    ["79002", "S2", "", "2026-03-11T01:30:00Z", "200", ""], // 08:30 local: 0.5 h
    ["79002", "S3", "", "12/03/2026 12:00", "200", ""],
    ["79002", "S3", "", "12/03/2026 11:00", "200", ""], // the earlier acceptance is the first: 3 h
    ["79002", "S4", "", "13/03/2026 09:00", "E205", ""],
    ["79002", "S4", "", "14/03/2026 09:00", "E307", ""], // latest code: E307
    ["79002", "S5", "", "14/03/2026 10:00", "E307", ""],
    ["79002", "S6", "", "15/03/2026 09:00", "E205", ""],
    ["79002", "S6", "", "2026-03-31T17:00:01Z", "200", ""], // 1 s after March's default as-of time
    ["79002", "S7", "", "16/03/2026 09:00", "E101", ""],
    ["79002", "S8", "", "05/04/2026 10:00", "E101", ""], // after the as-of time: S8 not sent at it
    ["79002", "S16", "", "18/03/2026 09:00", "200", ""],
  ])],
  ["06-ket-qua.json", JSON.stringify([
    { maCSKCB: "79001", maLK: "S9", maGiaoDich: "GD9", thoiGianTiepNhan: "2026-03-31T17:00:00Z", maKetQua: "200", thongDiep: "Thành công" }, // = the as-of time
    { maCSKCB: "79001", maLK: "S10", maGiaoDich: "GD10", thoiGianTiepNhan: "20260331000000", maKetQua: "200" }, // 24 h before as-of
    { maCSKCB: "79001", maLK: "S11", maGiaoDich: "GD11", thoiGianTiepNhan: "20260330235900", maKetQua: "200" }, // 24 h 1 min before
    { maCSKCB: "79001", maLK: "S15", maGiaoDich: "GD15", thoiGianTiepNhan: "20260301000000", maKetQua: "200" }, // first instant of March
    { maCSKCB: "79001", maLK: "GHOST1", maGiaoDich: "GDG1", thoiGianTiepNhan: "20260325100000", maKetQua: "200" }, // visit never imported
    { maCSKCB: "79001", maLK: "GHOST2", maGiaoDich: "GDG2", thoiGianTiepNhan: "20260325110000", maKetQua: "E101" },
  ])],
  ["07-hien-thi.csv", csv([
    ["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"],
    ["79002", "S1", "11/03/2026 10:00", "bhxh"], // exactly 24 h: on time
    ["79002", "S1", "12/03/2026 10:00", "kiem_tra"], // a later one: the earliest stands
    ["79002", "S1", "10/03/2026 09:30", "bhxh"], // before the receipt: refused at import
    ["79002", "S2", "12/03/2026 08:31", "bhxh"], // 24 h 1 min: late
    ["79002", "S3", "13/03/2026 11:00", "bhxh"], // 24 h after the first acceptance: on time
    ["79001", "S11", "01/04/2026 00:00:30", "bhxh"], // after March's default as-of time
    ["79001", "GHOST1", "25/03/2026 20:00", "kiem_tra"], // 10 h
    ["79002", "S16", "19/03/2026 09:00:30", "bhxh"], // 24 h 30 s: late (seconds count)
  ])],
  ["08-dan-so.csv", csv([
    ["khoi", "ngay_hieu_luc", "dan_so"],
    ["Khối 1", "01/12/2025", "1000"],
    ["Khối 1", "15/03/2026", "1100"],
    ["Khối 1", "01/04/2026", "1200"],
    ["Khối 2", "01/04/2026", "500"], // not yet in effect on 31 March
    ["3", "2026-01-01", "800"],
  ])],
  ["09-ho-tro.csv", csv([
    ["khoi", "so_dinh_danh", "ngay_cai_vneid", "ngay_kich_hoat_muc2", "ngay_tich_hop_bhyt", "don_vi_ho_tro"],
    ["1", pid(101), "01/03/2026", "", "", "cong_an"], // A: three rows, fully onboarded on 10 March
    ["1", pid(101), "", "05/03/2026", "", "cong_an"],
    ["1", pid(101), "", "", "2026-03-10", "cong_an"],
    ["2", pid(102), "02/03/2026", "03/03/2026", "", "ban_can_su_khoi"], // B moves to block 3 on 20 March
    ["3", pid(102), "", "", "20/03/2026", "ban_can_su_khoi"],
    ["4", pid(103), "04/03/2026", "", "", "cong_an"], // C: same latest date in blocks 4 and 5: imported last (5)
    ["5", pid(103), "", "04/03/2026", "", "cong_an"],
    ["6", pid(104), "15/03/2026", "", "", "cong_an"], // D: vneid twice, 10 February stands
    ["6", pid(104), "10/02/2026", "", "", "cong_an"],
    ["7", pid(105), "2026-03-31T17:30:00Z", "", "", "cong_an"], // E: 1 April local
    ["8", pid(106), "05/03/2026", "06/03/2026", "07/03/2026", "cong_an"], // F: moves to block 9 on 1 April
    ["9", pid(106), "01/04/2026", "", "", "cong_an"],
    ["9", pid(107), "31/03/2026", "", "", "cong_an"], // G: last day of March
  ])],
  ["10-hoat-dong.csv", csv([
    ["ngay", "loai", "don_vi", "khoi", "noi_dung", "so_nguoi"],
    ["2026-03-01", "hoi_nghi", "tram_y_te", "", "Hội nghị triển khai", "50"],
    ["31/03/2026", "bai_viet", "van_hoa_xa_hoi", "", "Bài viết", ""],
    ["2026-03-15", "tap_huan", "cong_an", "Khối 1", "Tập huấn", "20"],
    ["2026-04-01", "loa_fm", "ubnd", "", "Loa", "100"],
    ["2026-02-28", "loa_fm", "ubnd", "", "Loa", "100"],
    ["2026-03-31T17:30:00Z", "mang_xa_hoi", "ban_can_su_khoi", "Khối 2", "Zalo", "7"], // 1 April local
  ])],
];

beforeAll(async () => {
  cli = cliDatabase("sskdt-edges-", "files-edge-cases-secret-0123456789abcdef");
  const paths = FILES.map(([name, content]) => {
    const file = path.join(cli.dir, name);
    fs.writeFileSync(file, content);
    return file;
  });
  cli.run(["import", ...paths]);
  db = await openMigratedDatabase(cli.databaseUrl);
  wardId = (await db.selectFrom("ward").select("id").executeTakeFirstOrThrow()).id;
}, 300_000);

afterAll(async () => {
  await db?.destroy();
  cli?.remove();
});

const steps = (v: number, l: number, b: number, f: number) => ({ vneidInstalled: v, level2Activated: l, bhytLinked: b, fullyOnboarded: f });
const block = (n: number, eligible: number | null, cum: number[], fresh: number[] = [0, 0, 0, 0]) => ({
  block: `Khối ${n}`, eligible, ...steps(cum[0], cum[1], cum[2], cum[3]), newInPeriod: steps(fresh[0], fresh[1], fresh[2], fresh[3]),
});
const noBudget = (year: number, perFull: number | null, perSent: number | null) => ({
  year, estimated: 0, approved: 0, spent: 0, executionRate: null, costPerFullyOnboarded: perFull, costPerRecordSent: perSent,
});

/** March at its default as-of time, 1 April 00:00, in METRICS.md's key order. */
const MARCH = {
  period: { from: "2026-03-01", to: "2026-03-31" },
  asOf: "2026-04-01T00:00:00+07:00",
  facility: null,
  // 79001: X1 S9 S10 S11 O1. 79002: C2 M1–M11 S1–S8 S16. Unidentified: M2 M9 S2 S7.
  // Patients: P1 C…09 P10 P11 P20 | P31 P32 C…6789 P33 P34 C…034 C…035 C…036 P41 C…043 P44 P46 P48 P49.
  i1: {
    total: 26, identified: 22, rate: 22 / 26, distinctPatients: 19,
    byMethod: { the_can_cuoc: 2, so_dinh_danh: 12, the_bhyt: 8, khong: 4 },
  },
  // Ended in March: S1–S8 S16 (79002), S9 S10 S11 (79001). Sent: S1 S2 S3 S9 S10 S11 S16.
  // Hours to send: 1 min, 0.5, 1, 2, 3, 254 h 59 min, 256 → median 2; p90 at 5.4.
  i2: {
    ended: 12, sent: 7, rejected: 4, notSent: 1, rate: 7 / 12,
    rejectCodes: [{ code: "E307", count: 2 }, { code: "E101", count: 1 }, { code: "E205", count: 1 }],
    hoursToSend: { median: 2, p90: 254 + 59 * min + 0.4 * 61 * min },
  },
  // First accepted in March: S15 (6 h) S1 (24 h) S3 (24 h) GHOST1 (10 h) on time; S2 (24 h 1 min)
  // S16 (24 h 30 s) late; S11 overdue; S10 pending. S9 and S6: first accepted in April.
  i3: {
    onTime: 4, late: 2, overdue: 1, pending: 1, rate: 4 / 7,
    hoursToDisplay: { median: 24, p90: 24 + (30 * sec + min) / 2 },
  },
  i4: {
    asOf: "2026-03-31",
    ward: { eligible: 1900, ...steps(6, 4, 3, 3) },
    blocks: [
      block(1, 1100, [1, 1, 1, 1], [1, 1, 1, 1]), // A
      block(2, null, [0, 0, 0, 0]),
      block(3, 800, [1, 1, 1, 1], [1, 1, 1, 1]), // B
      block(4, null, [0, 0, 0, 0]),
      block(5, null, [1, 1, 0, 0], [1, 1, 0, 0]), // C
      block(6, null, [1, 0, 0, 0]), // D: since 10 February
      block(7, null, [0, 0, 0, 0]), // E: 1 April is after day D
      block(8, null, [0, 0, 0, 0]),
      block(9, null, [2, 1, 1, 1], [2, 1, 1, 1]), // F (moved on 1 April, not after the as-of time), G
    ],
  },
  i5: {
    total: 3, reach: 70,
    byType: { hoi_nghi: 1, bai_viet: 1, loa_fm: 0, mang_xa_hoi: 0, tap_huan: 1, khac: 0 },
    byUnit: { tram_y_te: 1, cong_an: 1, van_hoa_xa_hoi: 1, tai_chinh_ke_toan: 0, ban_can_su_khoi: 0, ubnd: 0 },
  },
  // Nothing spent: 0 per resident newly fully onboarded (A B F), 0 per record newly sent (8).
  i6: noBudget(2026, 0, 0),
};

/** Every key in the order of `expected`, all the way down. */
function expectKeyOrder(actual: unknown, expected: unknown, at = "$"): void {
  if (expected === null || typeof expected !== "object") return;
  if (Array.isArray(expected)) {
    expected.forEach((e, i) => expectKeyOrder((actual as unknown[])[i], e, `${at}[${i}]`));
    return;
  }
  expect(Object.keys(actual as object), at).toEqual(Object.keys(expected));
  for (const [k, v] of Object.entries(expected)) expectKeyOrder((actual as Record<string, unknown>)[k], v, `${at}.${k}`);
}

/** Deep-contains: every value of `wanted` is in `actual` (fractions to 1e-9). */
function expectContains(actual: unknown, wanted: unknown, at = "$"): void {
  if (wanted !== null && typeof wanted === "object" && !Array.isArray(wanted)) {
    for (const [k, w] of Object.entries(wanted)) expectContains((actual as Record<string, unknown>)?.[k], w, `${at}.${k}`);
  } else {
    expectFigures(actual, wanted, at);
  }
}

/** `sskdt metrics` for these arguments, checked against the reference engine and the records pages. */
async function metrics(args: string[]): Promise<MetricsJson> {
  const printed = cli.metrics(args);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
  const q = {
    wardId, period: parsePeriod(option("--period")!), asOf: parseSourceDate(printed.asOf)!.epoch, facilityCode: option("--facility"),
  };
  expect(printed).toEqual(publicMetrics(await computeMetricsWith(db, q, referenceSource)));
  for (const figure of RECORD_FIGURES) {
    const { total } = await figureRecords(db, q, figure, { limit: 1, offset: 0 });
    expect(total, `records behind ${figure}`).toBe(figureCount(printed, figure));
  }
  return printed;
}

describe("hand-computed figures from imported files", () => {
  it("prints METRICS.md's object for March, key for key, at the period's end", async () => {
    const m = await metrics(["--period", "2026-03"]);
    expectFigures(m, MARCH);
    expectKeyOrder(m, MARCH);
  }, 60_000);

  it("turns pending into overdue and counts a receipt one second after the period's end", async () => {
    const m = await metrics(["--period", "2026-03", "--as-of", "2026-04-01T00:00:01+07:00"]);
    expect(m.asOf).toBe("2026-04-01T00:00:01+07:00");
    // S6 accepted at this very second: sent after 16 d 16 h 1 s. Hours: 1 min, 0.5, 1, 2, 3, 254 h 59 min, 256, 400 h 1 s.
    expectFigures(m.i2, {
      ended: 12, sent: 8, rejected: 3, notSent: 1, rate: 8 / 12,
      rejectCodes: [{ code: "E307", count: 2 }, { code: "E101", count: 1 }],
      hoursToSend: { median: 2.5, p90: 256 + 0.3 * (144 + sec) },
    });
    // S10 has now waited 24 h 1 s.
    expectContains(m.i3, { onTime: 4, late: 2, overdue: 2, pending: 0, rate: 0.5 });
    expectFigures(m.i4, MARCH.i4);
  }, 60_000);

  it("counts later receipts and confirmations once the as-of time passes them", async () => {
    const m = await metrics(["--period", "2026-03", "--as-of", "2026-04-06T00:00:00+07:00"]);
    // S8 rejected on 5 April: E101 and E307 twice each, by code.
    expectContains(m.i2, { ended: 12, sent: 8, rejected: 4, notSent: 0 });
    expect(m.i2.rejectCodes).toEqual([{ code: "E101", count: 2 }, { code: "E307", count: 2 }]);
    // S11 shown 24 h 1 min 30 s after its receipt: late. Hours: 6, 10, 24, 24, 24 h 30 s, 24 h 1 min, 24 h 1.5 min.
    expectFigures(m.i3, {
      onTime: 4, late: 3, overdue: 1, pending: 0, rate: 0.5,
      hoursToDisplay: { median: 24, p90: 24 + min + 0.4 * 30 * sec },
    });
    // Day D stays the period's last day; population and onboarding of 1 April are not yet in effect at D.
    expectFigures(m.i4, MARCH.i4);
  }, 60_000);

  it("ignores what happened after an as-of time inside the period", async () => {
    const m = await metrics(["--period", "2026-03", "--as-of", "2026-03-12T10:00:00+07:00"]);
    // I1 has no as-of time: every visit checked in in March.
    expectContains(m.i1, { total: 26, identified: 22 });
    // Every visit ended in March is in I2; by 10:00 on 12 March only S1 and S2 were accepted, nothing rejected.
    expectFigures(m.i2, {
      ended: 12, sent: 2, rejected: 0, notSent: 10, rate: 2 / 12, rejectCodes: [],
      hoursToSend: { median: 1.25, p90: 0.5 + 0.9 * 1.5 },
    });
    // S15 (6 h) and S1 (24 h) on time, S2 late; S3's receipts come at 11:00 and 12:00.
    expectFigures(m.i3, {
      onTime: 2, late: 1, overdue: 0, pending: 0, rate: 2 / 3,
      hoursToDisplay: { median: 24, p90: 24 + 0.8 * min },
    });
    // As of 12 March: B still in block 2, F in block 8, E and G not yet anywhere, D's 15 March row ignored.
    expectFigures(m.i4, {
      asOf: "2026-03-12",
      ward: { eligible: 1800, ...steps(5, 4, 2, 2) },
      blocks: [
        block(1, 1000, [1, 1, 1, 1], [1, 1, 1, 1]),
        block(2, null, [1, 1, 0, 0], [1, 1, 0, 0]),
        block(3, 800, [0, 0, 0, 0]),
        block(4, null, [0, 0, 0, 0]),
        block(5, null, [1, 1, 0, 0], [1, 1, 0, 0]),
        block(6, null, [1, 0, 0, 0]),
        block(7, null, [0, 0, 0, 0]),
        block(8, null, [1, 1, 1, 1], [1, 1, 1, 1]),
        block(9, null, [0, 0, 0, 0]),
      ],
    });
    // A and F newly fully onboarded; S15 S1 S2 newly sent.
    expectFigures(m.i6, noBudget(2026, 0, 0));
  }, 60_000);

  it("filters I1–I3 by facility and keeps I4–I6 ward-wide", async () => {
    const m = await metrics(["--period", "2026-03", "--facility", "79001"]);
    expect(m.facility).toBe("79001");
    expectFigures(m.i1, { total: 5, identified: 5, rate: 1, distinctPatients: 5, byMethod: { the_can_cuoc: 0, so_dinh_danh: 4, the_bhyt: 1, khong: 0 } });
    // Hours to send: 1 min, 254 h 59 min, 256.
    expectFigures(m.i2, {
      ended: 3, sent: 3, rejected: 0, notSent: 0, rate: 1, rejectCodes: [],
      hoursToSend: { median: 254 + 59 * min, p90: 254 + 59 * min + 0.8 * 61 * min },
    });
    // S15 (6 h), GHOST1 (10 h) on time; S11 overdue; S10 pending.
    expectFigures(m.i3, { onTime: 2, late: 0, overdue: 1, pending: 1, rate: 2 / 3, hoursToDisplay: { median: 8, p90: 9.6 } });
    expectFigures({ i4: m.i4, i5: m.i5, i6: m.i6 }, { i4: MARCH.i4, i5: MARCH.i5, i6: MARCH.i6 });
  }, 60_000);

  it("reads every period form, both ends inclusive", async () => {
    const AS_OF = ["--as-of", "2027-01-01T00:00:00+07:00"];
    const cases: Array<[string, { period: { from: string; to: string } } & Record<string, unknown>]> = [
      // 2026 check-ins: March's 26, X2 and C1 (April), Y2 Y3 (January), S15 (February).
      ["2026", { period: { from: "2026-01-01", to: "2026-12-31" }, i1: { total: 31 }, i6: { year: 2026 } }],
      ["2026-H1", { period: { from: "2026-01-01", to: "2026-06-30" }, i1: { total: 31 } }],
      ["2026-Q1", { period: { from: "2026-01-01", to: "2026-03-31" }, i1: { total: 29 }, i4: { asOf: "2026-03-31" } }],
      // ISO week 1 of 2026 starts on Monday 29 December 2025: Y1 and Y2 only.
      // Y1 and Y4 (checked in in 2025-W52) ended in it. Nothing sent, nobody onboarded: every
      // rate and cost with a zero denominator is null.
      ["2026-W01", {
        period: { from: "2025-12-29", to: "2026-01-04" }, i1: { total: 2, identified: 0, rate: 0 },
        i2: { ended: 2, sent: 0, notSent: 2, rate: 0, hoursToSend: { median: null, p90: null } },
        i3: { onTime: 0, late: 0, overdue: 0, pending: 0, rate: null, hoursToDisplay: { median: null, p90: null } },
        i6: noBudget(2025, null, null),
      }],
      // 30 March – 5 April: S9 X1 (31 March), X2 C1 (1 April).
      ["2026-W14", { period: { from: "2026-03-30", to: "2026-04-05" }, i1: { total: 4 } }],
      // 31 March: S9 X1 checked in, S9 ended (sent at 00:00 on 1 April: 1 min), S10 accepted (still not shown).
      ["2026-03-31", {
        period: { from: "2026-03-31", to: "2026-03-31" }, i1: { total: 2, identified: 2 },
        i2: { ended: 1, sent: 1, hoursToSend: { median: min, p90: min } },
        i3: { onTime: 0, late: 0, overdue: 1, pending: 0, rate: 0 },
        i4: { asOf: "2026-03-31" }, i5: { total: 1, reach: 0 },
        // G is the day's only news (vneid), so nobody newly fully onboarded: a zero denominator.
        i6: noBudget(2026, null, 0),
      }],
      ["2026-03-31..2026-04-01", { period: { from: "2026-03-31", to: "2026-04-01" }, i1: { total: 4 }, i4: { asOf: "2026-04-01" } }],
      // C2 at 17:29 UTC on 28 February is 00:29 on 1 March here; S15 first accepted at 00:00 on 1 March.
      ["2026-03-01", { period: { from: "2026-03-01", to: "2026-03-01" }, i1: { total: 1 }, i3: { onTime: 1 } }],
      ["2026-02-28", { period: { from: "2026-02-28", to: "2026-02-28" }, i1: { total: 1 }, i2: { ended: 1, sent: 1 } }],
    ];
    for (const [period, expected] of cases) {
      expectContains(await metrics(["--period", period, ...AS_OF]), { asOf: "2027-01-01T00:00:00+07:00", ...expected }, period);
    }
  }, 120_000);

  it("takes the as-of time to be now while the period is not over", async () => {
    const year = new Date().getUTCFullYear() + 1; // certainly not over
    const before = Math.floor(Date.now() / 1000);
    const m = cli.metrics(["--period", String(year)]);
    const after = Math.ceil(Date.now() / 1000);
    const asOf = parseSourceDate(m.asOf)!.epoch;
    expect(m.asOf).toMatch(/\+07:00$/);
    expect(asOf).toBeGreaterThanOrEqual(before);
    expect(asOf).toBeLessThanOrEqual(after);
    // Day D is the as-of day, before the period even starts: cumulative counts now, no news.
    expect(m.i4.asOf).toBe(localDayOf(asOf));
    expectContains(m.i4.ward, { eligible: 1200 + 500 + 800, ...steps(7, 4, 3, 3) });
    expect(m.i4.blocks.every((b) => Object.values(b.newInPeriod).every((n) => n === 0))).toBe(true);
  }, 60_000);

  it.each([["reference", referenceSource], ["roll-up", rollupSource]])("%s engine: percentiles of 0, 1, 2 and 5 values; nothing to count", async (_name, source) => {
    const compute = (period: string, asOf: number, facilityCode: string | null = null) =>
      computeMetricsWith(db, { wardId, period: parsePeriod(period), asOf, facilityCode }, source);
    const endOfMarch = parseSourceDate("2026-04-01T00:00:00+07:00")!.epoch;
    // 31 March at its end: S9 sent at exactly the as-of time (1 value, 1 min); S10 pending, nothing shown (0 values).
    const day = await compute("2026-03-31", endOfMarch);
    expectFigures(day.i2.hoursToSend, { median: min, p90: min });
    expectFigures(day.i3, { onTime: 0, late: 0, overdue: 0, pending: 1, rate: null, hoursToDisplay: { median: null, p90: null } });
    // 79001's March confirmations: 6 h and 10 h (2 values).
    expectFigures((await compute("2026-03", endOfMarch, "79001")).i3.hoursToDisplay, { median: 8, p90: 9.6 });
    // 79002's sent visits one second later: 0.5, 1, 2, 3 and S6's 400 h 1 s (5 values) → p90 at 3.6.
    expectFigures((await compute("2026-03", endOfMarch + 1, "79002")).i2.hoursToSend, { median: 2, p90: 3 + 0.6 * (397 + sec) });
    // A month with no data at all.
    const may = await compute("2026-05", parseSourceDate("2026-06-01T00:00:00+07:00")!.epoch);
    expectFigures(may.i1, { total: 0, identified: 0, rate: null, distinctPatients: 0, byMethod: { the_can_cuoc: 0, so_dinh_danh: 0, the_bhyt: 0, khong: 0 } });
    expectFigures(may.i2, { ended: 0, sent: 0, rejected: 0, notSent: 0, rate: null, rejectCodes: [], hoursToSend: { median: null, p90: null } });
    expectFigures(may.i3, { onTime: 0, late: 0, overdue: 0, pending: 0, rate: null, hoursToDisplay: { median: null, p90: null } });
    expectFigures(may.i6, noBudget(2026, null, null));
  });
});
