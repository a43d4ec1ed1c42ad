// The indicator engine: METRICS.md's figures for a period and an as-of time. The CLI, the
// HTTP API, the dashboard and the reports all call computeMetrics, so a figure is computed
// one way only. I1–I4 come from the roll-up tables (derived.server.ts) so no request reads
// raw visits; the reference engine computes the same from the base tables.
import type { DB } from "../db.server";
import type { FacilityRow, I4Figures, MetricsJson, OverdueRecord, Page, TargetStatus, TrendPoint, WorkItem } from "~/domain/metrics-types";
import { isoWeekKey, lastDay, monthsOf, parsePeriod, type Period } from "~/domain/periods";
import { addDays, toIsoLocal } from "~/domain/time";
import { resolveScope, withQuery, type MetricsQuery, type Scope } from "./scope.server";
import type { MetricsSource, PageRequest, VisitFigures } from "./source";
import { i4Figures, i5Figures, i6Figures, onboardingByResident, type BlockSteps } from "./ward-figures.server";
import { rollupResidentCounts } from "./rollup-residents.server";
import { pageVisitFigures, rollupSource, visitRates } from "./rollup.server";
import { targetStatuses } from "./target-status.server";

export type { MetricsQuery } from "./scope.server";
export { MetricsQueryError } from "./scope.server";

export async function computeMetricsWith(db: DB, q: MetricsQuery, source: MetricsSource): Promise<MetricsJson> {
  const s = await resolveScope(db, q);
  return metricsOf(db, s, source, await source.visitFigures(db, s), await source.residentCounts(db, s));
}

/** METRICS.md's object from the scope's I1–I3 and I4 counts: I4–I6 added. */
async function metricsOf(db: DB, s: Scope, source: MetricsSource, { i1, i2, i3 }: VisitFigures, residents: Map<number, BlockSteps>): Promise<MetricsJson> {
  let newlyFullyOnboarded = 0;
  for (const c of residents.values()) newlyFullyOnboarded += c.newInPeriod.fullyOnboarded;
  const newlySent = s.facilityCode === null ? i3.onTime + i3.late + i3.overdue + i3.pending : await source.newlySent(db, s);
  return {
    period: { from: s.period.from, to: lastDay(s.period) },
    asOf: toIsoLocal(s.asOf),
    facility: s.facilityCode,
    i1,
    i2,
    i3,
    i4: await i4Figures(db, s, residents),
    i5: await i5Figures(db, s),
    i6: await i6Figures(db, s, newlyFullyOnboarded, newlySent),
  };
}

/** The engine every caller uses. */
const engine: MetricsSource = rollupSource;

export async function computeMetrics(db: DB, q: MetricsQuery): Promise<MetricsJson> {
  return computeMetricsWith(db, q, engine);
}

/** What the dashboard shows of the previous period: I1–I3's rates and I4. */
export interface PreviousFigures {
  i1: { rate: number | null };
  i2: { rate: number | null };
  i3: { rate: number | null };
  i4: I4Figures;
}

/**
 * Everything one dashboard view shows, from one scope: the same figures as computeMetrics,
 * metricsTrend, facilityBreakdown, overdueRecords and evaluateTargets would give (a test
 * holds them equal), with each count read once — the period's totals are the sum of its
 * facilities' — and of the previous period only what the change needs.
 */
export async function dashboardFigures(db: DB, q: MetricsQuery, previous: MetricsQuery, granularity: "week" | "month", overduePage: PageRequest) {
  const s = await resolveScope(db, q);
  const buckets = trendBuckets(q.period, granularity);
  const moved = await onboardingByResident(db, s.wardId, true); // read once for I4, its trend and the previous I4
  const page = await pageVisitFigures(db, s, buckets, overduePage, moved);
  const metrics = await metricsOf(db, s, engine, page.visits, await rollupResidentCounts(db, s, moved));
  const ps = withQuery(s, previous);
  const before: PreviousFigures = { ...(await visitRates(db, ps)), i4: await i4Figures(db, ps, await rollupResidentCounts(db, ps, moved)) };
  return {
    metrics,
    previous: before,
    trend: buckets.map((bucket, i): TrendPoint => ({ key: bucket.key, from: bucket.from, to: lastDay(bucket), ...page.trend[i] })),
    facilities: s.facilities.map((f): FacilityRow => ({ facilityCode: f.code, facilityName: f.name, ...page.facilities.get(f.id)! })),
    overdue: page.overdue,
    targets: await targetStatuses(db, s, metrics),
  };
}

/** The period cut into weeks (ISO) or months, the first and last clipped to the period. */
export function trendBuckets(period: Period, granularity: "week" | "month"): Period[] {
  const starts =
    granularity === "month"
      ? monthsOf(period).map((m) => parsePeriod(m))
      : weeksOf(period).map((w) => parsePeriod(w));
  return starts.map((b) => ({
    kind: b.kind,
    key: b.key,
    from: b.from > period.from ? b.from : period.from,
    toExclusive: b.toExclusive < period.toExclusive ? b.toExclusive : period.toExclusive,
  }));
}

function weeksOf(p: Period): string[] {
  const keys: string[] = [];
  for (let day = p.from; day < p.toExclusive; day = addDays(day, 1)) {
    const key = isoWeekKey(day);
    if (keys.at(-1) !== key) keys.push(key);
  }
  return keys;
}

/** Per bucket, at the query's as-of time: I1 total/identified, I2 ended/sent, I3's split, I4 new completions. */
export async function metricsTrend(db: DB, q: MetricsQuery, granularity: "week" | "month"): Promise<TrendPoint[]> {
  const s = await resolveScope(db, q);
  const buckets = trendBuckets(q.period, granularity);
  const counts = await engine.trendCounts(db, s, buckets);
  return buckets.map((bucket, i) => ({ key: bucket.key, from: bucket.from, to: lastDay(bucket), ...counts[i] }));
}

/** I1/I2/I3 per facility of the ward (or the one filtered), by facility code. */
export async function facilityBreakdown(db: DB, q: MetricsQuery): Promise<FacilityRow[]> {
  const s = await resolveScope(db, q);
  const counts = await engine.facilityCounts(db, s);
  return s.facilities.map((f) => ({ facilityCode: f.code, facilityName: f.name, ...counts.get(f.id)! }));
}

/** I3's overdue records for the health station to chase: oldest receipt first, no identifier. */
export async function overdueRecords(db: DB, q: MetricsQuery, page: PageRequest): Promise<Page<OverdueRecord>> {
  return engine.overdue(db, await resolveScope(db, q), page);
}

/** REPORTS.md R4: records not sent, rejected (code and message) and overdue, longest waiting first. */
export async function workList(db: DB, q: MetricsQuery, page: PageRequest): Promise<Page<WorkItem>> {
  return engine.workList(db, await resolveScope(db, q), page);
}

/** Each target that applies to the selected period, met / not met / no data (targets.server.ts). */
export async function evaluateTargets(db: DB, q: MetricsQuery, m: MetricsJson): Promise<TargetStatus[]> {
  return targetStatuses(db, await resolveScope(db, q), m);
}
