// The audit log, newest first, 100 a page, filterable by action and username.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime } from "~/domain/format";
import type { AuditAction } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { requirePermission } from "~/server/guard.server";

export const meta: MetaFunction = () => pageTitle("Nhật ký");

const ACTION_LABELS: Record<AuditAction, string> = {
  login: "Đăng nhập",
  login_failed: "Đăng nhập thất bại",
  login_locked: "Đăng nhập khi đang tạm khóa",
  logout: "Đăng xuất",
  session_expired: "Hết phiên làm việc",
  view: "Xem",
  import: "Nhập dữ liệu",
  import_refused: "Từ chối tệp nhập",
  export: "Xuất báo cáo",
  download: "Tải xuống",
  approve: "Phê duyệt",
  review: "Thẩm định",
  submit: "Gửi báo cáo",
  create: "Tạo mới",
  update: "Cập nhật",
  delete: "Xóa",
  disable: "Khóa tài khoản",
  revoke: "Thu hồi",
  access_denied: "Bị từ chối truy cập",
};

const PAGE_SIZE = 100;

/** The JSON detail as "key: value · key: value", leaving out empty values, so it wraps. */
function describeDetail(json: string | null): string {
  if (!json) return "";
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return json;
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join(" · ");
  } catch {
    return json;
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requirePermission(request, "view:audit");
  const params = new URL(request.url).searchParams;
  const action = params.get("action") ?? "";
  const username = params.get("username")?.trim().toLowerCase() ?? "";
  const before = Number(params.get("before")) || null;

  const db = await getDb();
  let query = db
    .selectFrom("audit_log")
    .select(["id", "at", "username", "action", "target", "detail", "ip"])
    // Entries without a ward are installation-wide, such as a sign-in with an unknown name.
    .where((eb) => eb.or([eb("ward_id", "=", viewer.wardId), eb("ward_id", "is", null)]))
    .orderBy("id", "desc")
    .limit(PAGE_SIZE + 1);
  if (action) query = query.where("action", "=", action);
  if (username) query = query.where("username", "=", username);
  if (before) query = query.where("id", "<", before);
  const rows = await query.execute();

  return {
    entries: rows.slice(0, PAGE_SIZE).map((r) => ({
      id: r.id,
      at: formatDateTime(r.at),
      username: r.username,
      action: ACTION_LABELS[r.action as AuditAction] ?? r.action,
      target: r.target,
      detail: describeDetail(r.detail),
      ip: r.ip,
    })),
    nextBefore: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
  };
}

export default function AuditLog() {
  const { entries, nextBefore } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  if (nextBefore) next.set("before", String(nextBefore));
  return (
    <>
      <PageHeader title="Nhật ký hệ thống" />
      <Form method="get" className="toolbar">
        <label className="field">
          <span>Thao tác</span>
          <select name="action" defaultValue={params.get("action") ?? ""}>
            <option value="">Tất cả</option>
            {Object.entries(ACTION_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Tên đăng nhập</span>
          <input name="username" defaultValue={params.get("username") ?? ""} autoCapitalize="none" />
        </label>
        <button type="submit">Lọc</button>
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
                  <td className="mono wrap-anywhere">{e.target ?? ""}</td>
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
