import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { homeFor, safeRedirect } from "~/components/navigation";
import { pageTitle } from "~/components/page";
import { authenticator, LoginError } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { CHANGE_PASSWORD_PATH, clientIp, currentUser } from "~/server/guard.server";
import { endSession, sessionIdOf, startSession } from "~/server/session.server";
import { ensureWard } from "~/server/ward.server";

export const meta: MetaFunction = () => pageTitle("Đăng nhập");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await currentUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), user.role));
  const ward = await ensureWard(await getDb()); // also under `remix vite:dev`, where no bootstrap runs
  return { wardName: ward.name };
}

/** A sign-in form is a few hundred bytes: anything much larger is refused before it is parsed. */
const MAX_FORM_BYTES = 8 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) return data({ error: "Dữ liệu gửi lên quá lớn.", needCode: false }, { status: 413 });
  const form = await request.clone().formData();
  let user;
  try {
    user = await authenticator.authenticate("form", request);
  } catch (error) {
    if (error instanceof LoginError) return data({ error: error.message, needCode: error.needCode }, { status: error.status });
    throw error;
  }
  const db = await getDb();
  // A fresh session id at every sign-in: an id planted before sign-in is worthless.
  const previous = await sessionIdOf(request);
  if (previous) await endSession(db, previous);
  const cookie = await startSession(db, user.id, { ip: clientIp(request), userAgent: request.headers.get("user-agent") });
  const to = user.mustChangePassword ? CHANGE_PASSWORD_PATH
    : form.get("redirectTo") ? safeRedirect(form.get("redirectTo"), user.role) : homeFor(user.role);
  return redirect(to, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { wardName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const submitting = useNavigation().state !== "idle";
  const expired = params.get("expired") === "1" && !result;
  const signedOut = params.get("signedOut") === "1" && !result;
  return (
    <div className="login-page">
      <div className="login-card">
        <p className="org">UBND {wardName}</p>
        <p className="app-name">Hệ thống theo dõi thí điểm Sổ sức khỏe điện tử trên VNeID</p>
        <h1>Đăng nhập</h1>
        {expired && <p className="notice">Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.</p>}
        {signedOut && <p className="notice notice-ok" role="status">Bạn đã đăng xuất.</p>}
        {result?.error && <p className="notice notice-error" role="alert">{result.error}</p>}
        <Form method="post" replace>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <label>
            Tên đăng nhập
            <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} maxLength={64} required autoFocus />
          </label>
          <label>
            Mật khẩu
            <input name="password" type="password" autoComplete="current-password" maxLength={512} required />
          </label>
          {result?.needCode && (
            <label>
              Mã xác thực (6 chữ số)
              <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" maxLength={7} required autoFocus />
            </label>
          )}
          <button type="submit" disabled={submitting}>{submitting ? "Đang đăng nhập…" : "Đăng nhập"}</button>
        </Form>
      </div>
    </div>
  );
}
