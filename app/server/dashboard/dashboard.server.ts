// What the dashboard shows, from the indicator engine: the period's figures, the previous
// period's for the change, the targets, the trend. A block committee's view is built
// from its own block only and carries no visit, facility or budget figure at all.
import { blockStepTargets, pickTarget } from "~/domain/targets";
import type { Selection } from "~/domain/selection";
import type { TrendBy } from "~/domain/periods";
import { formatDateTime } from "~/domain/format";
import { ONBOARDING_STEPS, type OnboardingStep, type TargetStatus } from "~/domain/metrics-types";
import { can, isBlockScoped, visibleFigures } from "~/domain/permissions";
import { bucketLabel, comparisonPeriod, isPartialBucket, periodProgress, progressNote } from "~/domain/period-progress";
import { dayCount, defaultAsOf, lastDay, periodLabel, type Period } from "~/domain/periods";
import type { DB } from "../db.server";
import type { CurrentUser } from "../guard.server";
import { dashboardFigures, type MetricsQuery } from "../metrics/engine.server";
import { listBlocks } from "../ward.server";
import { rejectCodeMessages } from "./reject-codes.server";
import { reportingGaps } from "../reporting.server";
import { budgetByCategory } from "../budget.server";
import { localDayOf } from "~/domain/time";
import { selectionParams } from "~/domain/selection";

/** Rows of the overdue list shown under I3; the work list has them all. */
const OVERDUE_PREVIEW = 10;

/** Weeks for a month or shorter, months for anything longer: a dozen points or so. */
export const defaultTrendBy = (p: Period): TrendBy => (dayCount(p) <= 62 ? "week" : "month");

/** "Spent year to date": to the period's last day, or the as-of day if earlier. */
const budgetDay = (period: Period, asOf: number) => {
  const last = lastDay(period);
  const asOfDay = localDayOf(asOf);
  return asOfDay < last ? asOfDay : last;
};

export async function dashboardView(db: DB, user: CurrentUser, selection: Selection, trendBy: TrendBy) {
  const { period, asOf } = selection;
  const blocks = await listBlocks(db, user.wardId);
  const ownBlock = isBlockScoped(user.role) ? (blocks.find((b) => b.id === user.blockId) ?? null) : null;
  const q: MetricsQuery = { wardId: user.wardId, period, asOf, blockId: ownBlock?.id ?? null };
  // A running period is set against as many first days of the previous one (period-progress.ts).
  const progress = periodProgress(period, asOf);
  const comparison = comparisonPeriod(period, progress);
  const prevPeriod = comparison.period;
  // The previous period as it stood at its end (or at this view's as-of time, if earlier).
  const prevQ: MetricsQuery = { ...q, period: prevPeriod, asOf: defaultAsOf(prevPeriod, asOf) };

  // One call for the whole view: each count read once (engine.server.ts).
  const { metrics, previous, trend: rawTrend, facilities, overdue, targets } = await dashboardFigures(db, q, prevQ, trendBy, { limit: OVERDUE_PREVIEW, offset: 0 });
  const trend = rawTrend.map((t) => ({ ...t, label: bucketLabel(t), partial: isPartialBucket(t, asOf) }));
  const target = (...indicators: string[]) => pickTarget(targets, indicators, ownBlock?.id ?? null, period.key);

  // Onboarding: the ward's totals and every block, or the one block a committee may see.
  const ownRow = <T extends { blockId: number }>(rows: T[]) => rows.find((b) => b.blockId === ownBlock?.id) ?? null;
  const blockRows = ownBlock ? metrics.i4.blocks.filter((b) => b.blockId === ownBlock.id) : metrics.i4.blocks;
  const onboarding = {
    asOf: metrics.i4.asOf,
    now: ownBlock ? ownRow(metrics.i4.blocks) : metrics.i4.ward,
    before: ownBlock ? ownRow(previous.i4.blocks) : previous.i4.ward,
    targets: Object.fromEntries(ONBOARDING_STEPS.map((s) => [s, target(`i4.${s}.rate`, `i4.${s}`)])) as Record<OnboardingStep, TargetStatus | null>,
    blocks: blockRows.map((b) => ({
      ...b,
      targets: blockStepTargets(targets, b.blockId, period.key),
    })),
    // Only the onboarding part of each bucket: a block committee sees no visit figure.
    trend: trend.map((t) => ({ key: t.key, label: t.label, partial: t.partial, i4: t.i4 })),
  };

  const sees = visibleFigures(user.role);
  const visits = !sees.visits
    ? null
    : {
        i1: metrics.i1,
        i2: metrics.i2,
        i3: metrics.i3,
        before: { i1: previous.i1.rate, i2: previous.i2.rate, i3: previous.i3.rate },
        targets: { i1: target("i1.rate"), i2: target("i2.rate"), i3: target("i3.rate") },
        trend,
        facilities,
        overdue,
        rejectMeanings: await rejectCodeMessages(db, user.wardId, metrics.i2.rejectCodes.map((c) => c.code)),
      };

  return {
    period: { key: period.key, label: periodLabel(period) },
    previousLabel: comparison.label,
    progress: { ...progress, note: progressNote(progress), from: period.from, to: lastDay(period) },
    asOfText: formatDateTime(asOf),
    linkParams: selectionParams(selection),
    trendBy,
    scope: ownBlock ? { block: ownBlock.name } : null,
    may: { records: can(user.role, "view:records"), worklist: can(user.role, "view:worklist") },
    visits,
    onboarding,
    activities: { i5: metrics.i5, target: target("i5.total") },
    budget: sees.budget ? metrics.i6 : null,
    // Who has not sent data (issue 11): for the roles that follow the reporting.
    reportingGaps: can(user.role, "view:reporting") ? await reportingGaps(db, user.wardId, Math.floor(Date.now() / 1000)) : null,
    // The budget card's year to date and categories (issue #10), beside I6's figures.
    budgetYear: sees.budget ? await budgetByCategory(db, user.wardId, metrics.i6.year, budgetDay(period, asOf)) : null,
  };
}

export type DashboardView = Awaited<ReturnType<typeof dashboardView>>;
