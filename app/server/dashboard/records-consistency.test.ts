// The records behind each figure must be exactly as many as the figure: the same random
// ward is counted by the indicator engine and listed by figureRecords, for several
// periods, as-of times and facility filters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figureCount, RECORD_FIGURES } from "~/domain/record-labels";
import { defaultAsOf, parsePeriod } from "~/domain/periods";
import { localToEpoch } from "~/domain/time";
import { openMigratedDatabase, type DB } from "../db.server";
import { computeMetrics } from "../metrics/engine.server";
import { updateDerived } from "../metrics/derived.server";
import { ensureWard } from "../ward.server";
import { figureRecords } from "./records.server";

let db: DB;
let wardId: number;

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  db = await openMigratedDatabase(":memory:");
  wardId = (await ensureWard(db)).id;
  const rnd = random(20260401);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const facilities: number[] = [];
  for (const code of ["79001", "79002", "79003"]) {
    facilities.push((await db.insertInto("facility").values({ ward_id: wardId, code, name: code, kind: "khac" }).returning("id").executeTakeFirstOrThrow()).id);
  }
  const start = localToEpoch(2026, 2, 20);
  const span = 60 * 86400;
  const touched: Array<{ facilityId: number; maLk: string }> = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < 400; i++) {
      const facilityId = pick(facilities);
      const maLk = `LK${i}`;
      touched.push({ facilityId, maLk });
      const checkin = start + Math.floor(rnd() * span);
      const ended = rnd() < 0.05 ? null : checkin + Math.floor(rnd() * 3 * 86400);
      const hasVisit = rnd() < 0.95; // a few records exist only at the gateway
      const pid = rnd() < 0.7;
      const card = !pid && rnd() < 0.6;
      if (hasVisit) {
        await trx.insertInto("visit").values({
          facility_id: facilityId, ma_lk: maLk, checkin_at: checkin, ended_at: ended,
          pid_hash: pid ? `p${i}` : null, card_hash: card ? `c${i}` : null,
          method: pick(["the_can_cuoc", "so_dinh_danh", "the_bhyt", "khong", "so_dinh_danh"]),
          patient_key: pid ? `P:p${i}` : card ? `C:c${i}` : null, visit_type: "01", source: "csv", fingerprint: maLk, updated_at: checkin,
        }).execute();
      }
      const base = ended ?? checkin;
      const receipts = Math.floor(rnd() * 3);
      let firstAccepted: number | null = null;
      for (let r = 0; r < receipts; r++) {
        const at = base + Math.floor(rnd() * 4 * 86400);
        const accepted = rnd() < 0.7;
        if (accepted && (firstAccepted === null || at < firstAccepted)) firstAccepted = at;
        await trx.insertInto("gateway_receipt").values({
          facility_id: facilityId, ma_lk: maLk, received_at: at, result_code: accepted ? "200" : pick(["E101", "E205"]),
          accepted: accepted ? 1 : 0, identity: `${maLk}|${r}`,
        }).execute();
      }
      if (firstAccepted !== null && rnd() < 0.75) {
        // Around the 24-hour line, and now and then before the receipt (invalid).
        const offsets = [-3600, 3600, 23 * 3600, 24 * 3600, 24 * 3600 + 60, 40 * 3600, 5 * 86400];
        await trx.insertInto("display_confirmation").values({
          facility_id: facilityId, ma_lk: maLk, displayed_at: firstAccepted + pick(offsets), source: "bhxh",
        }).execute();
      }
    }
    await updateDerived(trx, { records: touched, residents: [] });
  });
});

afterAll(() => db?.destroy());

describe("records behind a figure agree with the indicator engine", () => {
  const cases = [
    { period: "2026-03", asOf: null, facility: null },
    { period: "2026-03", asOf: localToEpoch(2026, 3, 20, 12), facility: null },
    { period: "2026-Q1", asOf: localToEpoch(2026, 4, 2, 8), facility: "79002" },
    { period: "2026-W12", asOf: localToEpoch(2026, 3, 23, 9, 30), facility: null },
    { period: "2026-03-10..2026-04-15", asOf: localToEpoch(2026, 4, 10), facility: "79003" },
  ];
  for (const c of cases) {
    it(`for ${c.period}${c.facility ? ` at ${c.facility}` : ""}${c.asOf ? " at a chosen as-of time" : ""}`, async () => {
      const period = parsePeriod(c.period);
      const asOf = c.asOf ?? defaultAsOf(period, localToEpoch(2026, 6, 1));
      const q = { wardId, period, asOf, facilityCode: c.facility };
      const metrics = await computeMetrics(db, q);
      for (const figure of RECORD_FIGURES) {
        const { total, rows } = await figureRecords(db, q, figure, { limit: 10_000, offset: 0 });
        expect(total, figure).toBe(figureCount(metrics, figure));
        expect(rows.length, figure).toBe(total);
      }
      expect(metrics.i3.onTime + metrics.i3.late + metrics.i2.sent).toBeGreaterThan(0);
    });
  }
});
