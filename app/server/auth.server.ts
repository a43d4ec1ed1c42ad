// Signing in: remix-auth's form strategy checks the username and password, with a
// lockout after repeated failures. The session itself is ours (session.server.ts).
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import type { DB } from "./db.server";
import { getDb } from "./db.server";
import { audit } from "./audit.server";
import { clientIp, type CurrentUser } from "./guard.server";
import { normalizeUsername, verifyAgainstNobody, verifyPassword } from "./users.server";
import type { Role } from "../domain/permissions";

export const LOCKOUT = { maxFailures: 5, windowSeconds: 15 * 60 };

/** A refusal to show on the sign-in page, in Vietnamese. */
export class LoginError extends Error {
  constructor(message: string, readonly status: 401 | 429) {
    super(message);
  }
}

const WRONG = "Tên đăng nhập hoặc mật khẩu không đúng.";

export interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
}

/**
 * Checks a sign-in. Five failures for one username within 15 minutes lock it: later
 * attempts are refused, even with the right password, until fewer than five failures
 * remain in the window. Refused attempts while locked do not count as failures, so the
 * lock does lift. A success clears the count.
 */
export async function attemptLogin(db: DB, input: LoginInput): Promise<CurrentUser> {
  const username = normalizeUsername(input.username);
  if (!username || !input.password) throw new LoginError("Nhập tên đăng nhập và mật khẩu.", 401);
  const t = Math.floor(Date.now() / 1000);
  const user = await db
    .selectFrom("app_user")
    .select(["id", "ward_id", "username", "display_name", "role", "block_id", "disabled", "password_hash"])
    .where("username", "=", username)
    .executeTakeFirst();
  const who = { wardId: user?.ward_id ?? null, userId: user?.id ?? null, username, ip: input.ip };

  const failures = await recentFailures(db, username, t);
  if (failures.length >= LOCKOUT.maxFailures) {
    await audit(db, { action: "login_locked", ...who });
    const unlockAt = failures[failures.length - LOCKOUT.maxFailures] + LOCKOUT.windowSeconds;
    const minutes = Math.max(1, Math.ceil((unlockAt - t) / 60));
    throw new LoginError(`Tài khoản tạm khóa do đăng nhập sai ${LOCKOUT.maxFailures} lần. Vui lòng thử lại sau ${minutes} phút.`, 429);
  }

  const ok = user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstNobody(input.password);
  await db.insertInto("login_attempt").values({ username, at: t, success: ok ? 1 : 0, ip: input.ip }).execute();
  // Only the lockout window matters here (the audit log keeps the history).
  await db.deleteFrom("login_attempt").where("username", "=", username).where("at", "<=", t - LOCKOUT.windowSeconds).execute();
  if (!ok || !user) {
    await audit(db, { action: "login_failed", ...who, detail: { reason: user ? "password" : "unknown_user" } });
    throw new LoginError(WRONG, 401);
  }
  if (user.disabled) {
    // Said plainly: whoever typed the right password is the account's owner.
    await audit(db, { action: "login_failed", ...who, detail: { reason: "disabled" } });
    throw new LoginError("Tài khoản đã bị khóa. Liên hệ quản trị hệ thống.", 401);
  }
  await db.updateTable("app_user").set({ last_login_at: t }).where("id", "=", user.id).execute();
  await audit(db, { action: "login", ...who });
  return { id: user.id, wardId: user.ward_id, username: user.username, displayName: user.display_name, role: user.role as Role, blockId: user.block_id };
}

/** Times of the failures since the last success within the lockout window, oldest first. */
async function recentFailures(db: DB, username: string, t: number): Promise<number[]> {
  const rows = await db
    .selectFrom("login_attempt")
    .select(["at", "success"])
    .where("username", "=", username)
    .where("at", ">", t - LOCKOUT.windowSeconds)
    .orderBy("id")
    .execute();
  const failures: number[] = [];
  for (const r of rows) r.success ? (failures.length = 0) : failures.push(r.at);
  return failures;
}

export const authenticator = new Authenticator<CurrentUser>().use(
  new FormStrategy(async ({ form, request }) =>
    attemptLogin(await getDb(), {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      ip: clientIp(request),
    }),
  ),
  "form",
);
