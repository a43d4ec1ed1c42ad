// Server-side sessions: the browser holds only a random id in a signed, httpOnly,
// SameSite=Lax cookie; the `session` row, keyed by the id's SHA-256 (so a copy of the
// database or a backup opens no session), says whose it is and when it was last used.
// A session ends after SSKDT_SESSION_IDLE_SECONDS without a request (sliding), after
// ABSOLUTE_LIFETIME_SECONDS in any case, at sign-out, or when its user is disabled.
import { createCookie, type Cookie } from "@remix-run/node";
import { tryWriteNow, type DB } from "./db.server";
import { env } from "./env.server";
import { randomToken, sessionCookieSecret, sha256Hex } from "./crypto.server";
import type { CurrentUser } from "./guard.server";
import type { Role } from "../domain/permissions";

export const ABSOLUTE_LIFETIME_SECONDS = 12 * 3600; // a working day, then sign in again

let cookie: Cookie | undefined;

export function sessionCookie(): Cookie {
  return (cookie ??= createCookie("sskdt_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    path: "/",
    secrets: [sessionCookieSecret()],
  }));
}

const now = () => Math.floor(Date.now() / 1000);

/** What the `session` table stores of a cookie's id. */
export const storedSessionId = (id: string) => sha256Hex(id);
const storedId = storedSessionId;

/** Opens a session for a user who just proved who they are; returns the Set-Cookie value. */
export async function startSession(db: DB, userId: number, meta: { ip: string | null; userAgent: string | null }): Promise<string> {
  const id = randomToken(32);
  const t = now();
  await db
    .insertInto("session")
    .values({ id: storedId(id), user_id: userId, created_at: t, last_seen_at: t, expires_at: t + ABSOLUTE_LIFETIME_SECONDS, ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null })
    .execute();
  // Sessions that ran out without a sign-out are cleared here rather than by a timer.
  await db.deleteFrom("session").where((eb) => eb.or([eb("last_seen_at", "<", t - idleSeconds()), eb("expires_at", "<=", t)])).execute();
  return sessionCookie().serialize(id);
}

export type SessionState =
  | { kind: "none" }
  | { kind: "expired"; user: CurrentUser }
  | { kind: "active"; id: string; user: CurrentUser };

export async function sessionIdOf(request: Request): Promise<string | null> {
  const id = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof id === "string" && id ? id : null;
}

/** Reads the request's session, sliding its idle timer; an expired one is deleted. */
export async function readSession(db: DB, request: Request): Promise<SessionState> {
  const id = await sessionIdOf(request);
  if (!id) return { kind: "none" };
  const row = await db
    .selectFrom("session")
    .innerJoin("app_user", "app_user.id", "session.user_id")
    .select([
      "session.last_seen_at", "session.expires_at", "app_user.id", "app_user.ward_id", "app_user.username",
      "app_user.display_name", "app_user.role", "app_user.block_id", "app_user.disabled", "app_user.must_change_password",
    ])
    .where("session.id", "=", storedId(id))
    .executeTakeFirst();
  if (!row) return { kind: "none" };
  if (row.disabled) {
    await endSession(db, id);
    return { kind: "none" };
  }
  const user: CurrentUser = {
    id: row.id, wardId: row.ward_id, username: row.username, displayName: row.display_name, role: row.role as Role, blockId: row.block_id,
    mustChangePassword: row.must_change_password === 1,
  };
  const t = now();
  if (t - row.last_seen_at > idleSeconds() || t >= row.expires_at) {
    // Loaders run in parallel: only the one that deletes the row reports the expiry.
    return (await endSession(db, id)) ? { kind: "expired", user } : { kind: "none" };
  }
  // Writing on every request is wasteful; a quarter of the idle time (at most a minute) is precise enough.
  if (t - row.last_seen_at >= Math.min(60, Math.floor(idleSeconds() / 4))) {
    // Not worth a wait while another process holds the write lock: the next request slides it.
    await tryWriteNow(db, async (trx) => void (await trx.updateTable("session").set({ last_seen_at: t }).where("id", "=", storedId(id)).execute()));
  }
  return { kind: "active", id, user };
}

/** Deletes the session; false when it was already gone. */
export async function endSession(db: DB, id: string): Promise<boolean> {
  const { numDeletedRows } = await db.deleteFrom("session").where("id", "=", storedId(id)).executeTakeFirst();
  return numDeletedRows > 0n;
}

export const clearSessionCookie = () => sessionCookie().serialize("", { maxAge: 0 });

const idleSeconds = () => env().SSKDT_SESSION_IDLE_SECONDS;
