import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber, formatPercent } from "~/domain/format";
import type { TargetStatus, TrendPoint } from "~/domain/metrics-types";
import type { TrendBy } from "~/domain/periods";
import { AXIS_TICK, COLORS, legendText, percentTick } from "./chart-theme";
import { DataTable } from "./DataTable";
import { ChartData, EmptyState } from "./Panel";

/** How a trend's buckets are named: in a sentence and as a column header. */
export const TREND_UNITS: Record<TrendBy, { noun: string; header: string }> = {
  week: { noun: "tuần", header: "Tuần" },
  month: { noun: "tháng", header: "Tháng" },
};

/** A bucket as the dashboard sends it: its dated label and whether it is a whole one. */
export interface LabelledBucket {
  label: string;
  /** Cut short by the period's edge or not over yet: drawn dashed, marked "chưa đủ kỳ". */
  partial: boolean;
}

export const PARTIAL_NOTE = "chưa đủ kỳ";

const SERIES = [
  { key: "i1", name: "Tiếp nhận bằng định danh (I1)", color: COLORS.i1 },
  { key: "i2", name: "Liên thông lên Cổng (I2)", color: COLORS.i2 },
  { key: "i3", name: "Hiển thị VNeID ≤ 24 giờ (I3)", color: COLORS.i3 },
] as const;
type SeriesKey = (typeof SERIES)[number]["key"];

type Point = TrendPoint & LabelledBucket;

/**
 * Solid values for whole buckets; a second, dashed series joins the last whole bucket to
 * each partial one, so an unfinished week reads as "not yet", not as a drop.
 */
export function splitSeries(points: Array<{ partial: boolean; value: number | null }>) {
  return points.map((p, i) => ({
    solid: p.partial ? null : p.value,
    dashed: p.partial || points[i + 1]?.partial ? p.value : null,
  }));
}

/** I1–I3 rates over the weeks or months of the period; gaps where a rate has no denominator. */
export function TrendChart({ trend, by, targets }: {
  trend: Point[];
  by: TrendBy;
  targets?: Partial<Record<SeriesKey, TargetStatus | null>>;
}) {
  const rates = (t: TrendPoint): Record<SeriesKey, number | null> => ({ i1: t.i1.rate, i2: t.i2.rate, i3: t.i3.rate });
  if (!trend.some((t) => Object.values(rates(t)).some((r) => r !== null))) return <EmptyState />;
  const split = Object.fromEntries(
    SERIES.map((s) => [s.key, splitSeries(trend.map((t) => ({ partial: t.partial, value: rates(t)[s.key] })))]),
  ) as Record<SeriesKey, ReturnType<typeof splitSeries>>;
  const rows = trend.map((t, i) => ({
    label: t.label,
    ...Object.fromEntries(SERIES.flatMap((s) => [[s.key, split[s.key][i].solid], [`${s.key}p`, split[s.key][i].dashed]])),
  }));
  const table = (
    <DataTable
      caption={`Tỷ lệ theo ${TREND_UNITS[by].noun} (số đạt / tổng số)`}
      columns={[
        { header: TREND_UNITS[by].header, cell: (t: Point) => <>{t.label}{t.partial ? <em className="dash-partial"> · {PARTIAL_NOTE}</em> : null}</> },
        { header: SERIES[0].name, numeric: true, cell: (t) => ratio(t.i1.rate, t.i1.identified, t.i1.total) },
        { header: SERIES[1].name, numeric: true, cell: (t) => ratio(t.i2.rate, t.i2.sent, t.i2.ended) },
        { header: SERIES[2].name, numeric: true, cell: (t) => ratio(t.i3.rate, t.i3.onTime, t.i3.onTime + t.i3.late + t.i3.overdue) },
      ]}
      rows={trend}
      rowKey={(t) => t.key}
      cardsOnPhone
      testId="trend-table"
    />
  );
  // One bucket is no trend: its figures as a table, not a lone dot.
  if (trend.length === 1) {
    return (
      <>
        <p className="dash-panel-note" data-testid="trend-single">Kỳ chỉ có một {TREND_UNITS[by].noun}: số liệu ở bảng dưới.</p>
        {table}
      </>
    );
  }
  const targetLines = SERIES.flatMap((s) => {
    const t = targets?.[s.key];
    return t && t.kind === "rate" ? [{ ...s, threshold: t.threshold }] : [];
  });
  return (
    <>
      <div className="dash-chart" aria-hidden="true" data-testid="trend-chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={COLORS.grid} vertical={false} />
            <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} padding={{ left: 16, right: 16 }} />
            <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={percentTick} tick={AXIS_TICK} width={48} />
            <Tooltip formatter={(v) => formatPercent(typeof v === "number" ? v : null)} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
            {trend.map((t) =>
              t.partial ? (
                <ReferenceArea key={`partial-${t.key}`} x1={t.label} x2={t.label} fill="#8795a1" fillOpacity={0.14}
                  stroke="#8795a1" strokeDasharray="3 3" ifOverflow="extendDomain"
                  label={{ value: PARTIAL_NOTE, position: "insideTop", fontSize: 11, fill: COLORS.axis }} />
              ) : null,
            )}
            {targetLines.map((t) => (
              <ReferenceLine key={`target-${t.key}`} y={t.threshold} stroke={t.color} strokeDasharray="2 4"
                label={{ value: `Chỉ tiêu ${t.key.toUpperCase()}: ${formatPercent(t.threshold)}`, position: "insideBottomRight", fontSize: 11, fill: t.color }} />
            ))}
            {SERIES.map((s) => (
              <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2}
                dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
            ))}
            {SERIES.map((s) => (
              <Line key={`${s.key}p`} type="linear" dataKey={`${s.key}p`} name={`${s.name} — ${PARTIAL_NOTE}`} stroke={s.color}
                strokeWidth={2} strokeDasharray="5 4" dot={{ r: 3, fill: "#fff" }} connectNulls={false} legendType="none"
                isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartKey targets={targetLines.length > 0} partial={trend.some((t) => t.partial)} by={by} />
      <ChartData>{table}</ChartData>
    </>
  );
}

/** What the dashed and dotted marks mean, under a chart that has them. */
export function ChartKey({ targets, partial, by }: { targets: boolean; partial: boolean; by: TrendBy }) {
  if (!targets && !partial) return null;
  return (
    <p className="dash-panel-note" data-testid="chart-key">
      {targets ? "Đường chấm: chỉ tiêu. " : null}
      {partial ? `Nền xám, nét đứt: ${TREND_UNITS[by].noun} chưa đủ kỳ (chưa kết thúc hoặc chỉ một phần nằm trong kỳ).` : null}
    </p>
  );
}

const ratio = (rate: number | null, part: number, whole: number) =>
  `${formatPercent(rate)} (${formatNumber(part)}/${formatNumber(whole)})`;
