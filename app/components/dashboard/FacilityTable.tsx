import { Link } from "@remix-run/react";
import { formatNumber, formatPercent } from "~/domain/format";
import { DataTable } from "./DataTable";
import { EmptyState } from "./Panel";

import type { FacilityRow } from "~/domain/metrics-types";

/** I1–I3 per facility, each figure a link to its records when the user may see them. */
export function FacilityTable({ rows, figureHref }: {
  rows: FacilityRow[];
  figureHref: ((figure: string, facility: string) => string) | null;
}) {
  if (rows.length === 0) return <EmptyState />;
  const count = (figure: string, n: number, facility: string) =>
    figureHref ? <Link to={figureHref(figure, facility)}>{formatNumber(n)}</Link> : formatNumber(n);
  return (
    <DataTable
      caption="Kết quả theo cơ sở khám bệnh, chữa bệnh"
      captionHidden
      columns={[
        { header: "Cơ sở KCB", cell: (r: FacilityRow) => <>{r.facilityName} <small>({r.facilityCode})</small></> },
        { header: "Lượt KCB", numeric: true, cell: (r) => count("i1.total", r.i1.total, r.facilityCode) },
        { header: "Bằng định danh", numeric: true, cell: (r) => count("i1.identified", r.i1.identified, r.facilityCode) },
        { header: "Tỷ lệ I1", numeric: true, cell: (r) => formatPercent(r.i1.rate) },
        { header: "Hồ sơ kết thúc", numeric: true, cell: (r) => count("i2.ended", r.i2.ended, r.facilityCode) },
        { header: "Đã liên thông", numeric: true, cell: (r) => count("i2.sent", r.i2.sent, r.facilityCode) },
        { header: "Tỷ lệ I2", numeric: true, cell: (r) => formatPercent(r.i2.rate) },
        { header: "Quá hạn hiển thị", numeric: true, cell: (r) => count("i3.overdue", r.i3.overdue, r.facilityCode) },
        { header: "Tỷ lệ I3", numeric: true, cell: (r) => formatPercent(r.i3.rate) },
      ]}
      rows={rows}
      rowKey={(r) => r.facilityCode}
      testId="facility-table"
    />
  );
}
