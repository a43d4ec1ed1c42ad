// Migrations that fill roll-up columns from data imported before them must write what
// updateDerived would. 0004 derives the day buckets of data imported before it from the hour buckets: they
// must equal what updateDerived writes.
import fc from "fast-check";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { up as addDayBuckets } from "../../db/migrations/0004_metric_hours_day_buckets";
import { fillFirstReceipts } from "../../db/migrations/0014_first_receipt";
import { down as monthSpans, fillDaySpans, up as daySpans } from "../../db/migrations/0015_day_spans";
import { at, WardFixture } from "./fixture";

it("0004 gives the day buckets updateDerived would", async () => {
  const w = await WardFixture.create();
  const a = await w.facility("11111");
  const visits: Array<[string, number, number, number | null]> = [
    ["NEG", at(2026, 3, 5, 10), at(2026, 3, 5, 9), at(2026, 3, 5, 12)], // accepted before the end: −1 h
    ["NEG2", at(2026, 3, 6, 10), at(2026, 3, 5, 9, 30), null], // −24 h 30 min
    ["DAY", at(2026, 3, 7, 10), at(2026, 3, 8, 10), at(2026, 3, 9, 11)], // exactly 24 h, then 25 h
    ["LONG", at(2026, 1, 30, 8), at(2026, 3, 1, 8, 0, 7), at(2026, 3, 1, 9)], // a month, across months
  ];
  for (const [maLk, ended, accepted, displayed] of visits) {
    await w.visit({ facility: a, maLk, checkin: ended - 3600, ended, pid: maLk, method: "so_dinh_danh" });
    await w.receipt(a, maLk, accepted);
    if (displayed !== null) await w.display(a, maLk, displayed);
  }
  await w.commit();
  const dayBuckets = () =>
    w.db.selectFrom("metric_hours").select(["kind", "slot", "bucket", "event_month", "n"]).where("level", "=", "D").orderBy(["kind", "slot", "bucket", "event_month"]).execute();
  const written = await dayBuckets();
  expect(written.map((r) => r.bucket)).toEqual(expect.arrayContaining([-1, -2, 0, 1, 30]));
  await w.db.deleteFrom("metric_hours").where("level", "=", "D").execute();
  await addDayBuckets(w.db);
  expect(await dayBuckets()).toEqual(written);
});

it("0014 gives each record the first receipt updateDerived would", async () => {
  const w = await WardFixture.create();
  const a = await w.facility("11111");
  await w.visit({ facility: a, maLk: "TWO", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 9), pid: "P1", method: "so_dinh_danh" });
  await w.receipt(a, "TWO", at(2026, 3, 6, 10), "E101");
  await w.receipt(a, "TWO", at(2026, 3, 5, 10)); // imported second, received first
  await w.visit({ facility: a, maLk: "NONE", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 9), pid: "P2", method: "so_dinh_danh" });
  await w.receipt(a, "ONLY", at(2026, 3, 7, 10));
  await w.commit();
  const firsts = () => w.db.selectFrom("metric_record").select(["ma_lk", "first_receipt_at"]).orderBy("ma_lk").execute();
  const written = await firsts();
  expect(written).toEqual([
    { ma_lk: "NONE", first_receipt_at: null },
    { ma_lk: "ONLY", first_receipt_at: at(2026, 3, 7, 10) },
    { ma_lk: "TWO", first_receipt_at: at(2026, 3, 5, 10) },
  ]);
  await w.db.updateTable("metric_record").set({ first_receipt_at: null }).execute();
  await fillFirstReceipts(w.db);
  expect(await firsts()).toEqual(written);
});

it("0015 gives the day spans updateDerived would, read in pages; its down migration goes back to month spans", async () => {
  const H = 3600;
  const base = at(2026, 3, 10, 20); // 4 h before a day start: receipts and displays fall either side
  const record = fc.record({
    facility: fc.constantFrom(0, 1),
    ended: fc.option(fc.integer({ min: -30, max: 30 }).map((h) => base + h * H), { freq: 4 }),
    receipts: fc.array(fc.record({ after: fc.constantFrom(0, 0, 1, H, 5 * H, 30 * H), code: fc.constantFrom("200", "E101", "E205") }), { maxLength: 4 }),
    displays: fc.uniqueArray(fc.constantFrom(0, H, 5 * H, 24 * H, 24 * H + 1, 50 * H), { maxLength: 2 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (records, pageSize) => {
      const w = await WardFixture.create();
      const facilities = [await w.facility("11111"), await w.facility("22222")];
      for (const [i, r] of records.entries()) {
        const [facility, maLk] = [facilities[r.facility], `R${i}`];
        if (r.ended !== null) await w.visit({ facility, maLk, checkin: r.ended - H, ended: r.ended, pid: `P${i}`, method: "so_dinh_danh" });
        let t = r.ended ?? base;
        for (const x of r.receipts) await w.receipt(facility, maLk, (t += x.after), x.code);
        for (const d of r.displays) await w.display(facility, maLk, t + d);
      }
      await w.commit();
      const spans = async (unit: "day" | "month" = "day") => {
        const [from, until] = [sql.ref(`from_${unit}`), sql.ref(`until_${unit}`)];
        return {
          sending: await w.db.selectFrom("metric_sending_span").selectAll().orderBy(["facility_id", "end_day", "state", "code"]).orderBy(from).orderBy(until).execute(),
          display: await w.db.selectFrom("metric_display_span").selectAll().orderBy(["facility_id", "accepted_day", "state"]).orderBy(from).orderBy(until).execute(),
        };
      };
      const written = await spans();
      await fillDaySpans(w.db, pageSize);
      expect(await spans()).toEqual(written);
      // Down to month spans: no span opens and closes within a month; then up again.
      await monthSpans(w.db);
      const months = await spans("month");
      for (const row of [...months.sending, ...months.display] as unknown as Array<{ from_month: string; until_month: string }>) {
        expect(row.from_month).toMatch(/^\d{4}-\d{2}$/);
        expect(row.from_month < row.until_month).toBe(true);
      }
      await daySpans(w.db);
      expect(await spans()).toEqual(written);
      await w.db.destroy();
    }),
    { numRuns: process.env.TEST_DATABASE_URL ? 5 : 40 },
  );
});
