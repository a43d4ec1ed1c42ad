// Targets against the figures at the threshold: a figure equal to the threshold is met,
// one just below it is not; a figure with no data is "no data"; no target, no status.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePeriod } from "~/domain/periods";
import type { DB } from "~/server/db.server";
import { computeMetrics, evaluateTargets } from "~/server/metrics/engine.server";
import { createTarget, targetsWithStatus } from "~/server/targets.server";
import { renameBlock } from "~/server/catalog.server";
import { listBlocks } from "~/server/ward.server";
import { cli, csv, importOne, testDb } from "../import/helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const HEADER = ["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "ma_the_bhyt", "hinh_thuc", "ma_loai_kcb"];

describe("targets at the threshold", () => {
  it("a rate equal to the threshold is met, a hair above it is not; a block's count likewise", async () => {
    // March 2026: 4 visits, 3 identified → I1 = 0,75 exactly.
    await importOne(db, cli(wardId), "v.csv", csv([
      HEADER,
      ["38120", "A1", "04/03/2026 08:00", "04/03/2026 09:00", "040090001234", "", "", ""],
      ["38120", "A2", "05/03/2026 08:00", "05/03/2026 09:00", "040090001235", "", "", ""],
      ["38120", "A3", "06/03/2026 08:00", "06/03/2026 09:00", "", "DN4404012345678", "", ""],
      ["38120", "A4", "07/03/2026 08:00", "07/03/2026 09:00", "", "", "", ""],
    ]));
    await importOne(db, cli(wardId), "hd.csv", csv([
      ["ngay", "loai", "don_vi", "khoi", "noi_dung", "so_nguoi"],
      ["10/03/2026", "hoi_nghi", "ban_can_su_khoi", "Khối 2", "Họp dân", "40"],
      ["12/03/2026", "loa_fm", "ban_can_su_khoi", "Khối 2", "Phát thanh", ""],
    ]));
    const [, block2] = await listBlocks(db, wardId);
    const met = await createTarget(db, wardId, { indicator: "i1.rate", blockId: null, period: "2026-03", threshold: 0.75 });
    const notMet = await createTarget(db, wardId, { indicator: "i1.rate", blockId: null, period: "2026", threshold: 0.7501 });
    const blockMet = await createTarget(db, wardId, { indicator: "i5.total", blockId: block2.id, period: "2026-03", threshold: 2 });
    const blockNotMet = await createTarget(db, wardId, { indicator: "i5.reach", blockId: block2.id, period: "2026-03", threshold: 41 });
    const noData = await createTarget(db, wardId, { indicator: "i3.rate", blockId: null, period: "2026-03", threshold: 0.9 });
    const period = parsePeriod("2026-03");
    const q = { wardId, period, asOf: Date.parse("2026-04-01T00:00:00+07:00") / 1000, blockId: null };
    const statuses = await evaluateTargets(db, q, await computeMetrics(db, q));
    const of = (id: number) => statuses.find((s) => s.targetId === id);
    expect(of(met)).toMatchObject({ value: 0.75, status: "met" });
    // The exact month's target wins over the year's for March; the year's is judged on 2026.
    expect(of(notMet)).toBeUndefined();
    expect(of(blockMet)).toMatchObject({ value: 2, status: "met", block: "Khối 2" });
    expect(of(blockNotMet)).toMatchObject({ value: 40, status: "not_met" });
    expect(of(noData)).toMatchObject({ value: null, status: "no_data" });
    expect(statuses.some((s) => s.indicator === "i2.rate")).toBe(false); // no target: nothing to mark

    const listed = await targetsWithStatus(db, wardId, Date.parse("2027-01-15T00:00:00+07:00") / 1000);
    expect(listed.find((t) => t.id === notMet)?.status).toMatchObject({ value: 0.75, status: "not_met" });
    expect(listed.find((t) => t.id === met)?.status).toMatchObject({ status: "met" });
  });
});

describe("a block's target", () => {
  it("is matched to the block's figures by id, so a rename between the figures and the marks changes nothing", async () => {
    await importOne(db, cli(wardId), "hotro.csv", csv([
      ["khoi", "so_dinh_danh", "ngay_cai_vneid", "ngay_kich_hoat_muc2", "ngay_tich_hop_bhyt", "don_vi_ho_tro"],
      ["Khối 2", "040090001234", "02/03/2026", "03/03/2026", "", "cong_an"],
      ["Khối 2", "040090001235", "04/03/2026", "", "", "cong_an"],
    ]));
    const [, block2] = await listBlocks(db, wardId);
    const target = await createTarget(db, wardId, { indicator: "i4.vneidInstalled", blockId: block2.id, period: "2026-03", threshold: 2 });
    const q = { wardId, period: parsePeriod("2026-03"), asOf: Date.parse("2026-04-01T00:00:00+07:00") / 1000, blockId: null };
    const figures = await computeMetrics(db, q);
    expect(figures.i4.blocks.find((b) => b.blockId === block2.id)).toMatchObject({ block: "Khối 2", vneidInstalled: 2 });
    await renameBlock(db, wardId, block2.id, "Khối Hai");
    const status = (await evaluateTargets(db, q, figures)).find((s) => s.targetId === target);
    expect(status).toMatchObject({ value: 2, status: "met", block: "Khối Hai" });
  });
});
