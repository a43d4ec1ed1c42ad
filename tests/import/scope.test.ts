// Who may feed what: each role only its sources; a block committee only its own block
// (a file with another block's rows is refused whole); a facility token only its facility.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { importRows } from "~/server/import/pipeline.server";
import { asUser, cli, count, csv, envelope, importOne, snapshot, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const ONBOARDING = ["khoi", "so_dinh_danh", "ngay_cai_vneid"];
const visitXml = envelope([{ MA_LK: "S1", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }]);
const population = "khoi,ngay_hieu_luc,dan_so\n1,01/01/2026,10\n";
const onboarding = csv([ONBOARDING, ["1", "040090001234", "01/03/2026"]]);
const activities = "ngay,loai,don_vi\n05/03/2026,hoi_nghi,ubnd\n";

describe("roles feed only their sources", () => {
  it.each([
    ["tram_y_te", { visits: true, onboarding: false, population: false, activities: false }],
    ["cong_an", { visits: false, onboarding: true, population: false, activities: false }],
    ["van_hoa", { visits: false, onboarding: false, population: false, activities: true }],
    ["lanh_dao", { visits: false, onboarding: false, population: false, activities: false }],
    ["quan_tri", { visits: true, onboarding: true, population: true, activities: true }],
  ] as const)("%s", async (role, allowed) => {
    const actor = await asUser(db, wardId, role);
    const files = { visits: visitXml, onboarding, population, activities };
    for (const [source, text] of Object.entries(files)) {
      const outcome = await importOne(db, actor, `${source}.csv`, text);
      const ok = allowed[source as keyof typeof allowed];
      expect([source, outcome.status]).toEqual([source, ok ? "committed" : "refused"]);
      if (!ok) expect(outcome.errors[0].reason).toMatch(/không được nhập loại dữ liệu/);
    }
  });
});

describe("block committees", () => {
  it("import their own block's onboarding and activities; an activity naming no block is theirs", async () => {
    const actor = await asUser(db, wardId, "ban_can_su_khoi", 3);
    expect((await importOne(db, actor, "o.csv", csv([ONBOARDING, ["Khối 3", "040090001234", "01/03/2026"]]))).status).toBe("committed");
    expect((await importOne(db, actor, "a.csv", activities)).status).toBe("committed");
    const activity = await db.selectFrom("activity").innerJoin("block", "block.id", "activity.block_id").select("block.number").executeTakeFirstOrThrow();
    expect(activity.number).toBe(3);
  });

  it("a file with one row of another block is refused whole: nothing of it is written", async () => {
    const actor = await asUser(db, wardId, "ban_can_su_khoi", 3);
    const before = await snapshot(db);
    const rows = [ONBOARDING, ...Array.from({ length: 1200 }, (_, i) => ["3", `0400900${String(10000 + i)}`, "01/03/2026"]), ["Khối 4", "040090009999", "01/03/2026"]];
    const outcome = await importOne(db, actor, "o.csv", csv(rows));
    expect(outcome.status).toBe("refused");
    expect(outcome.counts.new).toBe(0);
    expect(outcome.errors[0]).toMatchObject({ line: 1202, reason: expect.stringMatching(/chỉ được nhập dữ liệu của khối mình \(Khối 3\); dòng 1202 thuộc Khối 4/) });
    expect(await snapshot(db)).toEqual(before);
    const activityOfOther = await importOne(db, actor, "a.csv", "ngay,loai,don_vi,khoi\n05/03/2026,hoi_nghi,ubnd,5\n");
    expect(activityOfOther.status).toBe("refused");
    expect(await count(db, "activity")).toBe(0);
  });
});

describe("API token scoped to one facility", () => {
  it("sends its facility's rows; a row of another facility refuses the request", async () => {
    const actor = { ...cli(wardId), channel: "api" as const, tokenId: 1, facilityCode: "38A15" };
    const own = await importRows(db, actor, "visits_table", "api", [{ ma_cskcb: "38A15", ma_lk: "T1", ngay_vao: "2026-03-04T08:00:00+07:00" }]);
    expect(own.status).toBe("committed");
    expect(await db.selectFrom("visit").select("source").executeTakeFirstOrThrow()).toEqual({ source: "api" });
    const other = await importRows(db, actor, "receipts", "api", [
      { ma_cskcb: "38A15", ma_lk: "T1", thoi_gian_tiep_nhan: "20260304100000", ma_ket_qua: "200" },
      { ma_cskcb: "38120", ma_lk: "T2", thoi_gian_tiep_nhan: "20260304100000", ma_ket_qua: "200" },
    ]);
    expect(other.status).toBe("refused");
    expect(other.errors[0].reason).toMatch(/chỉ được gửi dữ liệu của cơ sở 38A15; dòng 2 thuộc cơ sở 38120/);
    expect(await count(db, "gateway_receipt")).toBe(0);
    const notItsKind = await importRows(db, actor, "population", "api", [{ khoi: "1", ngay_hieu_luc: "2026-01-01", dan_so: 10 }]);
    expect(notItsKind.status).toBe("refused");
  });
});
