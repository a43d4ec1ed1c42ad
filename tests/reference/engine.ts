// The reference engine: every visit figure straight from the base tables (visit,
// gateway_receipt, display_confirmation, onboarding_record), with METRICS.md's rules
// written here a second time, on purpose apart from the application's classifier
// (app/domain/classify.ts) and arithmetic (metrics/rules.ts). The roll-up engine is tested
// against it, so a wrong rule in either shows as a difference. Slow on big wards (it holds
// a period's records in memory), but simple enough to read against METRICS.md line by line.
import { sql } from "kysely";
import type { I1Figures, I2Figures, I3Figures, MethodCode, OnboardingSteps, WorkItem } from "~/domain/metrics-types";
import type { DB } from "~/server/db.server";
import { withPeriod, type Scope } from "~/server/metrics/scope.server";
import type { FacilityCounts, MetricsSource, TrendCounts } from "~/server/metrics/source";
import { onboardingByResident, type BlockSteps } from "~/server/metrics/ward-figures.server";

const HOUR = 3600;
const DAY = 24 * HOUR;

// ---- METRICS.md, rule by rule ----------------------------------------------------------

/** "Rates … computed from exact integer counts … A rate whose denominator is 0 is …" null. */
const rateOf = (part: number, whole: number | null) => (whole ? part / whole : null);

/** "Median and 90th percentile use linear interpolation between closest ranks (position p·(n−1))." */
function quantile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const below = sorted[Math.floor(pos)];
  return below + (sorted[Math.ceil(pos)] - below) * (pos - Math.floor(pos));
}

/**
 * "Hours are (later − earlier) in seconds / 3600." Interpolated in whole seconds, then
 * divided, so that the last digit is the engine's (dividing first can differ by one ulp).
 */
function hours(seconds: number[]) {
  const inHours = (x: number | null) => (x === null ? null : x / HOUR);
  return { median: inHours(quantile(seconds, 0.5)), p90: inHours(quantile(seconds, 0.9)) };
}

/**
 * I1: "the explicit method column where the source has one (the_can_cuoc, so_dinh_danh,
 * the_bhyt); otherwise so_dinh_danh when a valid personal ID is present, else the_bhyt when
 * a valid card number is present, else khong. A visit with no valid identifier is khong
 * whatever its method column says." From the source's column as declared, not the
 * method the import resolved.
 */
function methodCounted(v: Visit): MethodCode {
  if (!identified(v)) return "khong";
  if (v.declared === "the_can_cuoc" || v.declared === "so_dinh_danh" || v.declared === "the_bhyt") return v.declared;
  return v.pid !== null ? "so_dinh_danh" : "the_bhyt";
}

/** I1: a valid personal ID, or failing that a valid card (only valid ones are stored, hashed). */
const identified = (v: Visit) => v.pid !== null || v.card !== null;

/** I1: "distinct personal ID, else distinct card number". */
const patientOf = (v: Visit) => (v.pid !== null ? `pid ${v.pid}` : v.card !== null ? `card ${v.card}` : null);

/** "Most frequent first" (equal counts by code, so the order is stable). */
const ranked = (codes: Map<string, number>) =>
  [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

// ---- The base rows ---------------------------------------------------------------------

interface Visit {
  facilityId: number;
  maLk: string;
  checkinAt: number;
  endedAt: number | null;
  declared: string | null;
  pid: string | null;
  card: string | null;
}

interface Receipt {
  at: number;
  accepted: boolean;
  code: string;
  message: string | null;
}

/** A record (facility, MA_LK) as it stands at the as-of time. */
interface Tracked {
  facilityId: number;
  maLk: string;
  visit: Visit | null;
  /** Receipts received by the as-of time, in (time, import) order. */
  receipts: Receipt[];
  /** Display confirmations dated by the as-of time. */
  displays: number[];
}

const keyOf = (facilityId: number, maLk: string) => `${facilityId}\u0001${maLk}`;

/**
 * Every record of the facilities that any of I1–I3 could count for the scope's period:
 * checked in or ended in it, or with an accepted receipt received in it by the as-of time.
 */
async function recordsOf(db: DB, s: Scope, ids: number[]): Promise<Tracked[]> {
  if (ids.length === 0) return [];
  // The record (of the row aliased `alias`) has an accepted receipt received in the period by the as-of time.
  const acceptedInPeriod = (alias: string) => sql<boolean>`exists (select 1 from gateway_receipt a
    where a.facility_id = ${sql.ref(`${alias}.facility_id`)} and a.ma_lk = ${sql.ref(`${alias}.ma_lk`)} and a.accepted = 1
      and a.received_at >= ${s.start} and a.received_at < ${s.end} and a.received_at <= ${s.asOf})`;
  // Its visit checked in or ended in the period.
  const visitInPeriod = (alias: string) => sql<boolean>`exists (select 1 from visit w
    where w.facility_id = ${sql.ref(`${alias}.facility_id`)} and w.ma_lk = ${sql.ref(`${alias}.ma_lk`)}
      and ((w.checkin_at >= ${s.start} and w.checkin_at < ${s.end}) or (w.ended_at >= ${s.start} and w.ended_at < ${s.end})))`;
  const visits = await db
    .selectFrom("visit as v")
    .select(["v.facility_id", "v.ma_lk", "v.checkin_at", "v.ended_at", "v.declared_method", "v.pid_hash", "v.card_hash"])
    .where("v.facility_id", "in", ids)
    .where((eb) =>
      eb.or([
        eb.and([eb("v.checkin_at", ">=", s.start), eb("v.checkin_at", "<", s.end)]),
        eb.and([eb("v.ended_at", ">=", s.start), eb("v.ended_at", "<", s.end)]),
        acceptedInPeriod("v"),
      ]),
    )
    .execute();
  const records = new Map<string, Tracked>();
  for (const v of visits) {
    records.set(keyOf(v.facility_id, v.ma_lk), {
      facilityId: v.facility_id, maLk: v.ma_lk, receipts: [], displays: [],
      visit: { facilityId: v.facility_id, maLk: v.ma_lk, checkinAt: v.checkin_at, endedAt: v.ended_at, declared: v.declared_method, pid: v.pid_hash, card: v.card_hash },
    });
  }
  const receipts = await db
    .selectFrom("gateway_receipt as g")
    .select(["g.facility_id", "g.ma_lk", "g.received_at", "g.accepted", "g.result_code", "g.message"])
    .where("g.facility_id", "in", ids)
    .where("g.received_at", "<=", s.asOf)
    .where((eb) => eb.or([visitInPeriod("g"), acceptedInPeriod("g")]))
    .orderBy("g.received_at")
    .orderBy("g.id")
    .execute();
  for (const r of receipts) {
    const key = keyOf(r.facility_id, r.ma_lk);
    let record = records.get(key);
    if (!record) records.set(key, (record = { facilityId: r.facility_id, maLk: r.ma_lk, visit: null, receipts: [], displays: [] }));
    record.receipts.push({ at: r.received_at, accepted: r.accepted === 1, code: r.result_code, message: r.message });
  }
  const displays = await db
    .selectFrom("display_confirmation as d")
    .select(["d.facility_id", "d.ma_lk", "d.displayed_at"])
    .where("d.facility_id", "in", ids)
    .where("d.displayed_at", "<=", s.asOf)
    .where(acceptedInPeriod("d"))
    .execute();
  for (const d of displays) records.get(keyOf(d.facility_id, d.ma_lk))?.displays.push(d.displayed_at);
  return [...records.values()];
}

// ---- I1–I3 over a set of records ---------------------------------------------------------

const inPeriod = (s: Scope, t: number | null) => t !== null && t >= s.start && t < s.end;

function i1Of(s: Scope, records: Tracked[]): I1Figures {
  const byMethod: { [code in MethodCode]: number } = { the_can_cuoc: 0, so_dinh_danh: 0, the_bhyt: 0, khong: 0 };
  const patients = new Set<string>();
  let total = 0;
  let identifiedCount = 0;
  for (const { visit } of records) {
    if (!visit || !inPeriod(s, visit.checkinAt)) continue;
    total++;
    byMethod[methodCounted(visit)]++;
    if (!identified(visit)) continue;
    identifiedCount++;
    patients.add(patientOf(visit)!);
  }
  return { total, identified: identifiedCount, rate: rateOf(identifiedCount, total), distinctPatients: patients.size, byMethod };
}

/** I2: "sent (an accepted receipt), rejected (receipts, none accepted), notSent (no receipt)". */
function sendingOf(r: Tracked): "sent" | "rejected" | "notSent" {
  if (r.receipts.some((x) => x.accepted)) return "sent";
  return r.receipts.length > 0 ? "rejected" : "notSent";
}

const firstAccepted = (r: Tracked) => r.receipts.find((x) => x.accepted) ?? null;

function i2Of(s: Scope, records: Tracked[]): I2Figures {
  let ended = 0;
  let sent = 0;
  let rejected = 0;
  const codes = new Map<string, number>();
  const toSend: number[] = [];
  for (const r of records) {
    if (!r.visit || !inPeriod(s, r.visit.endedAt)) continue;
    ended++;
    const state = sendingOf(r);
    if (state === "sent") {
      sent++;
      toSend.push(firstAccepted(r)!.at - r.visit.endedAt!);
    } else if (state === "rejected") {
      rejected++;
      const code = r.receipts[r.receipts.length - 1].code; // "the rejected visits' latest receipts"
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  }
  return { ended, sent, rejected, notSent: ended - sent - rejected, rate: rateOf(sent, ended), rejectCodes: ranked(codes), hoursToSend: hours(toSend) };
}

type DisplayKind = "onTime" | "late" | "overdue" | "pending";

/** I3's population (first accepted receipt in the period) with each record's split. */
function displayed(s: Scope, records: Tracked[]): Array<{ r: Tracked; receivedAt: number; shownAt: number | null; kind: DisplayKind }> {
  const out = [];
  for (const r of records) {
    const first = firstAccepted(r);
    if (!first || !inPeriod(s, first.at)) continue;
    // A confirmation earlier than the first accepted receipt is invalid (FORMATS.md 4).
    const valid = r.displays.filter((d) => d >= first.at);
    const shownAt = valid.length ? Math.min(...valid) : null;
    const kind: DisplayKind =
      shownAt !== null ? (shownAt - first.at <= DAY ? "onTime" : "late") : s.asOf - first.at > DAY ? "overdue" : "pending";
    out.push({ r, receivedAt: first.at, shownAt, kind });
  }
  return out;
}

function i3Of(s: Scope, records: Tracked[]): I3Figures {
  const counts = { onTime: 0, late: 0, overdue: 0, pending: 0 };
  const toShow: number[] = [];
  for (const d of displayed(s, records)) {
    counts[d.kind]++;
    if (d.shownAt !== null) toShow.push(d.shownAt - d.receivedAt);
  }
  return { ...counts, rate: rateOf(counts.onTime, counts.onTime + counts.late + counts.overdue), hoursToDisplay: hours(toShow) };
}

// ---- I4 ----------------------------------------------------------------------------------

const zero = (): OnboardingSteps => ({ vneidInstalled: 0, level2Activated: 0, bhytLinked: 0, fullyOnboarded: 0 });

/**
 * I4 per block id: a resident is one personal ID, in the block of their most recent
 * onboarding record (the row with the latest step date by the as-of day; on a tie, the one
 * imported last); per step the earliest date stands; dates after the as-of day are ignored.
 * Counted at day D (cumulative), and as new when the date falls in the period.
 */
async function residentsOf(db: DB, s: Scope): Promise<Map<number, BlockSteps>> {
  // The ward's onboarding rows per resident, in import order (the same read as the app's).
  const residents: Array<{ block: number; latest: string; steps: Array<string | null> }> = [];
  for (const rows of await onboardingByResident(db, s.wardId, false)) {
    let seen: (typeof residents)[number] | null = null;
    for (const row of rows) {
      const steps = [row.vneid, row.level2, row.bhyt].map((d) => (d !== null && d <= s.asOfDay ? d : null));
      const dated = steps.filter((d): d is string => d !== null).sort();
      if (dated.length === 0) continue;
      const latest = dated[dated.length - 1];
      if (!seen) {
        seen = { block: row.blockId, latest, steps };
        continue;
      }
      if (latest >= seen.latest) Object.assign(seen, { block: row.blockId, latest }); // a later import wins a tie
      seen.steps = seen.steps.map((d, i) => (d === null ? steps[i] : steps[i] === null || d < steps[i]! ? d : steps[i]));
    }
    if (seen) residents.push(seen);
  }
  const out = new Map<number, BlockSteps>();
  for (const { block, steps } of residents) {
    const full = steps.every((d) => d !== null) ? [...(steps as string[])].sort()[2] : null;
    let counts = out.get(block);
    if (!counts) out.set(block, (counts = { cumulative: zero(), newInPeriod: zero() }));
    const named = [["vneidInstalled", steps[0]], ["level2Activated", steps[1]], ["bhytLinked", steps[2]], ["fullyOnboarded", full]] as const;
    for (const [step, day] of named) {
      if (day === null || day > s.i4Day) continue;
      counts.cumulative[step]++;
      if (day >= s.period.from) counts.newInPeriod[step]++;
    }
  }
  return out;
}

// ---- The engine --------------------------------------------------------------------------

const ids = (s: Scope) => s.facilities.map((f) => f.id);
const codeOf = (s: Scope, facilityId: number) => s.wardFacilities.find((f) => f.id === facilityId)?.code ?? "";
const byKey = (a: { facilityCode: string; maLk: string }, b: { facilityCode: string; maLk: string }) =>
  a.facilityCode < b.facilityCode ? -1 : a.facilityCode > b.facilityCode ? 1 : a.maLk < b.maLk ? -1 : a.maLk > b.maLk ? 1 : 0;

async function figures(db: DB, s: Scope) {
  const records = await recordsOf(db, s, ids(s));
  return { i1: i1Of(s, records), i2: i2Of(s, records), i3: i3Of(s, records), records };
}

export const referenceSource: MetricsSource = {
  async visitFigures(db, s) {
    const { i1, i2, i3 } = await figures(db, s);
    return { i1, i2, i3 };
  },
  async newlySent(db, s) {
    return displayed(s, await recordsOf(db, s, s.wardFacilities.map((f) => f.id))).length;
  },
  residentCounts: residentsOf,
  async trendCounts(db, s, buckets) {
    const out: TrendCounts[] = [];
    for (const bucket of buckets) {
      const b = withPeriod(s, bucket);
      const { i1, i2, i3 } = await figures(db, b);
      const residents = await residentsOf(db, b);
      const fresh = zero();
      for (const block of s.blocks) {
        const n = residents.get(block.id)?.newInPeriod;
        if (n) for (const k of Object.keys(fresh) as Array<keyof OnboardingSteps>) fresh[k] += n[k];
      }
      out.push({
        i4: fresh,
        i1: { total: i1.total, identified: i1.identified, rate: i1.rate },
        i2: { ended: i2.ended, sent: i2.sent, rate: i2.rate },
        i3: { onTime: i3.onTime, late: i3.late, overdue: i3.overdue, pending: i3.pending, rate: i3.rate },
      });
    }
    return out;
  },
  async facilityCounts(db, s) {
    const out = new Map<number, FacilityCounts>();
    for (const f of s.facilities) {
      const { i1, i2, i3 } = await figures(db, { ...s, facilities: [f] });
      out.set(f.id, {
        i1: { total: i1.total, identified: i1.identified, rate: i1.rate },
        i2: { ended: i2.ended, sent: i2.sent, rejected: i2.rejected, notSent: i2.notSent, rate: i2.rate },
        i3: { onTime: i3.onTime, late: i3.late, overdue: i3.overdue, pending: i3.pending, rate: i3.rate },
      });
    }
    return out;
  },
  async overdue(db, s, page) {
    const rows = displayed(s, await recordsOf(db, s, ids(s)))
      .filter((d) => d.kind === "overdue")
      .map((d) => ({ facilityCode: codeOf(s, d.r.facilityId), maLk: d.r.maLk, receivedAt: d.receivedAt, hoursWaiting: (s.asOf - d.receivedAt) / HOUR }))
      .sort((a, b) => a.receivedAt - b.receivedAt || byKey(a, b));
    return { total: rows.length, rows: rows.slice(page.offset, page.offset + page.limit) };
  },
  /** R4: not sent, rejected and overdue, longest waiting first. */
  async workList(db, s, page) {
    const records = await recordsOf(db, s, ids(s));
    const items: Array<WorkItem & { since: number }> = [];
    for (const r of records) {
      if (!r.visit || !inPeriod(s, r.visit.endedAt)) continue;
      const state = sendingOf(r);
      if (state === "sent") continue;
      const last = state === "rejected" ? r.receipts[r.receipts.length - 1] : null;
      items.push({
        kind: state === "rejected" ? "rejected" : "not_sent", facilityCode: codeOf(s, r.facilityId), maLk: r.maLk, endedAt: r.visit.endedAt,
        receivedAt: last?.at ?? null, rejectCode: last?.code ?? null, rejectMessage: last?.message ?? null,
        hoursWaiting: (s.asOf - r.visit.endedAt!) / HOUR, since: r.visit.endedAt!,
      });
    }
    for (const d of displayed(s, records)) {
      if (d.kind !== "overdue") continue;
      items.push({
        kind: "overdue", facilityCode: codeOf(s, d.r.facilityId), maLk: d.r.maLk, endedAt: d.r.visit?.endedAt ?? null,
        receivedAt: d.receivedAt, rejectCode: null, rejectMessage: null, hoursWaiting: (s.asOf - d.receivedAt) / HOUR, since: d.receivedAt,
      });
    }
    const kindOrder = { not_sent: 0, rejected: 1, overdue: 2 } as const;
    items.sort((a, b) => a.since - b.since || byKey(a, b) || kindOrder[a.kind] - kindOrder[b.kind]);
    return { total: items.length, rows: items.slice(page.offset, page.offset + page.limit).map(({ since: _since, ...item }) => item) };
  },
};
