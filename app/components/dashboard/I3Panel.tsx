import { Link } from "@remix-run/react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { I3_STATUS_LABELS } from "~/domain/codes";
import { formatDateTime, formatHours, formatNumber, formatPercent } from "~/domain/format";
import { AXIS_TICK, COLORS, countTick } from "./chart-theme";
import { DataTable } from "./DataTable";
import { ChartData, EmptyState } from "./Panel";

import type { I3Figures, OverdueRecord } from "~/domain/metrics-types";

const STATUSES = ["onTime", "late", "overdue", "pending"] as const;
/** Axis names short enough for a phone; the figures above carry the full ones. */
const SHORT_LABELS = { onTime: "Đúng hạn", late: "Trễ hạn", overdue: "Quá hạn", pending: "Đang chờ" } as const;

/** I3: on time / late / overdue / pending, the hours to display, and the records to chase. */
export function I3Breakdown({ i3, overdue, overdueTotal, figureHref, worklistHref }: {
  i3: I3Figures;
  overdue: OverdueRecord[];
  overdueTotal: number;
  figureHref: ((figure: string) => string) | null;
  worklistHref: string | null;
}) {
  const total = i3.onTime + i3.late + i3.overdue + i3.pending;
  if (total === 0) return <EmptyState />;
  const bars = STATUSES.map((s) => ({ key: s, name: I3_STATUS_LABELS[s], short: SHORT_LABELS[s], count: i3[s] }));
  return (
    <>
      <dl className="dash-figures">
        {bars.map((b) => (
          <div key={b.key} style={{ borderLeftColor: COLORS[b.key] }}>
            <dt>{b.name}</dt>
            <dd data-testid={`i3-${b.key}`}>
              {figureHref ? <Link to={figureHref(`i3.${b.key}`)}>{formatNumber(b.count)}</Link> : formatNumber(b.count)}
            </dd>
          </div>
        ))}
        <div>
          <dt>Trung vị thời gian hiển thị</dt>
          <dd>{formatHours(i3.hoursToDisplay.median)}</dd>
        </div>
        <div>
          <dt>90 % hồ sơ hiển thị trong</dt>
          <dd>{formatHours(i3.hoursToDisplay.p90)}</dd>
        </div>
      </dl>
      <div className="dash-chart dash-chart--short" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={COLORS.grid} horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} tickFormatter={countTick} />
            <YAxis type="category" dataKey="short" width={84} tick={AXIS_TICK} />
            <Tooltip formatter={(v) => formatNumber(Number(v))} />
            <Bar dataKey="count" name="Hồ sơ" isAnimationActive={false}>
              {bars.map((b) => (
                <Cell key={b.key} fill={COLORS[b.key]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartData>
        <DataTable
          caption="Hồ sơ theo tình trạng hiển thị"
          columns={[
            { header: "Tình trạng", cell: (b: (typeof bars)[number]) => b.name },
            { header: "Số hồ sơ", numeric: true, cell: (b) => formatNumber(b.count) },
          ]}
          rows={bars}
          rowKey={(b) => b.key}
          footer={["Tỷ lệ đúng hạn (không tính hồ sơ đang chờ)", formatPercent(i3.rate)]}
        />
      </ChartData>
      <OverdueList rows={overdue} total={overdueTotal} worklistHref={worklistHref} />
    </>
  );
}

function OverdueList({ rows, total, worklistHref }: { rows: OverdueRecord[]; total: number; worklistHref: string | null }) {
  if (total === 0) return <p className="dash-panel-note">Không có hồ sơ quá hạn hiển thị.</p>;
  return (
    <>
      <DataTable
        caption={`Hồ sơ quá hạn chưa hiển thị trên VNeID (${formatNumber(total)}), lâu nhất trước`}
        columns={[
          { header: "Cơ sở KCB", cell: (r: OverdueRecord) => r.facilityCode },
          { header: "Mã liên kết (MA_LK)", cell: (r) => r.maLk },
          { header: "Cổng tiếp nhận lúc", cell: (r) => formatDateTime(r.receivedAt) },
          { header: "Số giờ chờ", numeric: true, cell: (r) => formatNumber(r.hoursWaiting, 1) },
        ]}
        rows={rows}
        rowKey={(r) => `${r.facilityCode}|${r.maLk}`}
        cardsOnPhone
        testId="overdue-table"
      />
      {worklistHref ? (
        <Link className="dash-link-more" to={worklistHref}>
          Xem toàn bộ danh sách hồ sơ cần xử lý →
        </Link>
      ) : null}
    </>
  );
}
