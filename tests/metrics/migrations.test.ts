// Migrations that fill roll-up columns from data imported before them must write what
// updateDerived would. 0004 derives the day buckets of data imported before it from the hour buckets: they
// must equal what updateDerived writes.
import { expect, it } from "vitest";
import { up as addDayBuckets } from "../../db/migrations/0004_metric_hours_day_buckets";
import { fillFirstReceipts } from "../../db/migrations/0014_first_receipt";
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
