// The ward's facility list (FORMATS.md §8): unknown codes refused unless automatic
// registration is on; the list imports and updates; a stray code merged into the right
// one moves its records and the figures come out as if it had been right all along.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePeriod } from "~/domain/periods";
import { addFacility, CatalogError, listFacilities, mergeFacility } from "~/server/catalog.server";
import type { DB } from "~/server/db.server";
import { computeMetrics } from "~/server/metrics/engine.server";
import { setSetting } from "~/server/ward.server";
import { cli, count, csv, importOne, importTexts, testDb } from "../import/helpers";

const VISITS = ["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "ma_the_bhyt", "hinh_thuc", "ma_loai_kcb"];
const RECEIPTS = ["ma_cskcb", "ma_lk", "ma_giao_dich", "thoi_gian_tiep_nhan", "ma_ket_qua", "thong_diep"];
const visits = (code: string) => csv([
  VISITS,
  [code, "PK1", "04/03/2026 08:00", "04/03/2026 08:30", "040090001234", "", "", ""],
  [code, "PK2", "05/03/2026 09:00", "05/03/2026 09:20", "", "", "", ""],
]);
const receipts = (code: string) => csv([RECEIPTS, [code, "PK1", "GD1", "20260304100000", "200", "OK"]]);

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb(":memory:", { facilities: ["38120"] })));
afterEach(() => db.destroy());

describe("a facility code not in the ward's list", () => {
  it("makes the row invalid with a Vietnamese reason, and writes nothing", async () => {
    const outcome = await importOne(db, cli(wardId), "pk.csv", visits("38A15"));
    expect(outcome.status).toBe("refused");
    expect(outcome.counts.invalid).toBe(2);
    expect(outcome.errors.map((e) => e.reason)).toContain("Không có dòng hợp lệ nào (2 dòng lỗi).");
    expect(outcome.errors.find((e) => e.line === 2)?.reason).toMatch(/^Cơ sở KCB 38A15 chưa có trong danh mục của phường/);
    expect(await count(db, "visit")).toBe(0);
    expect((await listFacilities(db, wardId)).map((f) => f.code)).toEqual(["38120"]);
  });

  it("is accepted once the list names it, in the same import, and the list updates names and kinds", async () => {
    const list = csv([["Mã cơ sở KCB", "Tên cơ sở", "Loại cơ sở"], ["38A15", "Phòng khám Hưng Phát", "Phòng khám"], ["38120", "Trạm Y tế phường", "tram_y_te"]]);
    // One upload: the list first, then the clinic's visits.
    const [listed, imported] = await importTexts(db, cli(wardId), { "co-so.csv": list, "pk.csv": visits("38A15") });
    expect(listed).toMatchObject({ kind: "facilities", status: "committed", counts: { new: 1, updated: 1, invalid: 0 } });
    expect(imported).toMatchObject({ status: "committed", counts: { new: 2, invalid: 0 } });
    expect((await listFacilities(db, wardId)).map((f) => [f.code, f.name, f.kind, f.visits])).toEqual([
      ["38120", "Trạm Y tế phường", "tram_y_te", 0],
      ["38A15", "Phòng khám Hưng Phát", "phong_kham", 2],
    ]);
    expect((await importOne(db, cli(wardId), "co-so.csv", list)).status).toBe("unchanged");
    const bad = await importOne(db, cli(wardId), "co-so-loi.csv", csv([["ma_cskcb", "ten_co_so", "loai"], ["38A1", "Thiếu ký tự", ""], ["38B20", "", ""]]));
    expect(bad.status).toBe("refused");
    expect(bad.errors.map((e) => e.reason).join(" ")).toMatch(/phải gồm đúng 5 chữ hoặc số.*Thiếu "Tên cơ sở"/s);
  });

  it("is registered under its own code when the administrator turned automatic registration on", async () => {
    await setSetting(db, wardId, "facilityAutoRegister", true);
    expect((await importOne(db, cli(wardId), "pk.csv", visits("38A15"))).counts.new).toBe(2);
    expect((await listFacilities(db, wardId)).find((f) => f.code === "38A15")).toMatchObject({ name: "38A15", kind: "khac", visits: 2 });
  });
});

describe("merging a stray code into the right facility", () => {
  it("moves its visits and receipts and keeps every figure as if they had come under the right code", async () => {
    const period = parsePeriod("2026-03");
    const q = { wardId, period, asOf: Date.parse("2026-04-02T00:00:00+07:00") / 1000, blockId: null };
    // The reference: everything sent under the right code.
    const right = await testDb(":memory:", { facilities: ["38120"] });
    await importOne(right.db, cli(right.wardId), "v.csv", visits("38120"));
    await importOne(right.db, cli(right.wardId), "r.csv", receipts("38120"));
    const expected = await computeMetrics(right.db, { ...q, wardId: right.wardId });
    await right.db.destroy();

    await setSetting(db, wardId, "facilityAutoRegister", true);
    await importOne(db, cli(wardId), "v.csv", visits("38I20")); // the clinic's software mistyped its code
    await importOne(db, cli(wardId), "r.csv", receipts("38I20"));
    const [station, stray] = await listFacilities(db, wardId);
    expect([station.code, stray.code]).toEqual(["38120", "38I20"]);

    const result = await mergeFacility(db, wardId, stray.id, station.id);
    expect(result).toEqual({ from: "38I20", into: "38120", visits: 2, receipts: 1, displays: 0 });
    expect((await listFacilities(db, wardId)).map((f) => [f.code, f.visits, f.receipts])).toEqual([["38120", 2, 1]]);
    const merged = await computeMetrics(db, q);
    expect(merged.i1).toEqual(expected.i1);
    expect(merged.i2).toEqual(expected.i2);
    expect(merged.i3).toEqual(expected.i3);
    expect(merged.i1).toMatchObject({ total: 2, identified: 1 });
    expect(merged.i2).toMatchObject({ ended: 2, sent: 1 });
  });

  it("refuses, writing nothing, when the same visit key exists at both", async () => {
    await setSetting(db, wardId, "facilityAutoRegister", true);
    await importOne(db, cli(wardId), "a.csv", visits("38120"));
    await importOne(db, cli(wardId), "b.csv", visits("38I20"));
    const [station, stray] = await listFacilities(db, wardId);
    await expect(mergeFacility(db, wardId, stray.id, station.id)).rejects.toThrow(/PK1, PK2 có ở cả 38I20 và 38120/);
    expect((await listFacilities(db, wardId)).map((f) => f.visits)).toEqual([2, 2]);
    await expect(addFacility(db, wardId, { code: "38120", name: "Trùng", kind: "khac" })).rejects.toThrow(CatalogError);
  });
});
