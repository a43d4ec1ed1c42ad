// /account/totp — the vice chair and the administrator may add a second factor to their
// own account: a 6-digit code from an authenticator app (Google Authenticator, Microsoft
// Authenticator, FreeOTP…) asked at every sign-in after the password.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { disableTotp, enableTotp, newTotpKey } from "~/server/totp.server";
import { verifyPassword } from "~/server/users.server";

export const meta: MetaFunction = () => pageTitle("Xác thực hai lớp");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "account:totp");
  const row = await (await getDb()).selectFrom("app_user").select("totp_secret").where("id", "=", user.id).executeTakeFirstOrThrow();
  return { enabled: row.totp_secret !== null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "account:totp");
  const db = await getDb();
  const form = await request.formData();
  const who = { wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `user:${user.username}` };
  switch (form.get("intent")) {
    case "start":
      return { setup: newTotpKey(user.username) };
    case "confirm": {
      const sealed = String(form.get("sealed") ?? "");
      if (!(await enableTotp(db, user.id, sealed, String(form.get("code") ?? "")))) {
        return data({ error: "Mã không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã đang hiện.", setup: null }, { status: 400 });
      }
      await audit(db, { action: "update", ...who, detail: { totp: "enabled" } });
      return { ok: "Đã bật xác thực hai lớp. Từ lần đăng nhập sau, hệ thống sẽ hỏi mã trên điện thoại." };
    }
    case "disable": {
      const row = await db.selectFrom("app_user").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow();
      if (!(await verifyPassword(row.password_hash, String(form.get("password") ?? "")))) {
        return data({ error: "Mật khẩu không đúng.", setup: null }, { status: 400 });
      }
      await disableTotp(db, user.id);
      await audit(db, { action: "update", ...who, detail: { totp: "disabled" } });
      return { ok: "Đã tắt xác thực hai lớp." };
    }
    default:
      return data({ error: "Thao tác không hợp lệ.", setup: null }, { status: 400 });
  }
}

export default function Totp() {
  const { enabled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const setup = result && "setup" in result ? result.setup : null;
  return (
    <>
      <PageHeader title="Xác thực hai lớp" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      <p>Trạng thái: <strong>{enabled ? "đang bật" : "chưa bật"}</strong>.</p>
      {!enabled && !setup && (
        <Form method="post">
          <p className="muted">Cần một ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator, FreeOTP…).</p>
          <button name="intent" value="start" disabled={busy}>Bắt đầu thiết lập</button>
        </Form>
      )}
      {setup && (
        <Form method="post" className="card form-grid">
          <p>
            Trong ứng dụng, chọn thêm tài khoản bằng khóa thiết lập và nhập khóa: <code className="mono">{setup.base32}</code>
            <br />
            <span className="muted">Hoặc địa chỉ: <code className="mono">{setup.uri}</code></span>
          </p>
          <input type="hidden" name="sealed" value={setup.sealed} />
          <label>
            <span>Mã 6 chữ số đang hiện trên ứng dụng</span>
            <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" maxLength={7} required />
          </label>
          <div>
            <button name="intent" value="confirm" disabled={busy}>Bật xác thực hai lớp</button>
          </div>
        </Form>
      )}
      {enabled && (
        <Form method="post" className="card form-grid">
          <label>
            <span>Mật khẩu (để tắt)</span>
            <input name="password" type="password" autoComplete="current-password" maxLength={512} required />
          </label>
          <div>
            <button name="intent" value="disable" className="btn btn-danger" disabled={busy}>Tắt xác thực hai lớp</button>
          </div>
        </Form>
      )}
    </>
  );
}
