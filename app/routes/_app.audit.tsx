// The audit log, newest first, 100 a page, filterable by user, action and date, in
// Vietnamese words; the same selection downloads as .xlsx (/audit.xlsx).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { AUDIT_ACTION_LABELS } from "~/domain/audit-labels";
import { getDb } from "~/server/db.server";
import { requirePermission } from "~/server/guard.server";
import { auditLines, filterParams, readAuditFilter } from "~/server/audit/viewer.server";

export const meta: MetaFunction = () => pageTitle("Nhật ký");

const PAGE_SIZE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePermission(request, "view:audit");
  const params = new URL(request.url).searchParams;
  const filter = readAuditFilter(params);
  const before = Number(params.get("before")) || null;
  const rows = await auditLines(await getDb(), viewer.wardId, filter, { limit: PAGE_SIZE + 1, before });
  return {
    filter,
    entries: rows.slice(0, PAGE_SIZE),
    nextBefore: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
    exportHref: `/audit.xlsx?${new URLSearchParams(filterParams(filter))}`,
  };
}

export default function AuditLog() {
  const { entries, nextBefore, filter, exportHref } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  if (nextBefore) next.set("before", String(nextBefore));
  return (
    <>
      <PageHeader title="Nhật ký hệ thống" />
      <Form method="get" className="toolbar">
        <label className="field">
          <span>Người dùng</span>
          <input name="username" defaultValue={filter.username} autoCapitalize="none" placeholder="tên đăng nhập" />
        </label>
        <label className="field">
          <span>Thao tác</span>
          <select name="action" defaultValue={filter.action}>
            <option value="">Tất cả</option>
            {Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Từ ngày</span>
          <input type="date" name="from" defaultValue={filter.from} />
        </label>
        <label className="field">
          <span>Đến ngày</span>
          <input type="date" name="to" defaultValue={filter.to} />
        </label>
        <button type="submit">Lọc</button>
        <a className="btn btn-secondary" href={exportHref} download>Tải Excel</a>
      </Form>
      {entries.length === 0 ? (
        <div className="empty-state">Không có mục nào.</div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>Thời gian</th>
                <th>Người dùng</th>
                <th>Thao tác</th>
                <th>Đối tượng</th>
                <th>Chi tiết</th>
                <th>Địa chỉ IP</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{e.at}</td>
                  <td className="mono">{e.username ?? "—"}</td>
                  <td className="nowrap">{e.action}</td>
                  <td className="wrap-anywhere">{e.target}</td>
                  <td className="detail wrap-anywhere">{e.detail}</td>
                  <td className="mono">{e.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && (
        <p>
          <Link to={`?${next}`}>Các mục cũ hơn →</Link>
        </p>
      )}
    </>
  );
}
