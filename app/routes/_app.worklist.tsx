// R4, the health station's work list: records not sent, rejected by the gateway and
// overdue for display in VNeID. One tab per kind with its count, a search by MA_LK and a
// chosen order (longest waiting first by default). Facility, MA_LK and times only: no
// personal identifier, masked or not. Every view is audited.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { FacilityFilter } from "~/components/dashboard/FacilityFilter";
import { PagedTable } from "~/components/dashboard/PagedTable";
import { PAGE_SIZE, pageOf } from "~/components/dashboard/Pager";
import { SelectionError } from "~/components/dashboard/SelectionError";
import { readSelection, selectionParams, WORKLIST_DEFAULT_PERIOD } from "~/domain/selection";
import { WORK_KIND_LABELS } from "~/domain/work-kinds";
import { HelpLink } from "~/components/help-link";
import { pageTitle } from "~/components/page";
import { PeriodPicker } from "~/components/period-picker";
import { PrintHeader } from "~/components/print-header";
import { formatDateTime, formatNumber } from "~/domain/format";
import type { WorkItem } from "~/domain/metrics-types";
import { periodLabel } from "~/domain/periods";
import { formatWaiting, readWorkFilter, WORK_KINDS, WORK_SORT_LABELS, type WorkSort } from "~/domain/worklist";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { listFacilities } from "~/server/dashboard/records.server";
import { workListView } from "~/server/dashboard/worklist-view.server";
import dashboardCss from "~/styles/dashboard.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];
export const meta: MetaFunction = () => pageTitle("Hồ sơ cần xử lý");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:worklist");
  const params = new URL(request.url).searchParams;
  const selection = readSelection(params, Math.floor(Date.now() / 1000), WORKLIST_DEFAULT_PERIOD);
  const facility = params.get("facility") || null;
  const filter = readWorkFilter(params);
  const page = pageOf(params);
  const db = await getDb();
  const q = { wardId: user.wardId, period: selection.period, asOf: selection.asOf, ...(facility ? { facilityCode: facility } : {}) };
  const [view, facilities] = await Promise.all([workListView(db, q, filter), listFacilities(db, user.wardId)]);
  await audit(db, {
    action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "worklist", detail: { period: selection.period.key, facility, page, kind: filter.kind, q: filter.search || null },
  });
  const kept = { ...selectionParams(selection), ...(facility ? { facility } : {}) };
  const exportParams = { ...kept, ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.search ? { q: filter.search } : {}), sort: filter.sort };
  return {
    periodLabel: periodLabel(selection.period),
    asOfText: formatDateTime(selection.asOf),
    dashboardHref: `/dashboard?${new URLSearchParams(selectionParams(selection))}`,
    exportHref: `/worklist.xlsx?${new URLSearchParams(exportParams)}`,
    facilities,
    page,
    filter,
    counts: view.counts,
    all: view.all,
    total: view.rows.length,
    rows: view.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
  };
}

export default function WorkList() {
  const { periodLabel, asOfText, dashboardHref, exportHref, facilities, page, filter, counts, all, total, rows } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  const names = new Map(facilities.map((f) => [f.code, f.name]));
  return (
    <div className="dash" aria-busy={busy}>
      <PrintHeader title="Danh sách hồ sơ cần xử lý" period={periodLabel} asOf={asOfText} />
      <div className="dash-header">
        <div>
          <h1>Danh sách hồ sơ cần xử lý<HelpLink entry="worklist" label="Danh sách hồ sơ cần xử lý" /></h1>
          <p className="dash-subtitle">
            {periodLabel} · số liệu tính đến {asOfText}
          </p>
        </div>
        {busy ? <span className="dash-pending" role="status">Đang tải…</span> : null}
      </div>
      <PeriodPicker defaultValue={WORKLIST_DEFAULT_PERIOD} />
      <KindTabs current={filter.kind} counts={counts} all={all} />
      <div className="dash-filters no-print">
        <FacilityFilter facilities={facilities} />
        <SearchAndSort search={filter.search} sort={filter.sort} />
        {total > 0 ? (
          <a className="btn btn-secondary" href={exportHref} download data-testid="worklist-export">
            Tải Excel (.xlsx)
          </a>
        ) : null}
      </div>
      <div className="dash-body">
        <PagedTable
          caption="Hồ sơ chưa gửi, bị từ chối hoặc quá hạn hiển thị trên VNeID"
          columns={[
            { header: "Cơ sở KCB", cell: (r: WorkItem) => <>{names.get(r.facilityCode) ?? ""} <span className="muted">({r.facilityCode})</span></> },
            { header: "Mã liên kết (MA_LK)", cell: (r) => <code>{r.maLk}</code> },
            { header: "Việc cần làm", cell: (r) => <WorkKind item={r} /> },
            { header: "Kết thúc KCB", cell: (r) => formatDateTime(r.endedAt) },
            { header: "Cổng tiếp nhận / từ chối", cell: (r) => formatDateTime(r.receivedAt) },
            { header: "Đã chờ", numeric: true, cell: (r) => <span title={`${formatNumber(r.hoursWaiting, 1)} giờ`}>{formatWaiting(r.hoursWaiting)}</span> },
          ]}
          rows={rows}
          rowKey={(r) => `${r.kind}|${r.facilityCode}|${r.maLk}`}
          total={total}
          page={page}
          empty={filter.search ? `Không có hồ sơ nào có mã liên kết chứa “${filter.search}”.` : "Không có hồ sơ nào cần xử lý trong kỳ này."}
          testId="worklist-table"
        />
        <p className="dash-panel-note">
          Thời gian chờ tính từ khi kết thúc khám (hồ sơ chưa gửi, bị từ chối) hoặc từ khi Cổng tiếp nhận (hồ sơ quá hạn
          hiển thị) đến thời điểm tính. <Link to={dashboardHref} className="no-print">Về trang tổng quan</Link>
        </p>
      </div>
    </div>
  );
}

/** "Tất cả (120) | Chưa gửi lên Cổng (40) | …": links, so the choice is in the URL. */
function KindTabs({ current, counts, all }: { current: string | null; counts: Record<string, number>; all: number }) {
  const [params] = useSearchParams();
  const href = (kind: string | null) => {
    const next = new URLSearchParams(params);
    next.delete("page");
    if (kind) next.set("kind", kind);
    else next.delete("kind");
    return `?${next}`;
  };
  return (
    <nav className="dash-tabs" aria-label="Loại việc" data-testid="worklist-tabs">
      <Link to={href(null)} aria-current={current === null ? "page" : undefined}>Tất cả <span className="dash-count">{formatNumber(all)}</span></Link>
      {WORK_KINDS.map((k) => (
        <Link key={k} to={href(k)} aria-current={current === k ? "page" : undefined} data-testid={`tab-${k}`}>
          {WORK_KIND_LABELS[k]} <span className="dash-count">{formatNumber(counts[k])}</span>
        </Link>
      ))}
    </nav>
  );
}

function SearchAndSort({ search, sort }: { search: string; sort: WorkSort }) {
  const [params] = useSearchParams();
  const kept = [...params].filter(([k]) => k !== "q" && k !== "sort" && k !== "page");
  return (
    <Form method="get" className="dash-filters" aria-label="Tìm và sắp xếp">
      {kept.map(([k, v], i) => <input key={`${k}-${i}`} type="hidden" name={k} value={v} />)}
      <label>
        Tìm mã liên kết
        <input type="search" name="q" defaultValue={search} key={search} placeholder="MA_LK" inputMode="search" />
      </label>
      <label>
        Sắp xếp
        <select name="sort" defaultValue={sort} key={sort}>
          {(Object.keys(WORK_SORT_LABELS) as WorkSort[]).map((s) => <option key={s} value={s}>{WORK_SORT_LABELS[s]}</option>)}
        </select>
      </label>
      <button type="submit">Tìm</button>
    </Form>
  );
}

function WorkKind({ item }: { item: WorkItem }) {
  return (
    <>
      <span className={`dash-status dash-status--${item.kind}`}>{WORK_KIND_LABELS[item.kind]}</span>
      {item.kind === "rejected" ? (
        <div className="dash-reject" data-testid="reject-reason">
          <code>{item.rejectCode ?? "—"}</code> {item.rejectMessage ?? "(Cổng không gửi kèm thông điệp)"}
        </div>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <SelectionError error={useRouteError()} />;
}
