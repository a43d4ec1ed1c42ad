// The reference engine: every figure straight from the base tables, as METRICS.md words
// it. Slow on big wards (it reads every visit of the period), but simple enough to trust;
// the roll-up engine is tested against it, and the dashboard benchmark compares the two.
import { sql } from "kysely";
import type { DB } from "../db.server";
import type { I1Figures, I2Figures, I3Figures, WorkItem } from "~/domain/metrics-types";
import {
  countedMethod, displayStateAt, hoursSummary, rankCodes, rate, sendingStateAt,
  compareKeys, emptyByMethod, type Receipt, type SendingState,
} from "./rules";
import { amongFacilities, facilityIds, wardFacilityIds, withPeriod, type Scope } from "./scope.server";
import { addSteps, countResidents, onboardingByResident, zeroSteps, type BlockSteps } from "./ward-figures.server";
import type { FacilityCounts, MetricsSource, TrendCounts } from "./source";


export const referenceSource: MetricsSource = {
  async visitFigures(db, s) {
    const i3Result = await i3(db, s, facilityIds(s));
    return { i1: await i1(db, s), i2: summariseI2(await endedVisits(db, s)), i3: i3Result.figures };
  },
  async newlySent(db, s) {
    return (await i3(db, s, wardFacilityIds(s))).population;
  },
  residentCounts,
  async trendCounts(db, s, buckets) {
    const out: TrendCounts[] = [];
    for (const bucket of buckets) {
      const b = withPeriod(s, bucket);
      const [one, two, three] = [await i1(db, b), summariseI2(await endedVisits(db, b)), (await i3(db, b, facilityIds(b))).figures];
      const residents = await residentCounts(db, b);
      const fresh = zeroSteps();
      for (const block of s.blocks) if (residents.has(block.id)) addSteps(fresh, residents.get(block.id)!.newInPeriod);
      out.push({
        i4: fresh,
        i1: { total: one.total, identified: one.identified, rate: one.rate },
        i2: { ended: two.ended, sent: two.sent, rate: two.rate },
        i3: { onTime: three.onTime, late: three.late, overdue: three.overdue, pending: three.pending, rate: three.rate },
      });
    }
    return out;
  },
  async facilityCounts(db, s) {
    const out = new Map<number, FacilityCounts>();
    for (const f of s.facilities) {
      const one = { ...s, facilities: [f] };
      const [a, b, c] = [await i1(db, one), summariseI2(await endedVisits(db, one)), (await i3(db, one, [f.id])).figures];
      out.set(f.id, {
        i1: { total: a.total, identified: a.identified, rate: a.rate },
        i2: { ended: b.ended, sent: b.sent, rejected: b.rejected, notSent: b.notSent, rate: b.rate },
        i3: { onTime: c.onTime, late: c.late, overdue: c.overdue, pending: c.pending, rate: c.rate },
      });
    }
    return out;
  },
  async overdue(db, s, page) {
    const rows = (await i3(db, s, facilityIds(s))).records
      .filter((r) => displayStateAt(r.acceptedAt, r.displayedAt, s.asOf) === "overdue")
      .map((r) => ({ facilityCode: codeOf(s, r.facilityId), maLk: r.maLk, receivedAt: r.acceptedAt, hoursWaiting: (s.asOf - r.acceptedAt) / 3600 }))
      .sort((a, b) => a.receivedAt - b.receivedAt || compareKeys(a, b));
    return { total: rows.length, rows: rows.slice(page.offset, page.offset + page.limit) };
  },
  async workList(db, s, page) {
    const items: Array<WorkItem & { since: number }> = [];
    for (const v of await endedVisits(db, s)) {
      if (v.state.state === "sent") continue;
      const last = v.state.state === "rejected" ? v.latest : null;
      items.push({
        kind: v.state.state === "rejected" ? "rejected" : "not_sent",
        facilityCode: codeOf(s, v.facilityId), maLk: v.maLk, endedAt: v.endedAt,
        receivedAt: last?.at ?? null, rejectCode: last?.code ?? null, rejectMessage: last?.message ?? null,
        hoursWaiting: (s.asOf - v.endedAt) / 3600, since: v.endedAt,
      });
    }
    for (const r of (await i3(db, s, facilityIds(s))).records) {
      if (displayStateAt(r.acceptedAt, r.displayedAt, s.asOf) !== "overdue") continue;
      items.push({
        kind: "overdue", facilityCode: codeOf(s, r.facilityId), maLk: r.maLk, endedAt: r.endedAt,
        receivedAt: r.acceptedAt, rejectCode: null, rejectMessage: null,
        hoursWaiting: (s.asOf - r.acceptedAt) / 3600, since: r.acceptedAt,
      });
    }
    items.sort((a, b) => a.since - b.since || compareKeys(a, b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    return { total: items.length, rows: items.slice(page.offset, page.offset + page.limit).map(({ since: _since, ...item }) => item) };
  },
};

const KIND_ORDER = { not_sent: 0, rejected: 1, overdue: 2 } as const;

const codeOf = (s: Scope, facilityId: number) => s.wardFacilities.find((f) => f.id === facilityId)?.code ?? "";

async function i1(db: DB, s: Scope): Promise<I1Figures> {
  const ids = facilityIds(s);
  const visits = db
    .selectFrom("visit")
    .where(amongFacilities(ids))
    .where("checkin_at", ">=", s.start)
    .where("checkin_at", "<", s.end);
  const identified = sql<number>`(pid_hash is not null or card_hash is not null)`;
  const rows = await visits.select((eb) => ["method", identified.as("identified"), eb.fn.countAll<number>().as("n")]).groupBy(["method", identified]).execute();
  const byMethod = emptyByMethod();
  let total = 0;
  let identifiedCount = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    if (r.identified) identifiedCount += n;
    byMethod[countedMethod(r.method, !!r.identified)] += n;
  }
  const distinct = await visits
    .select(sql<number>`count(distinct case when pid_hash is not null then 'P:' || pid_hash when card_hash is not null then 'C:' || card_hash end)`.as("n"))
    .executeTakeFirstOrThrow();
  return { total, identified: identifiedCount, rate: rate(identifiedCount, total), distinctPatients: Number(distinct.n), byMethod };
}

interface LoggedReceipt extends Receipt {
  message: string | null;
}

/** Receipts of the given records up to the as-of time, in (time, import) order. */
async function receiptsOf(db: DB, facilityId: number, maLks: string[], asOf: number): Promise<Map<string, LoggedReceipt[]>> {
  const out = new Map<string, LoggedReceipt[]>();
  for (let i = 0; i < maLks.length; i += 500) {
    const rows = await db
      .selectFrom("gateway_receipt")
      .select(["ma_lk", "received_at", "accepted", "result_code", "message"])
      .where("facility_id", "=", facilityId)
      .where("ma_lk", "in", maLks.slice(i, i + 500))
      .where("received_at", "<=", asOf)
      .orderBy("ma_lk")
      .orderBy("received_at")
      .orderBy("id")
      .execute();
    for (const r of rows) {
      const list = out.get(r.ma_lk) ?? [];
      list.push({ at: r.received_at, accepted: r.accepted === 1, code: r.result_code, message: r.message });
      out.set(r.ma_lk, list);
    }
  }
  return out;
}

interface EndedVisit {
  facilityId: number;
  maLk: string;
  endedAt: number;
  state: SendingState;
  latest: LoggedReceipt | null; // the latest receipt up to the as-of time
}

/** I2's population (visits ended in the period), each with its state at the as-of time. */
async function endedVisits(db: DB, s: Scope): Promise<EndedVisit[]> {
  const out: EndedVisit[] = [];
  for (const f of s.facilities) {
    const visits = await db
      .selectFrom("visit")
      .select(["ma_lk", "ended_at"])
      .where("facility_id", "=", f.id)
      .where("ended_at", ">=", s.start)
      .where("ended_at", "<", s.end)
      .execute();
    const receipts = await receiptsOf(db, f.id, visits.map((v) => v.ma_lk), s.asOf);
    for (const v of visits) {
      const list = receipts.get(v.ma_lk) ?? [];
      out.push({ facilityId: f.id, maLk: v.ma_lk, endedAt: v.ended_at!, state: sendingStateAt(list, s.asOf), latest: list.at(-1) ?? null });
    }
  }
  return out;
}

function summariseI2(visits: EndedVisit[]): I2Figures {
  let sent = 0;
  let rejected = 0;
  const codes = new Map<string, number>();
  const hours: number[] = [];
  for (const v of visits) {
    if (v.state.state === "sent") {
      sent++;
      hours.push(v.state.acceptedAt - v.endedAt);
    } else if (v.state.state === "rejected") {
      rejected++;
      codes.set(v.state.code, (codes.get(v.state.code) ?? 0) + 1);
    }
  }
  const ended = visits.length;
  return {
    ended, sent, rejected, notSent: ended - sent - rejected, rate: rate(sent, ended),
    rejectCodes: rankCodes(codes), hoursToSend: hoursSummary(hours),
  };
}

/** I3 over the given facilities; `population` counts every record in it (pending included). */
interface AcceptedRecord {
  facilityId: number;
  maLk: string;
  acceptedAt: number;
  displayedAt: number | null; // earliest valid display up to the as-of time
  endedAt: number | null; // null when the visit was never imported
}

async function i3(db: DB, s: Scope, ids: number[]): Promise<{ figures: I3Figures; population: number; records: AcceptedRecord[] }> {
  const counts = { onTime: 0, late: 0, overdue: 0, pending: 0 };
  const hours: number[] = [];
  // A record's first accepted receipt; the visit itself need not have been imported.
  const first = db
    .selectFrom("gateway_receipt")
    .select((eb) => ["facility_id", "ma_lk", eb.fn.min("received_at").as("accepted_at")])
    .where(amongFacilities(ids))
    .where("accepted", "=", 1)
    .groupBy(["facility_id", "ma_lk"])
    .having((eb) => eb.fn.min("received_at"), ">=", s.start)
    .having((eb) => eb.fn.min("received_at"), "<", s.end)
    .having((eb) => eb.fn.min("received_at"), "<=", s.asOf);
  const rows = await db
    .selectFrom(first.as("r"))
    .leftJoin("visit as v", (j) => j.onRef("v.facility_id", "=", "r.facility_id").onRef("v.ma_lk", "=", "r.ma_lk"))
    .select((eb) => [
      "r.facility_id", "r.ma_lk", "r.accepted_at", "v.ended_at",
      eb
        .selectFrom("display_confirmation as d")
        .whereRef("d.facility_id", "=", "r.facility_id")
        .whereRef("d.ma_lk", "=", "r.ma_lk")
        .whereRef("d.displayed_at", ">=", "r.accepted_at")
        .where("d.displayed_at", "<=", s.asOf)
        .select((e) => e.fn.min("d.displayed_at").as("t"))
        .$asScalar()
        .as("displayed_at"),
    ])
    .execute();
  const records: AcceptedRecord[] = rows.map((r) => ({
    facilityId: r.facility_id, maLk: r.ma_lk, acceptedAt: Number(r.accepted_at),
    displayedAt: r.displayed_at === null ? null : Number(r.displayed_at), endedAt: r.ended_at,
  }));
  for (const r of records) {
    counts[displayStateAt(r.acceptedAt, r.displayedAt, s.asOf)!]++;
    if (r.displayedAt !== null) hours.push(r.displayedAt - r.acceptedAt);
  }
  return {
    figures: { ...counts, rate: rate(counts.onTime, counts.onTime + counts.late + counts.overdue), hoursToDisplay: hoursSummary(hours) },
    population: records.length,
    records,
  };
}

/** Per block: each resident as of the as-of day (block, earliest step dates), counted at day D. */
async function residentCounts(db: DB, s: Scope): Promise<Map<number, BlockSteps>> {
  return countResidents(new Map(), await onboardingByResident(db, s.wardId, false), s.asOfDay, s.period.from, s.i4Day);
}
