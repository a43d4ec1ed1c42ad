import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber } from "~/domain/format";
import { AXIS_TICK, COLORS, countTick } from "../dashboard/chart-theme";

export interface MonthCount {
  month: string; // yyyy-MM
  count: number;
  reach: number;
}

const monthLabel = (m: string) => `${m.slice(5)}/${m.slice(2, 4)}`;

/** Activities per month, with the table the chart is drawn from (the chart is not read aloud). */
export function MonthlyActivities({ months }: { months: MonthCount[] }) {
  return (
    <>
      <div style={{ height: 200 }} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={months.map((m) => ({ ...m, label: monthLabel(m.month) }))} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke={COLORS.grid} vertical={false} />
            <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={AXIS_TICK} tickFormatter={countTick} width={40} />
            <Tooltip formatter={(v) => formatNumber(Number(v))} />
            <Bar dataKey="count" name="Hoạt động" fill={COLORS.steps[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>Bảng số liệu theo tháng</summary>
        <table className="data" data-testid="activity-months">
          <thead><tr><th>Tháng</th><th className="num">Hoạt động</th><th className="num">Người tiếp cận</th></tr></thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}><td>{monthLabel(m.month)}</td><td className="num">{formatNumber(m.count)}</td><td className="num">{formatNumber(m.reach)}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
