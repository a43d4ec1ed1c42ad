// R4, the health station's work list: records not sent, rejected by the gateway and
// overdue for display in VNeID, oldest first. Facility, MA_LK and times only: no
// personal identifier, masked or not. Every view is audited.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { FacilityFilter } from "~/components/dashboard/FacilityFilter";
import { PagedTable } from "~/components/dashboard/PagedTable";
import { PAGE_SIZE, pageOf } from "~/components/dashboard/Pager";
import { SelectionError } from "~/components/dashboard/SelectionError";
import { readSelection, selectionParams, WORKLIST_DEFAULT_PERIOD } from "~/components/dashboard/selection";
import { WORK_KIND_LABELS } from "~/components/dashboard/work-kinds";
import { pageTitle } from "~/components/page";
import { PeriodPicker } from "~/components/period-picker";
import { formatDateTime, formatNumber } from "~/domain/format";
import type { WorkItem } from "~/domain/metrics-types";
import { periodLabel } from "~/domain/periods";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { listFacilities } from "~/server/dashboard/records.server";
import { workList } from "~/server/metrics/engine.server";
import dashboardCss from "~/styles/dashboard.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];
export const meta: MetaFunction = () => pageTitle("Hồ sơ cần xử lý");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:worklist");
  const params = new URL(request.url).searchParams;
  const selection = readSelection(params, Math.floor(Date.now() / 1000), WORKLIST_DEFAULT_PERIOD);
  const facility = params.get("facility") || null;
  const page = pageOf(params);
  const db = await getDb();
  const q = { wardId: user.wardId, period: selection.period, asOf: selection.asOf, ...(facility ? { facilityCode: facility } : {}) };
  const [list, facilities] = await Promise.all([
    workList(db, q, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    listFacilities(db, user.wardId),
  ]);
  await audit(db, {
    action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "worklist", detail: { period: selection.period.key, facility, page },
  });
  return {
    periodLabel: periodLabel(selection.period),
    asOfText: formatDateTime(selection.asOf),
    dashboardHref: `/dashboard?${new URLSearchParams(selectionParams(selection))}`,
    exportHref: `/worklist.xlsx?${new URLSearchParams({ ...selectionParams(selection), ...(facility ? { facility } : {}) })}`,
    facilities,
    page,
    list,
  };
}

export default function WorkList() {
  const { periodLabel, asOfText, dashboardHref, exportHref, facilities, page, list } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  const names = new Map(facilities.map((f) => [f.code, f.name]));
  return (
    <div className="dash" aria-busy={busy}>
      <div className="dash-header">
        <div>
          <h1>Danh sách hồ sơ cần xử lý</h1>
          <p className="dash-subtitle">
            {periodLabel} · tính đến {asOfText} · hồ sơ chờ lâu nhất ở trên cùng
          </p>
        </div>
        {busy ? <span className="dash-pending" role="status">Đang tải…</span> : null}
      </div>
      <PeriodPicker defaultValue={WORKLIST_DEFAULT_PERIOD} />
      <div className="dash-filters">
        <FacilityFilter facilities={facilities} />
        {list.total > 0 ? (
          <a className="btn btn-secondary" href={exportHref} download>
            Tải Excel (.xlsx)
          </a>
        ) : null}
      </div>
      <div className="dash-body">
        <PagedTable
          caption="Hồ sơ chưa gửi, bị từ chối hoặc quá hạn hiển thị trên VNeID"
          columns={[
            { header: "Cơ sở KCB", cell: (r: WorkItem) => <span title={names.get(r.facilityCode)}>{r.facilityCode}</span> },
            { header: "Mã liên kết (MA_LK)", cell: (r) => r.maLk },
            { header: "Việc cần làm", cell: (r) => <WorkKind item={r} /> },
            { header: "Kết thúc KCB", cell: (r) => formatDateTime(r.endedAt) },
            { header: "Cổng tiếp nhận", cell: (r) => formatDateTime(r.receivedAt) },
            { header: "Số giờ chờ", numeric: true, cell: (r) => formatNumber(r.hoursWaiting, 1) },
          ]}
          rows={list.rows}
          rowKey={(r) => `${r.kind}|${r.facilityCode}|${r.maLk}`}
          total={list.total}
          page={page}
          empty="Không có hồ sơ nào cần xử lý trong kỳ này."
          testId="worklist-table"
        />
        <p className="dash-panel-note">
          Số giờ chờ tính từ khi kết thúc khám (hồ sơ chưa gửi, bị từ chối) hoặc từ khi Cổng tiếp nhận (hồ sơ quá hạn
          hiển thị) đến thời điểm tính. <Link to={dashboardHref}>Về trang tổng quan</Link>
        </p>
      </div>
    </div>
  );
}

function WorkKind({ item }: { item: WorkItem }) {
  return (
    <>
      <span className={`dash-status dash-status--${item.kind}`}>{WORK_KIND_LABELS[item.kind]}</span>
      {item.kind === "rejected" ? (
        <div className="dash-reject">
          <code>{item.rejectCode ?? "—"}</code> {item.rejectMessage ?? ""}
        </div>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <SelectionError error={useRouteError()} />;
}
