// The contract with the indicator engine: updateDerived runs inside each file's write
// transaction, after the rows are written, with every record and resident touched.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DerivedChange } from "~/server/metrics/derived.server";
import type { DB } from "~/server/db.server";
import { hashPersonalId } from "~/server/crypto.server";
import { cli, csv, envelope, importOne, importTexts, testDb } from "./helpers";

const calls: Array<{ change: DerivedChange; visitsSeen: number; receiptsSeen: number; onboardingSeen: number }> = [];

vi.mock("~/server/metrics/derived.server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("~/server/metrics/derived.server")>()), // lockWard stays real
  updateDerived: async (trx: DB, change: DerivedChange) => {
    const n = async (table: "visit" | "gateway_receipt" | "onboarding_record") =>
      Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    calls.push({ change, visitsSeen: await n("visit"), receiptsSeen: await n("gateway_receipt"), onboardingSeen: await n("onboarding_record") });
  },
}));

let db: DB;
let wardId: number;
beforeEach(async () => {
  ({ db, wardId } = await testDb());
  calls.length = 0;
});
afterEach(() => db.destroy());

const facilityId = async (code: string) => (await db.selectFrom("facility").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;

describe("updateDerived", () => {
  it("gets the records of new and changed visits and receipts, seeing them written; nothing for unchanged ones", async () => {
    const v = (maLk: string) => ({ MA_LK: maLk, MA_CSKCB: "38120", NGAY_VAO: "202603040815" });
    await importTexts(db, cli(wardId), { "a.xml": envelope([v("D1")]), "b.xml": envelope([v("D2"), v("D3")]) });
    const f = await facilityId("38120");
    expect(calls).toHaveLength(1); // one group of small envelopes, one transaction
    expect(calls[0].change.records).toEqual([{ facilityId: f, maLk: "D1" }, { facilityId: f, maLk: "D2" }, { facilityId: f, maLk: "D3" }]);
    expect(calls[0].visitsSeen).toBe(3);

    calls.length = 0;
    await importTexts(db, cli(wardId), { "a.xml": envelope([v("D1")]) });
    expect(calls).toEqual([]);

    await importOne(db, cli(wardId), "r.csv", csv([["ma_cskcb", "ma_lk", "thoi_gian_tiep_nhan", "ma_ket_qua"], ["38120", "D2", "20260304100000", "200"], ["38A15", "D9", "20260304100000", "E1"]]));
    expect(calls).toHaveLength(1);
    expect(calls[0].change.records).toEqual([{ facilityId: f, maLk: "D2" }, { facilityId: await facilityId("38A15"), maLk: "D9" }]);
    expect(calls[0].receiptsSeen).toBe(2);
  });

  it("gets the residents whose onboarding rows are new", async () => {
    await importOne(db, cli(wardId), "o.csv", csv([["khoi", "so_dinh_danh", "ngay_cai_vneid"], ["1", "040090001234", "01/03/2026"], ["1", "040090001235", ""]]));
    expect(calls).toHaveLength(1);
    expect(calls[0].change.residents.sort()).toEqual([hashPersonalId("040090001234"), hashPersonalId("040090001235")].sort());
    expect(calls[0].onboardingSeen).toBe(2);
  });
});
