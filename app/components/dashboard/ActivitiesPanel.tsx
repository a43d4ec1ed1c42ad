import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS } from "~/domain/codes";
import { formatNumber } from "~/domain/format";
import { AXIS_TICK, COLORS, countTick } from "./chart-theme";
import { DataTable } from "./DataTable";
import { TargetBadge } from "./KpiCard";
import { ChartData, EmptyState } from "./Panel";

import type { I5Figures, TargetStatus } from "~/domain/metrics-types";

const labelOf = (labels: Record<string, string>, code: string) => labels[code] ?? code;

/** I5: communication and training activities by type and by unit, with their reach. */
export function ActivitiesPanel({ i5, target }: { i5: I5Figures; target: TargetStatus | null }) {
  if (i5.total === 0) return <EmptyState />;
  const types = Object.entries(i5.byType).map(([code, count]) => ({ code, name: labelOf(ACTIVITY_TYPE_LABELS, code), count }));
  const units = Object.entries(i5.byUnit)
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, name: labelOf(ACTIVITY_UNIT_LABELS, code), count }));
  return (
    <>
      <dl className="dash-figures">
        <div>
          <dt>Tổng số hoạt động</dt>
          <dd data-testid="i5-total">
            {formatNumber(i5.total)} {target ? <TargetBadge target={target} /> : null}
          </dd>
        </div>
        <div>
          <dt>Lượt người tham dự / tiếp cận</dt>
          <dd data-testid="i5-reach">{formatNumber(i5.reach)}</dd>
        </div>
      </dl>
      <div className="dash-chart dash-chart--short" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={types} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={COLORS.grid} horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} tickFormatter={countTick} />
            <YAxis type="category" dataKey="name" width={130} tick={AXIS_TICK} />
            <Tooltip formatter={(v) => formatNumber(Number(v))} />
            <Bar dataKey="count" name="Hoạt động" fill={COLORS.bars} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartData>
        <DataTable
          caption="Hoạt động theo loại hình"
          columns={[
            { header: "Loại hình", cell: (t: (typeof types)[number]) => t.name },
            { header: "Số hoạt động", numeric: true, cell: (t) => formatNumber(t.count) },
          ]}
          rows={types}
          rowKey={(t) => t.code}
        />
      </ChartData>
      <DataTable
        caption="Theo đơn vị thực hiện"
        columns={[
          { header: "Đơn vị", cell: (u: (typeof units)[number]) => u.name },
          { header: "Số hoạt động", numeric: true, cell: (u) => formatNumber(u.count) },
        ]}
        rows={units}
        rowKey={(u) => u.code}
        testId="i5-units"
      />
    </>
  );
}
