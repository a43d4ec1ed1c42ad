// API tokens for the systems that push data (POST /api/v1/:source): create one (shown
// once), see when each was last used, revoke one.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime } from "~/domain/format";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { API_SOURCES, KIND_LABELS } from "~/server/import/kinds";
import { DEFAULT_TOKEN_DAYS, TOKEN_SCOPE_LABELS } from "~/domain/access-limits";
import { createApiToken, listApiTokens, revokeApiToken, TokenError } from "~/server/tokens.server";

export const meta: MetaFunction = () => pageTitle("Khóa API");

const SOURCE_OPTIONS = Object.entries(API_SOURCES).map(([source, kind]) => ({ source, label: KIND_LABELS[kind] }));

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:tokens");
  const db = await getDb();
  const [tokens, facilities] = await Promise.all([
    listApiTokens(db, admin.wardId),
    db.selectFrom("facility").select(["code", "name"]).where("ward_id", "=", admin.wardId).orderBy("code").execute(),
  ]);
  return {
    origin: new URL(request.url).origin,
    facilities,
    tokens: tokens.map((t) => ({
      id: t.id, name: t.name, prefix: t.prefix, facilityCode: t.facilityCode,
      source: t.source ? (SOURCE_OPTIONS.find((o) => o.source === t.source)?.label ?? t.source) : null,
      scope: TOKEN_SCOPE_LABELS[t.scope], expires: t.expiresAt ? formatDateTime(t.expiresAt) : null, expired: t.expiresAt !== null && t.expiresAt * 1000 <= Date.now(),
      createdBy: t.createdBy, created: formatDateTime(t.createdAt), revoked: t.revokedAt ? formatDateTime(t.revokedAt) : null,
      lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : null,
    })),
  };
}

const createForm = z.object({
  name: z.string().trim().min(1, "Thiếu tên khóa."),
  facilityCode: z.string().trim().optional(),
  source: z.string().trim().optional(),
  scope: z.enum(["push", "read"]).default("push"),
  days: z.coerce.number().int("Thời hạn là số ngày.").default(DEFAULT_TOKEN_DAYS),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:tokens");
  const db = await getDb();
  const form = Object.fromEntries(await request.formData());
  const actor = { userId: admin.id, username: admin.username, ip: clientIp(request) };
  try {
    if (form.intent === "create") {
      const parsed = createForm.safeParse(form);
      if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 });
      const created = await createApiToken(db, { wardId: admin.wardId, ...parsed.data }, actor);
      return { ok: `Đã tạo khóa "${parsed.data.name}".`, token: created.token };
    }
    if (form.intent === "revoke") {
      await revokeApiToken(db, admin.wardId, Number(form.id), actor);
      return { ok: "Đã thu hồi khóa.", token: null };
    }
    return data({ error: "Thao tác không hợp lệ." }, { status: 400 });
  } catch (error) {
    if (error instanceof TokenError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function Tokens() {
  const { tokens, facilities, origin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Khóa API" />
      <p className="muted">
        Hệ thống gửi dữ liệu (phần mềm KCB, cổng kết quả…) gọi <code>POST {origin}/api/v1/&lt;nguồn&gt;</code> với tiêu đề{" "}
        <code>Authorization: Bearer &lt;khóa&gt;</code> và một mảng JSON các dòng, tên trường như cột CSV của mẫu nhập.
        Nguồn: {Object.keys(API_SOURCES).map((s) => <code key={s}>{s} </code>)}. Mỗi khóa tối đa 60 yêu cầu mỗi phút.
      </p>
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && (
        <p className="notice notice-ok" role="status">
          {result.ok}
          {result.token && <> Khóa (chỉ hiện một lần, hãy sao chép ngay vào hệ thống gửi): <code className="wrap-anywhere">{result.token}</code></>}
        </p>
      )}
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Tên</th>
              <th>Khóa</th>
              <th>Phạm vi</th>
              <th>Tạo lúc</th>
              <th>Dùng gần nhất</th>
              <th>Trạng thái</th>
              <th><span className="visually-hidden">Thao tác</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 && (
              <tr><td colSpan={7} className="muted">Chưa có khóa API nào.</td></tr>
            )}
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td className="mono">{t.prefix}…</td>
                <td>{[t.scope, t.facilityCode && `Cơ sở ${t.facilityCode}`, t.source].filter(Boolean).join(" · ")}{t.expires && <span className="muted"> · hết hạn {t.expires}</span>}</td>
                <td>{t.created}{t.createdBy && <span className="muted"> · {t.createdBy}</span>}</td>
                <td>{t.lastUsed ?? <span className="muted">Chưa dùng</span>}</td>
                <td>
                  {t.revoked ? <span className="badge badge-off">Đã thu hồi {t.revoked}</span>
                    : t.expired ? <span className="badge badge-off">Hết hạn</span> : <span className="badge badge-ok">Hoạt động</span>}
                </td>
                <td>
                  {!t.revoked && (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="id" value={t.id} />
                      <button name="intent" value="revoke" className="btn btn-danger" disabled={busy}>Thu hồi</button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Tạo khóa</h2>
      <Form method="post" className="card form-grid">
        <label>
          <span>Tên (hệ thống gửi)</span>
          <input name="name" required placeholder="Phần mềm KCB Phòng khám 38A15" />
        </label>
        <label>
          <span>Phạm vi</span>
          <select name="scope" defaultValue="push">
            <option value="push">{TOKEN_SCOPE_LABELS.push} (POST /api/v1/&lt;nguồn&gt;)</option>
            <option value="read">{TOKEN_SCOPE_LABELS.read} (GET /api/v1/metrics)</option>
          </select>
        </label>
        <label>
          <span>Hết hạn sau (ngày)</span>
          <input name="days" type="number" min={1} max={1095} defaultValue={DEFAULT_TOKEN_DAYS} required />
        </label>
        <label>
          <span>Chỉ cho cơ sở KCB (mã)</span>
          <input name="facilityCode" list="facility-codes" placeholder="để trống nếu không giới hạn" />
          <datalist id="facility-codes">
            {facilities.map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
          </datalist>
        </label>
        <label>
          <span>Chỉ cho loại dữ liệu</span>
          <select name="source" defaultValue="">
            <option value="">(mọi loại của cơ sở)</option>
            {SOURCE_OPTIONS.map((o) => <option key={o.source} value={o.source}>{o.label}</option>)}
          </select>
        </label>
        <div>
          <button type="submit" name="intent" value="create" disabled={busy}>Tạo khóa</button>
        </div>
      </Form>
    </>
  );
}
