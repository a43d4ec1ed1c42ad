import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber, formatPercent } from "~/domain/format";
import type { TrendPoint } from "~/domain/metrics-types";
import { AXIS_TICK, COLORS, legendText, percentTick } from "./chart-theme";
import { DataTable } from "./DataTable";
import { ChartData, EmptyState } from "./Panel";

interface Row {
  label: string;
  i1: number | null;
  i2: number | null;
  i3: number | null;
}

export type TrendBy = "week" | "month";

/** How a trend's buckets are named: in a sentence and as a column header. */
export const TREND_UNITS: Record<TrendBy, { noun: string; header: string }> = {
  week: { noun: "tuần", header: "Tuần" },
  month: { noun: "tháng", header: "Tháng" },
};

/** '2026-03' → "T3/2026", '2026-W05' → "Tuần 5": short enough for a phone's axis. */
export function bucketLabel(key: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) return `Tuần ${Number(week[2])}`;
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  return month ? `T${Number(month[2])}/${month[1]}` : key;
}

const SERIES = [
  { key: "i1", name: "Tiếp nhận bằng định danh (I1)", color: COLORS.i1 },
  { key: "i2", name: "Liên thông lên Cổng (I2)", color: COLORS.i2 },
  { key: "i3", name: "Hiển thị VNeID ≤ 24 giờ (I3)", color: COLORS.i3 },
] as const;

/** I1–I3 rates over the weeks or months of the period; gaps where a rate has no denominator. */
export function TrendChart({ trend, by }: { trend: TrendPoint[]; by: TrendBy }) {
  const points: Row[] = trend.map((t) => ({ label: bucketLabel(t.key), i1: t.i1.rate, i2: t.i2.rate, i3: t.i3.rate }));
  if (!points.some((p) => p.i1 !== null || p.i2 !== null || p.i3 !== null)) return <EmptyState />;
  return (
    <>
      <div className="dash-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={COLORS.grid} vertical={false} />
            <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} padding={{ left: 16, right: 16 }} />
            <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={percentTick} tick={AXIS_TICK} width={48} />
            <Tooltip formatter={(v) => formatPercent(typeof v === "number" ? v : null)} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
            {SERIES.map((s) => (
              <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2}
                dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartData>
        <DataTable
          caption={`Tỷ lệ theo ${TREND_UNITS[by].noun} (số đạt / tổng số)`}
          columns={[
            { header: TREND_UNITS[by].header, cell: (t: TrendPoint) => bucketLabel(t.key) },
            { header: SERIES[0].name, numeric: true, cell: (t) => ratio(t.i1.rate, t.i1.identified, t.i1.total) },
            { header: SERIES[1].name, numeric: true, cell: (t) => ratio(t.i2.rate, t.i2.sent, t.i2.ended) },
            { header: SERIES[2].name, numeric: true, cell: (t) => ratio(t.i3.rate, t.i3.onTime, t.i3.onTime + t.i3.late + t.i3.overdue) },
          ]}
          rows={trend}
          rowKey={(t) => t.key}
          testId="trend-table"
        />
      </ChartData>
    </>
  );
}

const ratio = (rate: number | null, part: number, whole: number) =>
  `${formatPercent(rate)} (${formatNumber(part)}/${formatNumber(whole)})`;
