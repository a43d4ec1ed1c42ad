// The records behind a dashboard figure (/records?figure=i3.overdue&period=2026-Q1):
// facility, MA_LK and times, never an identifier, not even masked. Every view is audited.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { FacilityFilter } from "~/components/dashboard/FacilityFilter";
import { PagedTable } from "~/components/dashboard/PagedTable";
import { PAGE_SIZE, pageOf } from "~/components/dashboard/Pager";
import { FIGURE_LABELS, SENDING_LABELS } from "~/domain/record-labels";
import { SelectionError } from "~/components/dashboard/SelectionError";
import { selectionParams } from "~/domain/selection";
import { pageTitle } from "~/components/page";
import { PrintHeader } from "~/components/print-header";
import { PeriodPicker } from "~/components/period-picker";
import { I3_STATUS_LABELS, METHOD_LABELS } from "~/domain/codes";
import { formatDateTime, formatNumber } from "~/domain/format";
import { periodLabel } from "~/domain/periods";
import { audit } from "~/server/audit.server";
import { figureRecords, listFacilities, type FigureRecord } from "~/server/dashboard/records.server";
import { readRecordsRequest } from "~/server/dashboard/records-request.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import dashboardCss from "~/styles/dashboard.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];
export const meta: MetaFunction = () => pageTitle("Hồ sơ của chỉ số");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:records");
  const params = new URL(request.url).searchParams;
  const { figure, selection, facility, code, query: q } = readRecordsRequest(params, user.wardId);
  const page = pageOf(params);
  const db = await getDb();
  const [list, facilities] = await Promise.all([
    figureRecords(db, q, figure, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    listFacilities(db, user.wardId),
  ]);
  await audit(db, {
    action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "records", detail: { figure, period: selection.period.key, facility, code, page },
  });
  const exportParams = { figure, ...selectionParams(selection), ...(facility ? { facility } : {}), ...(code ? { code } : {}) };
  return {
    figure,
    title: code ? `${FIGURE_LABELS[figure]} — mã lỗi ${code}` : FIGURE_LABELS[figure],
    exportHref: `/records.xlsx?${new URLSearchParams(exportParams)}`,
    periodLabel: periodLabel(selection.period),
    asOfText: formatDateTime(selection.asOf),
    dashboardHref: `/dashboard?${new URLSearchParams(selectionParams(selection))}`,
    facilities,
    page,
    list,
  };
}

export default function Records() {
  const { figure, title, exportHref, periodLabel, asOfText, dashboardHref, facilities, page, list } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  const family = figure.slice(0, 2);
  const names = new Map(facilities.map((f) => [f.code, f.name]));
  return (
    <div className="dash" aria-busy={busy}>
      <PrintHeader title={title} period={periodLabel} asOf={asOfText} />
      <div className="dash-header">
        <div>
          <h1>{title}</h1>
          <p className="dash-subtitle">
            {periodLabel} · số liệu tính đến {asOfText} · <Link to={dashboardHref} className="no-print">Về trang tổng quan</Link>
          </p>
        </div>
        {busy ? <span className="dash-pending" role="status">Đang tải…</span> : null}
      </div>
      <PeriodPicker />
      <div className="dash-filters no-print">
        <FacilityFilter facilities={facilities} />
        {list.total > 0 ? (
          <a className="btn btn-secondary" href={exportHref} download data-testid="records-export">Tải Excel (.xlsx)</a>
        ) : null}
      </div>
      <PagedTable
        caption={title}
        columns={[
          { header: "Cơ sở KCB", cell: (r: FigureRecord) => <>{names.get(r.facilityCode) ?? ""} <span className="muted">({r.facilityCode})</span></> },
          { header: "Mã liên kết (MA_LK)", cell: (r) => r.maLk },
          { header: "Vào khám", cell: (r) => formatDateTime(r.checkinAt) },
          { header: "Kết thúc", cell: (r) => formatDateTime(r.endedAt) },
          { header: family === "i2" ? "Cổng tiếp nhận / từ chối" : "Cổng tiếp nhận", cell: (r) => formatDateTime(r.receivedAt ?? r.rejectedAt) },
          { header: "Hiển thị VNeID", cell: (r) => formatDateTime(r.displayedAt) },
          { header: "Tình trạng", cell: (r) => <RecordStatus record={r} family={family} /> },
        ]}
        rows={list.rows}
        rowKey={(r) => `${r.facilityCode}|${r.maLk}`}
        total={list.total}
        page={page}
        empty="Không có hồ sơ nào trong kỳ này."
        testId="records-table"
      />
      <p className="dash-panel-note">
        Tổng số: {formatNumber(list.total)} hồ sơ, tính như số liệu trên trang tổng quan cho cùng kỳ và thời điểm tính.
        Danh sách không có thông tin định danh cá nhân.
      </p>
    </div>
  );
}

/** The classification the figure is about: method for I1, sending for I2, display for I3. */
function RecordStatus({ record, family }: { record: FigureRecord; family: string }) {
  if (family === "i1") return <>{record.method ? METHOD_LABELS[record.method] : "—"}</>;
  if (family === "i2") {
    if (!record.sending) return <>—</>;
    return (
      <>
      <span className={`dash-status dash-status--${record.sending}`}>
        {SENDING_LABELS[record.sending]}
        {record.lastResultCode ? ` (${record.lastResultCode})` : ""}
      </span>
      {record.rejectedAt !== null ? (
        <div className="dash-reject" data-testid="rejected-at">
          Từ chối lúc {formatDateTime(record.rejectedAt)}{record.rejectMessage ? ` — ${record.rejectMessage}` : ""}
        </div>
      ) : null}
      </>
    );
  }
  return record.display ? (
    <span className={`dash-status dash-status--${record.display}`}>{I3_STATUS_LABELS[record.display]}</span>
  ) : (
    <>—</>
  );
}

export function ErrorBoundary() {
  return <SelectionError error={useRouteError()} />;
}
