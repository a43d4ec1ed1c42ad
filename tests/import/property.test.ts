// Property-based: truncated, mutated and garbage inputs to every reader never crash the
// import and never write part of a refused file; what a file does write matches its counts.
import fc from "fast-check";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { importFiles, importRows } from "~/server/import/pipeline.server";
import { cli, csv, envelope, checkinFile, snapshot, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeAll(async () => ({ db, wardId } = await testDb()));
afterAll(() => db.destroy());

const visits = Array.from({ length: 3 }, (_, i) => ({
  MA_LK: `PB${i}`, MA_CSKCB: "38120", SO_CCCD: `04009000123${i}`, MA_THE_BHYT: "DN4404012345678", NGAY_VAO: "202603040815", NGAY_RA: "202603040840",
}));

const SAMPLES: Record<string, Buffer> = {
  envelope: Buffer.from(envelope(visits)),
  checkin: Buffer.from(checkinFile(visits)),
  visitsCsv: Buffer.from(csv([["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "hinh_thuc"], ["38A15", "PB1", "04/03/2026 08:00", "04/03/2026 08:30", "040090001234", "Thẻ căn cước"], ["38A15", "PB2", "20260304", "", "", "khong"]], ";")),
  receiptsCsv: Buffer.from(csv([["ma_cskcb", "ma_lk", "ma_giao_dich", "thoi_gian_tiep_nhan", "ma_ket_qua", "thong_diep"], ["38120", "PB1", "GD1", "20260304100000", "200", "\"Thành công, đã nhận\""], ["38120", "PB2", "", "2026-03-04T10:00:00Z", "E101", "Sai"]])),
  displaysCsv: Buffer.from(csv([["ma_cskcb", "ma_lk", "thoi_gian_hien_thi", "nguon"], ["38120", "PB1", "04/03/2026 20:00", "bhxh"]])),
  onboardingCsv: Buffer.from(csv([["Khối", "Số định danh cá nhân", "Ngày cài đặt VNeID"], ["Khối 2", "040090001234", "01/03/2026"], ["5", "040090001235", ""]])),
  populationCsv: Buffer.from(csv([["khoi", "ngay_hieu_luc", "dan_so"], ["1", "01/01/2026", "1450"]])),
  activitiesCsv: Buffer.from(csv([["ngay", "loai", "don_vi", "khoi", "noi_dung", "so_nguoi"], ["05/03/2026", "hoi_nghi", "ubnd", "1", "Hội nghị", "50"]])),
  receiptsJson: Buffer.from(JSON.stringify([{ maCSKCB: "38120", maLK: "PB1", maGiaoDich: "GD9", thoiGianTiepNhan: "20260304100000", maKetQua: "200", thongDiep: "OK" }])),
};

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("A");
  ws.addRow(["khoi", "ngay_hieu_luc", "dan_so"]);
  ws.addRow(["Khối 2", new Date(Date.UTC(2026, 0, 1)), 1437]);
  SAMPLES.populationXlsx = Buffer.from(await wb.xlsx.writeBuffer());
});

type Snapshot = Awaited<ReturnType<typeof snapshot>>;
const rowsIn = (s: Snapshot) => s.visit.length + s.gateway_receipt.length + s.display_confirmation.length + s.onboarding_record.length + s.block_population.length + s.activity.length;

/** Imports one file; it must not throw, a refused file must change nothing, and new rows must match its count. */
async function importsSafely(name: string, bytes: Uint8Array): Promise<void> {
  const before = await snapshot(db);
  const outcomes = await importFiles(db, cli(wardId), [{ name, bytes }]);
  const after = await snapshot(db);
  for (const o of outcomes) expect(["committed", "unchanged", "refused", "duplicate"]).toContain(o.status);
  const refused = outcomes.every((o) => o.status === "refused" || o.status === "duplicate");
  if (refused) expect({ ...after, facility: [] }).toEqual({ ...before, facility: [] });
  expect(rowsIn(after) - rowsIn(before)).toBe(outcomes.reduce((n, o) => n + (o.status === "committed" ? o.counts.new : 0), 0));
}

describe("mutated input never crashes the import nor half-writes a file", () => {
  it("truncated files", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(SAMPLES)), fc.double({ min: 0, max: 1, noNaN: true }), async (name, at) => {
        const bytes = SAMPLES[name];
        await importsSafely(name, bytes.subarray(0, Math.floor(bytes.length * at)));
      }),
      { numRuns: 150 },
    );
  });

  it("bytes overwritten, inserted or deleted", async () => {
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.integer({ min: 0, max: 8 }),
      insert: fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constantFrom(...["<", ">", "\"", ";", ",", "\n", "&", "<!DOCTYPE x>", "]]>", "\u0000", "=", "/", "é"].map((s) => Buffer.from(s)))),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(SAMPLES)), fc.array(edit, { minLength: 1, maxLength: 4 }), async (name, edits) => {
        let bytes = Buffer.from(SAMPLES[name]);
        for (const e of edits) {
          const i = Math.floor(bytes.length * e.at);
          bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(e.insert), bytes.subarray(i + e.remove)]);
        }
        await importsSafely(name, bytes);
      }),
      { numRuns: 250 },
    );
  });

  it("garbage of any kind, text or binary, with a valid-looking start", async () => {
    const start = fc.constantFrom("", "<?xml version=\"1.0\"?><GIAMDINHHS>", "<TRANG_THAI_KCB>", "[", "{", "ma_cskcb,ma_lk\n", "PK\u0003\u0004", "khoi;dan_so\n");
    await fc.assert(
      fc.asyncProperty(start, fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1"))), async (head, body) => {
        await importsSafely("garbage", Buffer.from(head + body, "latin1"));
      }),
      { numRuns: 200 },
    );
  });

  it("API rows of any shape", async () => {
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.boolean(), fc.date({ noInvalidDate: false }), fc.double());
    const keys = fc.constantFrom("ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "thoi_gian_tiep_nhan", "ma_ket_qua", "khoi", "so_dinh_danh", "dan_so", "ngay", "loai", "don_vi", "x");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("visits_table", "receipts", "displays", "onboarding", "population", "activities") as fc.Arbitrary<"receipts">, fc.array(fc.dictionary(keys, value), { maxLength: 5 }), async (kind, rows) => {
        const before = await snapshot(db);
        const outcome = await importRows(db, { ...cli(wardId), channel: "api" }, kind, "api", rows);
        const after = await snapshot(db);
        if (outcome.status === "refused" || outcome.status === "duplicate") expect({ ...after, facility: [] }).toEqual({ ...before, facility: [] });
        expect(rowsIn(after) - rowsIn(before)).toBe(outcome.status === "committed" ? outcome.counts.new : 0);
      }),
      { numRuns: 150 },
    );
  });

  it("the unmutated samples import", async () => {
    for (const name of Object.keys(SAMPLES)) {
      const [outcome] = await importFiles(db, cli(wardId), [{ name, bytes: SAMPLES[name] }]);
      expect([name, outcome.status]).not.toEqual([name, "refused"]);
    }
  });
});
