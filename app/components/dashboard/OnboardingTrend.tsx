import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ONBOARDING_STEP_LABELS } from "~/domain/codes";
import { formatNumber } from "~/domain/format";
import { ONBOARDING_STEPS, type OnboardingSteps } from "~/domain/metrics-types";
import { AXIS_TICK, COLORS, countTick, legendText } from "./chart-theme";
import { DataTable } from "./DataTable";
import { ChartData, EmptyState } from "./Panel";
import type { TrendBy } from "~/domain/periods";
import { ChartKey, PARTIAL_NOTE, TREND_UNITS, type LabelledBucket } from "./TrendChart";

export interface OnboardingBucket extends LabelledBucket {
  key: string;
  i4: OnboardingSteps;
}

/** New completions of each step per week or month: is the campaign moving? */
export function OnboardingTrend({ trend, by }: { trend: OnboardingBucket[]; by: TrendBy }) {
  if (!trend.some((t) => ONBOARDING_STEPS.some((s) => t.i4[s] > 0))) return <EmptyState />;
  const rows = trend.map((t) => ({ label: t.label, partial: t.partial, ...t.i4 }));
  return (
    <>
      <div className="dash-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
            <CartesianGrid stroke={COLORS.grid} vertical={false} />
            <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} />
            <YAxis allowDecimals={false} tick={AXIS_TICK} tickFormatter={countTick} width={48} />
            <Tooltip formatter={(v) => formatNumber(Number(v))} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
            {ONBOARDING_STEPS.map((s, i) => (
              <Bar key={s} dataKey={s} name={ONBOARDING_STEP_LABELS[s]} fill={COLORS.steps[i]} isAnimationActive={false}>
                {rows.map((r) => (
                  // A partial bucket's bars are pale with a dashed outline: fewer days, not fewer people.
                  <Cell key={r.label} fillOpacity={r.partial ? 0.35 : 1} stroke={r.partial ? COLORS.axis : undefined}
                    strokeDasharray={r.partial ? "3 2" : undefined} />
                ))}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartKey targets={false} partial={trend.some((t) => t.partial)} by={by} />
      <ChartData>
        <DataTable
          caption={`Số người mới hoàn thành từng bước theo ${TREND_UNITS[by].noun}`}
          columns={[
            { header: TREND_UNITS[by].header, cell: (t: OnboardingBucket) => <>{t.label}{t.partial ? <em className="dash-partial"> · {PARTIAL_NOTE}</em> : null}</> },
            ...ONBOARDING_STEPS.map((s) => ({ header: ONBOARDING_STEP_LABELS[s], numeric: true, cell: (t: OnboardingBucket) => formatNumber(t.i4[s]) })),
          ]}
          rows={trend}
          rowKey={(t) => t.key}
          cardsOnPhone
          testId="onboarding-trend-table"
        />
      </ChartData>
    </>
  );
}
