import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, currentUser } from "~/server/guard.server";
import { clearSessionCookie, endSession, sessionIdOf } from "~/server/session.server";

/** Sign-out is a POST (the header's button), so no link or image can sign anyone out. */
export async function action({ request }: ActionFunctionArgs) {
  const db = await getDb();
  const user = await currentUser(request);
  const id = await sessionIdOf(request);
  if (id) await endSession(db, id);
  if (user) await audit(db, { action: "logout", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request) });
  return redirect("/login?signedOut=1", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export const loader = () => redirect("/");
