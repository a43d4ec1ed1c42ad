// Signing in: remix-auth's form strategy checks the username, the password and, for an
// account that has it, the TOTP code, behind the throttle of throttle.server.ts. The
// session itself is ours (session.server.ts).
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import type { DB } from "./db.server";
import { getDb } from "./db.server";
import { audit, auditRepeated } from "./audit.server";
import { clientIp, type CurrentUser } from "./guard.server";
import { reserveAttempt } from "./throttle.server";
import { acceptTotpCode } from "./totp.server";
import { normalizeUsername, verifyAgainstNobody, verifyPassword } from "./users.server";
import { MAX_PASSWORD_LENGTH } from "../domain/passwords";
import type { Role } from "../domain/permissions";

/** Longer than any username (32) or password (128) can be: refused before any work, and never stored whole. */
const MAX_USERNAME_FIELD = 64;

/** A refusal to show on the sign-in page, in Vietnamese. `needCode`: the password was right, the TOTP code is asked for. */
export class LoginError extends Error {
  constructor(message: string, readonly status: 401 | 429, readonly needCode = false) {
    super(message);
  }
}

const WRONG = "Tên đăng nhập hoặc mật khẩu không đúng.";

export interface LoginInput {
  username: string;
  password: string;
  /** The TOTP code, when the account has a second factor. */
  code?: string;
  ip: string | null;
}

/**
 * Checks a sign-in. Every attempt first reserves a failure on the throttle's counters
 * (atomically, before the password is checked); over a limit, it is refused without
 * looking at the password. A success gives the reservation back. Failures are audited,
 * repeated ones from one address in aggregate.
 */
export async function attemptLogin(db: DB, input: LoginInput): Promise<CurrentUser> {
  const username = normalizeUsername(input.username.slice(0, MAX_USERNAME_FIELD + 1));
  if (!username || !input.password) throw new LoginError("Nhập tên đăng nhập và mật khẩu.", 401);
  const tooLong = username.length > MAX_USERNAME_FIELD || input.password.length > MAX_PASSWORD_LENGTH * 4;
  const shownName = username.slice(0, MAX_USERNAME_FIELD);
  const t = Math.floor(Date.now() / 1000);
  const reservation = await reserveAttempt(db, shownName, input.ip, t);
  const user = await db
    .selectFrom("app_user")
    .select(["id", "ward_id", "username", "display_name", "role", "block_id", "disabled", "password_hash", "must_change_password", "totp_secret"])
    .where("username", "=", shownName)
    .executeTakeFirst();
  const who = { wardId: user?.ward_id ?? null, userId: user?.id ?? null, username: shownName, ip: input.ip };
  const failed = (reason: string) => auditRepeated(db, { action: "login_failed", ...who, detail: { reason } }, `login_failed|${input.ip ?? ""}|${shownName}`);

  if (reservation.locked) {
    const { kind, max, retryAfter } = reservation.locked;
    await auditRepeated(db, { action: "login_locked", ...who, detail: { lock: kind } }, `login_locked|${input.ip ?? ""}`);
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    const message =
      kind === "address" ? `Có quá nhiều lần đăng nhập sai từ máy này. Vui lòng thử lại sau ${minutes} phút.`
      : kind === "account" ? `Tài khoản tạm khóa do có quá nhiều lần đăng nhập sai. Vui lòng thử lại sau ${minutes} phút hoặc liên hệ quản trị hệ thống để mở khóa.`
      : `Tài khoản tạm khóa do đăng nhập sai ${max} lần. Vui lòng thử lại sau ${minutes} phút.`;
    throw new LoginError(message, 429);
  }

  const ok = !tooLong && (user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstNobody(input.password));
  if (!ok || !user) {
    await failed(tooLong ? "too_long" : user ? "password" : "unknown_user");
    throw new LoginError(WRONG, 401);
  }
  if (user.disabled) {
    // Said plainly: whoever typed the right password is the account's owner.
    await failed("disabled");
    throw new LoginError("Tài khoản đã bị khóa. Liên hệ quản trị hệ thống.", 401);
  }
  if (user.totp_secret) {
    const code = input.code?.trim() ?? "";
    if (!code) {
      // The password was right: asking for the code is no failure.
      await reservation.release("not_a_failure");
      throw new LoginError("Nhập mã xác thực 6 chữ số từ ứng dụng xác thực trên điện thoại.", 401, true);
    }
    if (!(await acceptTotpCode(db, { id: user.id, totp_secret: user.totp_secret }, code))) {
      await failed("totp");
      throw new LoginError("Mã xác thực không đúng hoặc đã dùng. Nhập mã mới trên ứng dụng.", 401, true);
    }
  }
  await reservation.release("success");
  await db.updateTable("app_user").set({ last_login_at: t }).where("id", "=", user.id).execute();
  await audit(db, { action: "login", ...who });
  return {
    id: user.id, wardId: user.ward_id, username: user.username, displayName: user.display_name, role: user.role as Role, blockId: user.block_id,
    mustChangePassword: user.must_change_password === 1,
  };
}

export const authenticator = new Authenticator<CurrentUser>().use(
  new FormStrategy(async ({ form, request }) =>
    attemptLogin(await getDb(), {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      code: form.get("code") === null ? undefined : String(form.get("code")),
      ip: clientIp(request),
    }),
  ),
  "form",
);
