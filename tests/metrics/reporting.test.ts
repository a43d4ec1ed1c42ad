// The reporting panel's facts per facility and source (app/server/reporting.server.ts):
// the months with no data and the time of the last import, on a hand-built ward.
import { beforeAll, expect, it } from "vitest";
import { reporting, reportingGaps } from "~/server/reporting.server";
import { at, WardFixture } from "./fixture";

let w: WardFixture;
let A: number;
let B: number;
const NOW = at(2026, 4, 15, 10);

/** An import batch created at `createdAt` that wrote the rows given. */
async function batch(createdAt: number, rows: Array<{ table: "visit" | "gateway_receipt" | "display_confirmation"; facility: number }>) {
  const { id } = await w.db
    .insertInto("import_batch")
    .values({
      ward_id: w.wardId, user_id: null, token_id: null, channel: "cli", file_name: "f.csv", content_hash: `h${createdAt}`, kind: null,
      status: "committed", new_rows: 1, updated_rows: 0, unchanged_rows: 0, invalid_rows: 0, errors_json: null, created_at: createdAt, committed_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const r of rows) await w.db.updateTable(r.table).set({ batch_id: Number(id) }).where("facility_id", "=", r.facility).where("batch_id", "is", null).execute();
}

beforeAll(async () => {
  w = await WardFixture.create();
  A = await w.facility("11111", "Trạm Y tế");
  B = await w.facility("22222", "Phòng khám");
  // A: visits in March only, accepted receipts in March only, a display in April only.
  await w.visit({ facility: A, maLk: "A1", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 9), pid: "P1", method: "so_dinh_danh" });
  await w.receipt(A, "A1", at(2026, 3, 31, 23));
  await batch(at(2026, 4, 1, 9), [{ table: "visit", facility: A }, { table: "gateway_receipt", facility: A }]);
  await w.display(A, "A1", at(2026, 4, 1, 2));
  await batch(at(2026, 4, 2, 9), [{ table: "display_confirmation", facility: A }]);
  // B: a rejected receipt in April (not data of "receipts": only accepted ones count), no visit.
  await w.receipt(B, "B1", at(2026, 4, 3, 8), "E101");
  await batch(at(2026, 4, 3, 9), [{ table: "gateway_receipt", facility: B }]);
  await w.commit();
});

it("names, per facility and source, the months without data and the last import", async () => {
  const r = await reporting(w.db, w.wardId, NOW);
  expect(r.months).toEqual(["2026-03", "2026-04"]);
  expect(r.facilities.map((f) => [f.code, f.sources.map((s) => [s.source, s.lastImportAt, s.monthsWithoutData])])).toEqual([
    ["11111", [["visits", at(2026, 4, 1, 9), ["2026-04"]], ["receipts", at(2026, 4, 1, 9), ["2026-04"]], ["displays", at(2026, 4, 2, 9), ["2026-03"]]]],
    ["22222", [["visits", null, ["2026-03", "2026-04"]], ["receipts", at(2026, 4, 3, 9), ["2026-03", "2026-04"]], ["displays", null, ["2026-03", "2026-04"]]]],
  ]);
  // The dashboard's panel checks only the months given.
  const april = await reporting(w.db, w.wardId, NOW, ["2026-04"]);
  expect(april.facilities[0].sources.map((s) => s.monthsWithoutData)).toEqual([["2026-04"], ["2026-04"], []]);
  expect((await reportingGaps(w.db, w.wardId, NOW)).map((g) => g.text)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^Trạm Y tế \(11111\) chưa gửi /), expect.stringMatching(/^Phòng khám \(22222\) chưa gửi /)]),
  );
});
