// The guards every loader and action starts with. Each one throws: a redirect to the
// sign-in page when nobody is signed in, a 403 response when the role may not do it.
// Every denial is written to the audit log.
import { redirect } from "@remix-run/node";
import { getDb } from "./db.server";
import { audit } from "./audit.server";
import { clearSessionCookie, readSession, sessionIdOf } from "./session.server";
import { can, isBlockScoped, type Permission, type Role } from "../domain/permissions";

export interface CurrentUser {
  id: number;
  wardId: number;
  username: string;
  displayName: string;
  role: Role;
  blockId: number | null;
  /** A password someone else made (generated, reset): every page but the change-password one waits until it is changed. */
  mustChangePassword?: boolean;
}

/** The signed-in user, or null. An expired session is audited and forgotten. */
export async function currentUser(request: Request): Promise<CurrentUser | null> {
  const db = await getDb();
  const session = await readSession(db, request);
  if (session.kind === "expired") {
    const { user } = session;
    await audit(db, { action: "session_expired", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request) });
  }
  return session.kind === "active" ? session.user : null;
}

/** Where a user with a password to change is sent, and the pages they may still open. */
export const CHANGE_PASSWORD_PATH = "/account/password";
const OPEN_BEFORE_CHANGE = new Set([CHANGE_PASSWORD_PATH, "/logout"]);

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await currentUser(request);
  if (user?.mustChangePassword && !OPEN_BEFORE_CHANGE.has(new URL(request.url).pathname.replace(/\.data$/, ""))) {
    throw redirect(CHANGE_PASSWORD_PATH);
  }
  if (user) return user;
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
  // A cookie without a live session: it ran out, or was ended elsewhere.
  if (await sessionIdOf(request)) params.set("expired", "1");
  throw redirect(`/login?${params}`, { headers: { "Set-Cookie": await clearSessionCookie() } });
}

/** The signed-in user if their role has the permission (or any of a list); else an audited 403. */
export async function requirePermission(request: Request, permission: Permission | readonly Permission[]): Promise<CurrentUser> {
  return permitted(request, await requireUser(request), permission);
}

/** As requirePermission, for a loader that already holds the signed-in user. */
export async function permitted(request: Request, user: CurrentUser, permission: Permission | readonly Permission[]): Promise<CurrentUser> {
  const wanted = typeof permission === "string" ? [permission] : permission;
  if (wanted.some((p) => can(user.role, p))) return user;
  await audit(await getDb(), {
    action: "access_denied", wardId: user.wardId, userId: user.id, username: user.username,
    target: new URL(request.url).pathname, detail: { permission }, ip: clientIp(request),
  });
  throw forbidden();
}

/**
 * A block committee may touch its own block only; `blockId` null means ward-wide data,
 * which it may not see either. Other roles pass. Synchronous so that a forgotten
 * `await` cannot turn the refusal into an unhandled promise; the audit runs alongside.
 */
export function requireBlockScope(user: CurrentUser, blockId: number | null): void {
  if (!isBlockScoped(user.role) || (blockId !== null && user.blockId === blockId)) return;
  getDb()
    .then((db) => audit(db, {
      action: "access_denied", wardId: user.wardId, userId: user.id, username: user.username,
      target: blockId === null ? "block:all" : `block:${blockId}`, detail: { ownBlock: user.blockId },
    }))
    .catch((error) => console.error("audit of a block-scope denial failed:", error));
  throw forbidden();
}

export const forbidden = () => new Response("Bạn không có quyền truy cập trang này", { status: 403, statusText: "Forbidden" });

/**
 * The client's address as the front server saw it: scripts/serve.mjs overwrites this
 * header on every request with Express's `req.ip` (which honours a reverse proxy on the
 * same machine only), so a client cannot choose it.
 */
export const CLIENT_IP_HEADER = "x-sskdt-client-ip";

export function clientIp(request: Request): string | null {
  return request.headers.get(CLIENT_IP_HEADER) || null;
}
