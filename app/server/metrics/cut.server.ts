// The as-of time against the roll-ups. Span and histogram rows give each record's state
// just before a month start (the "cut"); records with an event (a receipt, a display
// confirmation) between the cut and the as-of time are corrected one by one. Of the two
// month starts around the as-of time, the one with fewer events in between is used: the
// start of its month for a period's end (events at exactly midnight), the next month's
// start for "now" (no events yet after now).
import type { DB } from "../db.server";
import { localDayOf, startOfLocalDay } from "~/domain/time";
import type { RecordFacts } from "./record-facts";
import { amongFacilities } from "./scope.server";

export interface Cut {
  /** 'yyyy-MM': rows count with from_month < month ≤ until_month, hours with event_month < month. */
  month: string;
  /** The cut's instant: rows give the state at at − 1. */
  at: number;
  /** Events in [lo, hi] are on the other side of the as-of time from the cut. */
  lo: number;
  hi: number;
}

const FEW = 200; // corrections cheap enough not to look at the other side

export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** Receipts and display confirmations in [lo, hi], counted up to `cap` of each. */
async function eventsBetween(db: DB, lo: number, hi: number, cap: number): Promise<number> {
  if (lo > hi) return 0;
  const receipts = db.selectFrom("gateway_receipt").select("id").where("received_at", ">=", lo).where("received_at", "<=", hi).limit(cap);
  const displays = db.selectFrom("metric_record").select("facility_id").where("displayed_at", ">=", lo).where("displayed_at", "<=", hi).limit(cap);
  const [a, b] = await Promise.all([
    db.selectFrom(receipts.as("r")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom(displays.as("d")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return Number(a.n) + Number(b.n);
}

export async function chooseCut(db: DB, asOf: number): Promise<Cut> {
  const month = localDayOf(asOf).slice(0, 7);
  const start = startOfLocalDay(`${month}-01`);
  const following = nextMonth(month);
  const end = startOfLocalDay(`${following}-01`);
  const atStart: Cut = { month, at: start, lo: start, hi: asOf };
  const atEnd: Cut = { month: following, at: end, lo: asOf + 1, hi: end - 1 };
  // Usually one side is empty: a period's end is a month start, "now" has no events after it.
  const first = asOf === start ? atStart : atEnd;
  const second = first === atStart ? atEnd : atStart;
  const cost = await eventsBetween(db, first.lo, first.hi, 50_000);
  if (cost <= FEW) return first;
  return (await eventsBetween(db, second.lo, second.hi, cost)) < cost ? second : first;
}

/** Records of the given facilities with a receipt or a display confirmation in [lo, hi]. */
export async function eventfulRecords(db: DB, facilityIds: number[], cut: Cut): Promise<RecordFacts[]> {
  if (cut.lo > cut.hi || facilityIds.length === 0) return [];
  const receipted = await db
    .selectFrom("gateway_receipt")
    .select(["facility_id", "ma_lk"])
    .distinct()
    .where("received_at", ">=", cut.lo)
    .where("received_at", "<=", cut.hi)
    .where(amongFacilities(facilityIds))
    .execute();
  const out = new Map<string, RecordFacts>();
  const displayed = await db
    .selectFrom("metric_record")
    .selectAll()
    .where("displayed_at", ">=", cut.lo)
    .where("displayed_at", "<=", cut.hi)
    .where(amongFacilities(facilityIds))
    .execute();
  for (const f of displayed) out.set(`${f.facility_id}|${f.ma_lk}`, f);
  const byFacility = new Map<number, string[]>();
  for (const r of receipted) {
    if (out.has(`${r.facility_id}|${r.ma_lk}`)) continue;
    if (!byFacility.has(r.facility_id)) byFacility.set(r.facility_id, []);
    byFacility.get(r.facility_id)!.push(r.ma_lk);
  }
  for (const [facilityId, maLks] of byFacility) {
    for (let i = 0; i < maLks.length; i += 500) {
      const rows = await db.selectFrom("metric_record").selectAll().where("facility_id", "=", facilityId).where("ma_lk", "in", maLks.slice(i, i + 500)).execute();
      for (const f of rows) out.set(`${f.facility_id}|${f.ma_lk}`, f);
    }
  }
  return [...out.values()];
}
