// The overdue list (I3) and the work list (R4) from metric_record, one page at a time:
// each list walks an index in waiting order, so a page costs its rows, not the period's.
// Order: longest waiting first, then facility code, MA_LK (and kind), as the reference does.
import type { DB } from "../db.server";
import type { OverdueRecord, Page, WorkItem } from "~/domain/metrics-types";
import { displayStateSql, sendingStateAt, sendingStateSql } from "~/domain/classify";
import { compareKeys } from "./rules";
import { amongFacilities, facilityIds, type Scope } from "./scope.server";
import type { PageRequest } from "./source";

const codeOf = (s: Scope) => {
  const codes = new Map(s.wardFacilities.map((f) => [f.id, f.code]));
  return (id: number) => codes.get(id) ?? "";
};

/**
 * The first `k` rows of a list in `since` order, plus every row tied with the k-th, so
 * that re-sorting by (since, facility code, MA_LK) and cutting at k is exact.
 */
async function firstWithTies<R extends { since: number }>(k: number, read: (limit: number | null, since: number | null) => Promise<R[]>): Promise<R[]> {
  const rows = await read(k, null);
  if (rows.length < k || k === 0) return rows;
  const ties = await read(null, rows[rows.length - 1].since);
  const key = (r: R) => JSON.stringify(r);
  const seen = new Set(rows.map(key));
  return [...rows, ...ties.filter((r) => !seen.has(key(r)))];
}

/** I3's overdue records: accepted in the period (by the as-of time), in acceptance order. */
function overdueRows(db: DB, s: Scope) {
  const last = Math.min(s.end - 1, s.asOf);
  return async (limit: number | null, since: number | null) => {
    if (s.start > last) return [];
    const rows = await db
      .selectFrom("metric_record as r")
      .select(["facility_id", "ma_lk", "accepted_at", "ended_at"])
      .where("accepted_at", ">=", since ?? s.start)
      .where("accepted_at", "<=", since ?? last)
      .where(amongFacilities(facilityIds(s)))
      .where(displayStateSql("r", s.asOf), "=", "overdue")
      .orderBy("accepted_at")
      .$if(limit !== null, (q) => q.limit(limit!))
      .execute();
    return rows.map((r) => ({ facilityId: r.facility_id, maLk: r.ma_lk, since: r.accepted_at!, endedAt: r.ended_at }));
  };
}

export async function overdueList(db: DB, s: Scope, page: PageRequest, total: number): Promise<Page<OverdueRecord>> {
  const code = codeOf(s);
  const rows = (await firstWithTies(page.offset + page.limit, overdueRows(db, s)))
    .map((r) => ({ facilityCode: code(r.facilityId), maLk: r.maLk, receivedAt: r.since, hoursWaiting: (s.asOf - r.since) / 3600 }))
    .sort((a, b) => a.receivedAt - b.receivedAt || compareKeys(a, b));
  return { total, rows: rows.slice(page.offset, page.offset + page.limit) };
}

/** I2's records not sent or rejected: visits ended in the period without an accepted receipt by the as-of time, by end time. */
function unsentRows(db: DB, s: Scope) {
  return async (limit: number | null, since: number | null) => {
    const rows = await db
      .selectFrom("metric_record as r")
      .select(["facility_id", "ma_lk", "ended_at", "first_receipt_at", "accepted_at"])
      .where("ended_at", ">=", since ?? s.start)
      .where("ended_at", since === null ? "<" : "<=", since ?? s.end)
      .where(amongFacilities(facilityIds(s)))
      .where(sendingStateSql("r", s.asOf), "in", ["notSent", "rejected"])
      .orderBy("ended_at")
      .$if(limit !== null, (q) => q.limit(limit!))
      .execute();
    return rows.map((r) => ({
      facilityId: r.facility_id, maLk: r.ma_lk, since: r.ended_at!,
      rejected: sendingStateAt(r, s.asOf) === "rejected",
    }));
  };
}

const KIND_ORDER = { not_sent: 0, rejected: 1, overdue: 2 } as const;

export async function workListPage(
  db: DB,
  s: Scope,
  page: PageRequest,
  totals: { notSent: number; rejected: number; overdue: number },
): Promise<Page<WorkItem>> {
  const k = page.offset + page.limit;
  const code = codeOf(s);
  const items: Array<WorkItem & { since: number; facilityId: number }> = [];
  for (const r of await firstWithTies(k, unsentRows(db, s))) {
    items.push({
      kind: r.rejected ? "rejected" : "not_sent", facilityId: r.facilityId, facilityCode: code(r.facilityId), maLk: r.maLk,
      endedAt: r.since, receivedAt: null, rejectCode: null, rejectMessage: null, hoursWaiting: (s.asOf - r.since) / 3600, since: r.since,
    });
  }
  for (const r of await firstWithTies(k, overdueRows(db, s))) {
    items.push({
      kind: "overdue", facilityId: r.facilityId, facilityCode: code(r.facilityId), maLk: r.maLk, endedAt: r.endedAt,
      receivedAt: r.since, rejectCode: null, rejectMessage: null, hoursWaiting: (s.asOf - r.since) / 3600, since: r.since,
    });
  }
  items.sort((a, b) => a.since - b.since || compareKeys(a, b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const shown = items.slice(page.offset, k);
  await addLatestReceipts(db, s.asOf, shown.filter((i) => i.kind === "rejected"));
  return {
    total: totals.notSent + totals.rejected + totals.overdue,
    rows: shown.map(({ since: _since, facilityId: _facilityId, ...item }) => item),
  };
}

/** The gateway's code and message on a rejected record's latest receipt by the as-of time. */
async function addLatestReceipts(db: DB, asOf: number, items: Array<WorkItem & { facilityId: number }>): Promise<void> {
  const byFacility = new Map<number, Map<string, WorkItem>>();
  for (const item of items) {
    if (!byFacility.has(item.facilityId)) byFacility.set(item.facilityId, new Map());
    byFacility.get(item.facilityId)!.set(item.maLk, item);
  }
  for (const [facilityId, byMaLk] of byFacility) {
    const maLks = [...byMaLk.keys()];
    for (let i = 0; i < maLks.length; i += 500) {
      const receipts = await db
        .selectFrom("gateway_receipt")
        .select(["ma_lk", "received_at", "result_code", "message"])
        .where("facility_id", "=", facilityId)
        .where("ma_lk", "in", maLks.slice(i, i + 500))
        .where("received_at", "<=", asOf)
        .orderBy("received_at")
        .orderBy("id")
        .execute();
      for (const r of receipts) {
        const item = byMaLk.get(r.ma_lk)!; // ordered: the latest one is written last
        item.receivedAt = r.received_at;
        item.rejectCode = r.result_code;
        item.rejectMessage = r.message;
      }
    }
  }
}
