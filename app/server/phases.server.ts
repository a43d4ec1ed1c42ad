// The phase view (plan section III): each phase's tasks and the indicator figures that
// show whether its milestones are reached, with their targets for the current year.
// Phase 1 — plan, directives, communication, training: activities and people reached.
// Phase 2 — data connection, display within 24 h, onboarding, evaluation: I1–I4 rates.
import { TARGET_INDICATORS, type TargetIndicator, type TargetStatus } from "../domain/metrics-types";
import { isBlockScoped, visibleFigures } from "../domain/permissions";
import { defaultAsOf, periodLabel, resolvePeriod } from "../domain/periods";
import type { DB } from "./db.server";
import type { CurrentUser } from "./guard.server";
import { computeMetrics, evaluateTargets } from "./metrics/engine.server";
import type { TaskView } from "./plan-tasks.server";
import { rate } from "./metrics/rules";

const PHASES = [
  { phase: 1, title: "Kế hoạch, chỉ đạo, tuyên truyền, tập huấn", indicators: ["i5.total", "i5.reach"] },
  { phase: 2, title: "Liên thông dữ liệu, hiển thị trong 24 giờ, đánh giá", indicators: ["i1.rate", "i2.rate", "i3.rate", "i4.fullyOnboarded.rate"] },
] as const satisfies ReadonlyArray<{ phase: number; title: string; indicators: readonly TargetIndicator[] }>;

export async function phaseFigures(db: DB, user: CurrentUser, now: number, tasks: TaskView[]) {
  const period = resolvePeriod("this-year", now);
  // A block committee sees its own block's figures only.
  const q = { wardId: user.wardId, period, asOf: defaultAsOf(period, now), blockId: isBlockScoped(user.role) ? user.blockId : null };
  const m = await computeMetrics(db, q);
  const targets = await evaluateTargets(db, q, m);
  const sees = visibleFigures(user.role);
  const value = (key: TargetIndicator): number | null => {
    switch (key) {
      case "i5.total": return m.i5.total;
      case "i5.reach": return m.i5.reach;
      case "i1.rate": return m.i1.rate;
      case "i2.rate": return m.i2.rate;
      case "i3.rate": return m.i3.rate;
      case "i4.fullyOnboarded.rate": return m.i4.ward ? rate(m.i4.ward.fullyOnboarded, m.i4.ward.eligible) : null;
      default: return null;
    }
  };
  return PHASES.map((p) => {
    const own = tasks.filter((t) => t.phase === p.phase);
    return {
      phase: p.phase,
      title: p.title,
      total: own.length,
      done: own.filter((t) => t.state === "done").length,
      overdue: own.filter((t) => t.state === "overdue").length,
      periodLabel: periodLabel(period),
      indicators: p.indicators
        // A block committee's view has no ward-wide visit figures.
        .filter((key) => sees.visits || key.startsWith("i5."))
        .map((key) => ({
          key,
          label: TARGET_INDICATORS[key].label,
          kind: TARGET_INDICATORS[key].kind,
          value: value(key),
          target: targets.find((t: TargetStatus) => t.indicator === key && t.blockId === q.blockId) ?? null,
        })),
    };
  });
}
