// Receipts re-sent with other fields (same transaction id) through the real import
// pipeline: the roll-ups read a record's receipts only up to its first accepted one, so a
// correction of that receipt — rejected after all, later, or moved to another record —
// must still give the reference engine's figures and what a rebuild gives. Also a file
// of many steps touching the same records (roll-ups brought up to date once, at its end).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePeriod, defaultAsOf } from "~/domain/periods";
import type { DB } from "~/server/db.server";
import { computeMetricsWith, type MetricsQuery } from "~/server/metrics/engine.server";
import { rebuildDerived } from "~/server/metrics/derived.server";
import { referenceSource } from "../reference/engine";
import { rollupSource } from "~/server/metrics/rollup.server";
import { at } from "./fixture";
import { cli, csv, envelope, importOne, testDb } from "../import/helpers";

let db: DB;
let wardId: number;
beforeEach(async () => {
  ({ db, wardId } = await testDb());
});
afterEach(() => db.destroy());

const HEADER = ["ma_cskcb", "ma_lk", "ma_giao_dich", "thoi_gian_tiep_nhan", "ma_ket_qua"];
const receipts = (rows: Array<[string, string, string, string]>) => csv([HEADER, ...rows.map(([maLk, id, time, code]) => ["38120", maLk, id, time, code])]);

const ROLLUP_TABLES = ["metric_record", "metric_checkin_day", "metric_sending_span", "metric_display_span", "metric_hours", "metric_patient_month", "metric_patient_link"] as const;

async function rollups() {
  const out: Record<string, string[]> = {};
  for (const t of ROLLUP_TABLES) {
    const rows = (await db.selectFrom(t).selectAll().execute()) as Array<Record<string, unknown>>;
    out[t] = rows.filter((r) => r.n === undefined || r.n !== 0).map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** Both engines agree for a few periods and as-of times, and the roll-ups equal a rebuild. */
async function check() {
  for (const key of ["2026-03", "2026-04", "2026-Q1", "2026"]) {
    const period = parsePeriod(key);
    for (const asOf of [defaultAsOf(period, at(2026, 6, 1)), at(2026, 3, 20), at(2026, 4, 2, 12)]) {
      const q: MetricsQuery = { wardId, period, asOf };
      expect(await computeMetricsWith(db, q, rollupSource), `${key} as of ${asOf}`).toEqual(await computeMetricsWith(db, q, referenceSource));
    }
  }
  const incremental = await rollups();
  await rebuildDerived(db, 3);
  expect(await rollups()).toEqual(incremental);
}

describe("corrected receipts", () => {
  it("keep the roll-ups exact when the first accepted receipt is rejected after all, moved later or to another record", async () => {
    const visit = (maLk: string, day: number) => ({ MA_LK: maLk, MA_CSKCB: "38120", SO_CCCD: "040090001234", NGAY_VAO: `202603${day}0800`, NGAY_RA: `202603${day}0900` });
    await importOne(db, cli(wardId), "v.xml", envelope([visit("A", 10), visit("B", 11), visit("C", 12), visit("D", 13)]));
    await importOne(db, cli(wardId), "r1.csv", receipts([
      ["A", "GA1", "20260310100000", "E101"],
      ["A", "GA2", "20260310110000", "200"],
      ["A", "GA3", "20260402110000", "200"],
      ["B", "GB1", "20260311100000", "200"],
      ["C", "GC1", "20260312100000", "200"],
      ["D", "GD1", "20260313100000", "E205"],
    ]));
    await check();
    // A's first accepted receipt turns out rejected: its later one (April) is the first accepted now.
    // B's accepted receipt moves to April; C's moves to record D.
    const r2 = await importOne(db, cli(wardId), "r2.csv", receipts([
      ["A", "GA2", "20260310110000", "E307"],
      ["B", "GB1", "20260403100000", "200"],
      ["D", "GC1", "20260312100000", "200"],
    ]));
    expect(r2.counts).toMatchObject({ new: 0, updated: 3, invalid: 0 });
    await check();
    // And back, with a receipt at the very time of the accepted one.
    const r3 = await importOne(db, cli(wardId), "r3.csv", receipts([
      ["A", "GA2", "20260310110000", "200"],
      ["A", "GA4", "20260310110000", "E101"],
      ["B", "GB1", "20260311100000", "200"],
    ]));
    expect(r3.counts).toMatchObject({ new: 1, updated: 2, invalid: 0 });
    await check();
  });

  it("keep the roll-ups exact when one file touches the same records in many steps", async () => {
    const visits = Array.from({ length: 30 }, (_, i) => ({ MA_LK: `V${i}`, MA_CSKCB: "38120", SO_CCCD: "040090001234", NGAY_VAO: "202603100800", NGAY_RA: "202603100900" }));
    await importOne(db, cli(wardId), "v.xml", envelope(visits));
    // 1,200 rows (steps of 500): each record gets rejections, then an acceptance, then later receipts.
    const rows: Array<[string, string, string, string]> = [];
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < 30; i++) {
        const code = k < 2 + (i % 5) ? "E101" : "200";
        rows.push([`V${i}`, `T${k}-${i}`, `202603${String(11 + (k % 18)).padStart(2, "0")}1${k % 10}0000`, code]);
      }
    }
    expect((await importOne(db, cli(wardId), "r.csv", receipts(rows))).counts).toMatchObject({ new: 1200, invalid: 0 });
    await check();
  });
});
