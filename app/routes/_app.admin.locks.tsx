// /admin/locks — the sign-in locks in force (an account from one address, an address, an
// account from anywhere) and a button to lift each. The same as `npx sskdt user unlock`.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime } from "~/domain/format";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { THROTTLE, type LockKind } from "~/domain/access-limits";
import { currentLocks, unlockAccount, unlockAddress } from "~/server/throttle.server";

export const meta: MetaFunction = () => pageTitle("Khóa đăng nhập");

const KIND_LABELS: Record<LockKind, string> = {
  account_from_address: "Tài khoản, từ một máy",
  address: "Một máy (mọi tài khoản)",
  account: "Tài khoản (từ mọi máy)",
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:users");
  const locks = await currentLocks(await getDb());
  return { locks: locks.map((l) => ({ ...l, kindLabel: KIND_LABELS[l.kind], until: formatDateTime(l.until) })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const db = await getDb();
  const form = await request.formData();
  const username = String(form.get("username") ?? "").slice(0, 64);
  const ip = String(form.get("ip") ?? "").slice(0, 64);
  if (!username && !ip) return data({ error: "Thiếu tài khoản hoặc địa chỉ cần mở khóa." }, { status: 400 });
  const cleared = username ? await unlockAccount(db, username) : await unlockAddress(db, ip);
  await audit(db, {
    action: "update", wardId: admin.wardId, userId: admin.id, username: admin.username, ip: clientIp(request),
    target: username ? `user:${username}` : `ip:${ip}`, detail: { unlock: true, cleared },
  });
  return { ok: username ? `Đã mở khóa đăng nhập cho ${username}.` : `Đã mở khóa đăng nhập cho máy ${ip}.` };
}

export default function Locks() {
  const { locks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Khóa đăng nhập" />
      <p className="muted">
        Đăng nhập sai {THROTTLE.accountFromAddress} lần từ một máy khóa tài khoản đó trên máy đó; {THROTTLE.address} lần sai từ một máy khóa máy đó;{" "}
        {THROTTLE.account} lần sai từ mọi máy khóa tài khoản. Khóa tự hết sau {THROTTLE.windowSeconds / 60} phút kể từ lần sai đầu tiên.
      </p>
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      {locks.length === 0 ? (
        <p>Không có khóa đăng nhập nào đang có hiệu lực.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr><th>Loại</th><th>Tài khoản</th><th>Địa chỉ máy</th><th>Số lần sai</th><th>Hết khóa lúc</th><th><span className="visually-hidden">Thao tác</span></th></tr>
            </thead>
            <tbody>
              {locks.map((l) => (
                <tr key={`${l.kind}|${l.username}|${l.ip}`}>
                  <td>{l.kindLabel}</td>
                  <td className="mono">{l.username ?? "—"}</td>
                  <td className="mono">{l.ip ?? "—"}</td>
                  <td>{l.failures}</td>
                  <td>{l.until}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      {l.username ? <input type="hidden" name="username" value={l.username} /> : <input type="hidden" name="ip" value={l.ip ?? "-"} />}
                      <button className="btn btn-secondary" disabled={busy}>Mở khóa</button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
