// The classifier's SQL form gives the pure functions' states, row for row, on the database
// the suite runs on (SQLite, or PostgreSQL under TEST_DATABASE_URL): random records, with
// times on and around the 24-hour boundary, classified at random as-of times.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { displayStateAt, displayStateSql, rejectedCodeAt, rejectedCodeSql, sendingStateAt, sendingStateSql, type RecordTimes } from "~/domain/classify";
import { DAY_SECONDS } from "~/domain/time";
import type { DB } from "~/server/db.server";
import { testDb } from "../import/helpers";

const T0 = 1_780_000_000;
const near = (base: fc.Arbitrary<number>) =>
  fc.tuple(base, fc.constantFrom(-1, 0, 0, 1, DAY_SECONDS - 1, DAY_SECONDS, DAY_SECONDS + 1, 3 * DAY_SECONDS)).map(([b, d]) => b + d);
const time = near(fc.integer({ min: T0, max: T0 + 5 * DAY_SECONDS }));

/** A record as metric_record holds it: the first receipt is never after the first accepted one. */
const record = fc
  .record({
    ended: fc.option(time, { freq: 4 }),
    first: fc.option(time, { freq: 3 }),
    acceptedAfterFirst: fc.option(fc.constantFrom(0, 0, 1, 3600, DAY_SECONDS + 1), { freq: 3 }),
    displayAfterAccepted: fc.option(fc.constantFrom(0, 1, DAY_SECONDS - 1, DAY_SECONDS, DAY_SECONDS + 1, 2 * DAY_SECONDS), { freq: 2 }),
  })
  .map(({ ended, first, acceptedAfterFirst, displayAfterAccepted }): RecordTimes => {
    const accepted = first === null || acceptedAfterFirst === null ? null : first + acceptedAfterFirst;
    return {
      ended_at: ended,
      first_receipt_at: first,
      accepted_at: accepted,
      displayed_at: accepted === null || displayAfterAccepted === null ? null : accepted + displayAfterAccepted,
    };
  });

let db: DB;
let facilityId: number;
beforeAll(async () => {
  ({ db } = await testDb());
  facilityId = (await db.selectFrom("facility").select("id").executeTakeFirstOrThrow()).id;
});
afterAll(() => db.destroy());

it("classifies in SQL exactly as the pure functions do", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 40 }), fc.array(time, { minLength: 1, maxLength: 4 }), async (records, asOfs) => {
      await db.deleteFrom("metric_record").execute();
      await db
        .insertInto("metric_record")
        .values(records.map((r, i) => ({ facility_id: facilityId, ma_lk: `R${i}`, receipts: "[]", ...r })))
        .execute();
      for (const t of asOfs) {
        const rows = await db
          .selectFrom("metric_record as r")
          .select(["r.ma_lk", sendingStateSql("r", t).as("sending"), displayStateSql("r", t).as("display")])
          .execute();
        const got = new Map(rows.map((r) => [r.ma_lk, { sending: r.sending, display: r.display }]));
        records.forEach((r, i) => {
          expect(got.get(`R${i}`), JSON.stringify({ r, t })).toEqual({ sending: sendingStateAt(r, t), display: displayStateAt(r, t) });
        });
      }
    }),
    { numRuns: process.env.TEST_DATABASE_URL ? 30 : 100 },
  );
});

/** A record's receipts in import order: times drawn close together so that some tie; codes among a few. */
const receipts = fc.array(
  fc.record({ at: fc.integer({ min: T0, max: T0 + 20 }), code: fc.constantFrom("200", "401", "402", "500") }),
  { minLength: 0, maxLength: 6 },
);

it("gives a rejected record's code in SQL exactly as the pure function does", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(receipts, { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: T0 - 1, max: T0 + 21 }), { minLength: 1, maxLength: 4 }), async (records, asOfs) => {
      await db.deleteFrom("metric_record").execute();
      await db.deleteFrom("gateway_receipt").execute();
      // The timeline the roll-ups keep: receipts in (time, import) order, up to the first accepted.
      const timelines = records.map((list) => {
        const ordered = list.map((r, i) => ({ ...r, i })).sort((a, b) => a.at - b.at || a.i - b.i);
        const accepted = ordered.findIndex((r) => r.code === "200");
        return accepted < 0 ? ordered : ordered.slice(0, accepted + 1);
      });
      const rows = records.flatMap((list, k) =>
        list.map((r, i) => ({ facility_id: facilityId, ma_lk: `R${k}`, received_at: r.at, result_code: r.code, accepted: r.code === "200" ? 1 : 0, identity: `R${k}|${i}` })),
      );
      if (rows.length) await db.insertInto("gateway_receipt").values(rows).execute();
      const times = timelines.map((tl): RecordTimes => ({
        ended_at: T0 - 100,
        first_receipt_at: tl[0]?.at ?? null,
        accepted_at: tl.find((r) => r.code === "200")?.at ?? null,
        displayed_at: null,
      }));
      await db
        .insertInto("metric_record")
        .values(times.map((r, k) => ({ facility_id: facilityId, ma_lk: `R${k}`, receipts: "[]", ...r })))
        .execute();
      for (const t of asOfs) {
        const got = await db.selectFrom("metric_record as r").select(["r.ma_lk", rejectedCodeSql("r", t).as("code")]).execute();
        const codes = new Map(got.map((r) => [r.ma_lk, r.code]));
        times.forEach((r, k) => {
          const expected = sendingStateAt(r, t) === "rejected" ? rejectedCodeAt(timelines[k], t) : "";
          expect(codes.get(`R${k}`), JSON.stringify({ receipts: records[k], t })).toBe(expected);
        });
      }
    }),
    { numRuns: process.env.TEST_DATABASE_URL ? 30 : 100 },
  );
});

it("draws the lines where METRICS.md does", () => {
  const r = { ended_at: T0, first_receipt_at: T0 + 10, accepted_at: T0 + 20, displayed_at: T0 + 20 + DAY_SECONDS };
  expect([sendingStateAt(r, T0 + 9), sendingStateAt(r, T0 + 10), sendingStateAt(r, T0 + 20)]).toEqual(["notSent", "rejected", "sent"]);
  expect(sendingStateAt({ ...r, ended_at: null }, T0 + 20)).toBeNull();
  expect(displayStateAt(r, T0 + 19)).toBeNull();
  // Exactly 24 h without display is still pending, one second more is overdue; exactly 24 h to display is on time.
  expect(displayStateAt(r, T0 + 20 + DAY_SECONDS - 1)).toBe("pending");
  expect(displayStateAt({ ...r, displayed_at: null }, T0 + 20 + DAY_SECONDS)).toBe("pending");
  expect(displayStateAt({ ...r, displayed_at: null }, T0 + 21 + DAY_SECONDS)).toBe("overdue");
  expect(displayStateAt(r, T0 + 20 + DAY_SECONDS)).toBe("onTime");
  expect(displayStateAt({ ...r, displayed_at: r.displayed_at + 1 }, T0 + 30 * DAY_SECONDS)).toBe("late");
});
