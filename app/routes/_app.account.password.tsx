// /account/password — every signed-in user changes their own password here; a user whose
// password was made by someone else (generated, reset) is sent here first, and sees no
// other page until it is changed. The second factor (TOTP) is offered to the roles that may have it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { homeFor } from "~/components/navigation";
import { PageHeader, pageTitle } from "~/components/page";
import { can } from "~/domain/permissions";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "~/domain/passwords";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { sessionIdOf } from "~/server/session.server";
import { changeOwnPassword, UserError } from "~/server/users.server";

export const meta: MetaFunction = () => pageTitle("Đổi mật khẩu");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "account:password");
  const db = await getDb();
  const row = await db.selectFrom("app_user").select("totp_secret").where("id", "=", user.id).executeTakeFirstOrThrow();
  return { mustChange: user.mustChangePassword === true, totp: can(user.role, "account:totp") ? { enabled: row.totp_secret !== null } : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "account:password");
  const form = await request.formData();
  const current = String(form.get("current") ?? "");
  const next = String(form.get("next") ?? "");
  if (next !== String(form.get("confirm") ?? "")) return data({ error: "Hai lần nhập mật khẩu mới không giống nhau." }, { status: 400 });
  try {
    const changed = await changeOwnPassword(await getDb(), user, current, next, { keepSession: await sessionIdOf(request), ip: clientIp(request) });
    if (!changed) return data({ error: "Mật khẩu đang dùng không đúng." }, { status: 400 });
  } catch (error) {
    if (error instanceof UserError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
  if (user.mustChangePassword) throw redirect(homeFor(user.role));
  return { ok: "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc." };
}

export default function ChangePassword() {
  const { mustChange, totp } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Đổi mật khẩu" />
      {mustChange && (
        <p className="notice" role="status">
          Mật khẩu hiện tại do người khác tạo (cấp mới hoặc đặt lại). Hãy đặt mật khẩu của riêng bạn trước khi tiếp tục.
        </p>
      )}
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      <Form method="post" className="card form-grid">
        <label>
          <span>Mật khẩu đang dùng</span>
          <input name="current" type="password" autoComplete="current-password" maxLength={512} required />
        </label>
        <label>
          <span>Mật khẩu mới ({MIN_PASSWORD_LENGTH}–{MAX_PASSWORD_LENGTH} ký tự; nên là một câu ngắn dễ nhớ)</span>
          <input name="next" type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} maxLength={MAX_PASSWORD_LENGTH} required />
        </label>
        <label>
          <span>Nhập lại mật khẩu mới</span>
          <input name="confirm" type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} maxLength={MAX_PASSWORD_LENGTH} required />
        </label>
        <div>
          <button type="submit" disabled={busy}>Đổi mật khẩu</button>
        </div>
      </Form>
      {totp && !mustChange && (
        <p>
          Xác thực hai lớp: {totp.enabled ? "đang bật" : "chưa bật"}. <Link to="/account/totp">Thiết lập mã xác thực trên điện thoại</Link>
        </p>
      )}
    </>
  );
}
