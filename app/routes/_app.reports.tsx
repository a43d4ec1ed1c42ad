// The report calendar (what is due, by when, and in what state: DHIS2's reporting rates
// and timeliness) and the archive of every kept version. A preparer starts a draft here
// in one click; the report's own page takes it on (app/routes/_app.reports_.$id.tsx).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime } from "~/domain/format";
import { can } from "~/domain/permissions";
import { PeriodError, periodLabel, resolvePeriod } from "~/domain/periods";
import {
  CALENDAR_STATE_LABELS, REPORT_KIND_SHORT, REPORT_KINDS, REPORT_STATUS_LABELS, type CalendarState,
} from "~/domain/reports";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { createDraft, listReports, reportCalendar, ReportError } from "~/server/reports/reports.server";

export const meta: MetaFunction = () => pageTitle("Báo cáo");

const STATE_BADGE: Record<CalendarState, string> = {
  upcoming: "badge",
  not_started: "badge",
  draft: "badge",
  reviewed: "badge",
  on_time: "badge badge-ok",
  late: "badge badge-off",
  overdue: "badge badge-off",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "report:export");
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const versions = await listReports(db, user.wardId);
  const calendar = await reportCalendar(db, user.wardId, now, versions);
  const params = new URL(request.url).searchParams;
  const filter = { kind: params.get("kind") ?? "", status: params.get("status") ?? "", period: (params.get("period") ?? "").trim() };
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: "reports" });
  return {
    canDraft: can(user.role, "report:draft"),
    calendar: calendar
      .map((c) => ({
        kind: c.kind, kindLabel: REPORT_KIND_SHORT[c.kind], period: c.period.key, periodLabel: periodLabel(c.period),
        deadline: formatDateTime(c.deadline), state: c.state, stateLabel: CALENDAR_STATE_LABELS[c.state],
        latestId: c.latest?.id ?? null, latestStatus: c.latest ? REPORT_STATUS_LABELS[c.latest.status] : null,
      }))
      .reverse(), // the latest deadlines first
    filter,
    archive: versions
      .filter((v) => (!filter.kind || v.kind === filter.kind) && (!filter.status || v.status === filter.status) && (!filter.period || v.period.startsWith(filter.period)))
      .map((v) => ({
      id: v.id, kind: v.kind, kindLabel: REPORT_KIND_SHORT[v.kind], period: v.period, periodLabel: periodLabel(resolvePeriod(v.period, now)),
      version: v.version, status: v.status, statusLabel: REPORT_STATUS_LABELS[v.status],
      number: v.number, submittedAt: v.submittedAt === null ? null : formatDateTime(v.submittedAt),
      asOf: v.asOf === null ? null : formatDateTime(v.asOf), replacesId: v.replacesId, replacedById: v.replacedById,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "report:draft");
  const form = await request.formData();
  const kind = String(form.get("kind") ?? "");
  const period = String(form.get("period") ?? "").trim();
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  try {
    const key = period ? resolvePeriod(period, now).key : "";
    const id = await createDraft(db, { id: user.id, role: user.role, wardId: user.wardId }, kind, key, now);
    await audit(db, { action: "create", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `report:${id}`, detail: { kind, period: key } });
    return redirect(`/reports/${id}`);
  } catch (error) {
    if (error instanceof ReportError) return data({ error: error.message }, { status: error.status });
    if (error instanceof PeriodError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function Reports() {
  const { canDraft, calendar, archive, filter } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Báo cáo" />
      {result && "error" in result ? <p className="notice notice-error" role="alert">{result.error}</p> : null}

      <h2>Lịch báo cáo</h2>
      <p className="muted">
        Báo cáo kết quả thí điểm (R1) hằng tháng, quý, 6 tháng và năm; bảng 6 tháng của cơ sở KCB (R2) mỗi 6 tháng. Hạn gửi: trước ngày 03 của tháng sau kỳ báo cáo.
      </p>
      <div className="table-wrap">
        <table className="data" aria-label="Lịch báo cáo">
          <thead>
            <tr><th>Báo cáo</th><th>Kỳ</th><th>Hạn gửi</th><th>Trạng thái</th><th /></tr>
          </thead>
          <tbody>
            {calendar.map((c) => (
              <tr key={`${c.kind}|${c.period}`} data-report={`${c.kind} ${c.period}`}>
                <td>{c.kindLabel}</td>
                <td>{c.periodLabel}</td>
                <td className="nowrap">{c.deadline}</td>
                <td>
                  <span className={STATE_BADGE[c.state]}>{c.stateLabel}</span>
                  {c.state === "overdue" && c.latestStatus ? <span className="muted"> ({c.latestStatus.toLowerCase()})</span> : null}
                </td>
                <td className="nowrap">
                  {c.latestId !== null ? (
                    <Link to={`/reports/${c.latestId}`}>Mở báo cáo</Link>
                  ) : canDraft && c.state !== "upcoming" ? (
                    <Form method="post">
                      <input type="hidden" name="kind" value={c.kind} />
                      <input type="hidden" name="period" value={c.period} />
                      <button type="submit" disabled={busy}>Lập báo cáo</button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {canDraft ? (
        <>
          <h2>Lập báo cáo khác</h2>
          <Form method="post" className="card form-grid">
            <label>
              <span>Loại báo cáo</span>
              <select name="kind" defaultValue="R4">
                {REPORT_KINDS.map((k) => <option key={k} value={k}>{REPORT_KIND_SHORT[k]}</option>)}
              </select>
            </label>
            <label>
              <span>Kỳ (ví dụ 2026-03, 2026-Q1, 2026-H1, 2026)</span>
              <input name="period" required placeholder="2026-Q1" />
            </label>
            <div><button type="submit" disabled={busy}>Lập bản nháp</button></div>
          </Form>
        </>
      ) : null}

      <h2>Lưu trữ</h2>
      <Form method="get" className="toolbar archive-filter" aria-label="Lọc lưu trữ">
        <label>
          <span>Kỳ (ví dụ 2026, 2026-Q1) </span>
          <input name="period" defaultValue={filter.period} size={10} />
        </label>
        <label>
          <span>Loại </span>
          <select name="kind" defaultValue={filter.kind}>
            <option value="">Tất cả</option>
            {REPORT_KINDS.map((k) => <option key={k} value={k}>{REPORT_KIND_SHORT[k]}</option>)}
          </select>
        </label>
        <label>
          <span>Trạng thái </span>
          <select name="status" defaultValue={filter.status}>
            <option value="">Tất cả</option>
            {Object.entries(REPORT_STATUS_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </label>
        <button type="submit" className="btn btn-secondary">Lọc</button>
      </Form>
      {archive.length === 0 ? (
        <p className="empty-state">{filter.kind || filter.status || filter.period ? "Không có báo cáo nào khớp bộ lọc." : "Chưa có báo cáo nào được lập."}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-label="Lưu trữ báo cáo">
            <thead>
              <tr><th>Kỳ</th><th>Báo cáo</th><th>Bản</th><th>Trạng thái</th><th>Số</th><th>Ngày gửi</th><th>Số liệu tính đến</th><th>Ghi chú</th><th /></tr>
            </thead>
            <tbody>
              {archive.map((v) => (
                <tr key={v.id}>
                  <td>{v.periodLabel}</td>
                  <td>{v.kindLabel}</td>
                  <td className="num">{v.version}</td>
                  <td>{v.statusLabel}</td>
                  <td className="num">{v.number === null ? "" : String(v.number).padStart(2, "0")}</td>
                  <td className="nowrap">{v.submittedAt ?? ""}</td>
                  <td className="nowrap">{v.asOf ?? ""}</td>
                  <td>
                    {v.replacesId ? <>Đính chính bản <Link to={`/reports/${v.replacesId}`}>#{v.replacesId}</Link>. </> : null}
                    {v.replacedById ? <>Đã được thay bằng <Link to={`/reports/${v.replacedById}`}>#{v.replacedById}</Link>.</> : null}
                  </td>
                  <td className="nowrap">
                    <Link to={`/reports/${v.id}`}>Xem</Link>
                    {" · "}
                    <a href={`/reports/${v.id}/xlsx`} download>Tải .xlsx</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
