// The summaries are recomputed from the records' facts, not moved by differences: a row
// that is wrong (here, set wrong by hand) is right again as soon as an import touches its
// day or month, and equals what a rebuild writes.
import { expect, it } from "vitest";
import { rebuildDerived } from "~/server/metrics/derived.server";
import { at, WardFixture } from "./fixture";

const SUMMARIES = ["metric_checkin_day", "metric_sending_span", "metric_display_span", "metric_hours", "metric_patient_month"] as const;
// The links between a patient's months sum over every patient of the ward, and still move
// by old − new (derived.server.ts, summarisePatients): not recomputed, not tampered with here.

it("a touched day's and month's summary rows are recomputed whole, whatever they held", async () => {
  const w = await WardFixture.create();
  const a = await w.facility("11111");
  await w.visit({ facility: a, maLk: "V1", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 9), pid: "P1", method: "so_dinh_danh" });
  await w.receipt(a, "V1", at(2026, 3, 5, 10), "E101");
  await w.receipt(a, "V1", at(2026, 3, 5, 11));
  await w.display(a, "V1", at(2026, 3, 6, 9));
  await w.visit({ facility: a, maLk: "V2", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 10), card: "C1", method: "the_bhyt" });
  await w.commit();

  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of SUMMARIES) out[table] = (await w.db.selectFrom(table).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
    return out;
  };
  // Every row of 5 March and of March; a patient's months are recomputed per patient, so P1's.
  for (const table of SUMMARIES.slice(0, 4)) await w.db.updateTable(table).set({ n: 99 }).execute();
  await w.db.updateTable("metric_patient_month").set({ n: 99 }).where("patient_key", "=", "P:P1").execute();
  expect((await snapshot()).metric_checkin_day.every((r) => String(r).includes('"n":99'))).toBe(true);

  // A third visit of P1, on the same day, sent and shown in the same month.
  await w.visit({ facility: a, maLk: "V3", checkin: at(2026, 3, 5, 14), ended: at(2026, 3, 5, 15), pid: "P1", method: "the_can_cuoc" });
  await w.receipt(a, "V3", at(2026, 3, 5, 16));
  await w.display(a, "V3", at(2026, 3, 7, 9));
  await w.commit();
  const incremental = await snapshot();
  expect(incremental.metric_checkin_day.some((r) => String(r).includes('"n":99'))).toBe(false);

  await rebuildDerived(w.db);
  expect(incremental).toEqual(await snapshot());
});
