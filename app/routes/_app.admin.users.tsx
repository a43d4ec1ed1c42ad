// Accounts: the list, adding one, disabling one, setting a new password. A password
// made here is shown once, to hand over; it is never stored in clear.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime } from "~/domain/format";
import { isBlockScoped, ROLE_LABELS, ROLES, type Role } from "~/domain/permissions";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { createUser, disableUser, generatePassword, listUsers, resetPassword, UserError } from "~/server/users.server";
import { listBlocks } from "~/server/ward.server";

export const meta: MetaFunction = () => pageTitle("Tài khoản");

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const db = await getDb();
  const [users, blocks] = await Promise.all([listUsers(db, admin.wardId), listBlocks(db, admin.wardId)]);
  return {
    me: admin.username,
    users: users.map((u) => ({
      username: u.username, displayName: u.displayName, role: ROLE_LABELS[u.role], blockName: u.blockName,
      disabled: u.disabled, lastLogin: u.lastLoginAt ? formatDateTime(u.lastLoginAt) : null,
    })),
    blocks: blocks.map((b) => ({ number: b.number, name: b.name })),
  };
}

const addForm = z.object({
  username: z.string().trim().min(1, "Thiếu tên đăng nhập."),
  displayName: z.string().trim().min(1, "Thiếu họ tên."),
  role: z.enum(ROLES),
  block: z.string().optional(),
  password: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:users");
  const db = await getDb();
  const form = Object.fromEntries(await request.formData());
  const actor = { userId: admin.id, username: admin.username, ip: clientIp(request) };
  try {
    switch (form.intent) {
      case "add": {
        const parsed = addForm.safeParse(form);
        if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 });
        const { username, displayName, role, block } = parsed.data;
        const password = parsed.data.password || generatePassword();
        const blockNumber = isBlockScoped(role) && block ? Number(block) : null;
        const mustChangePassword = !parsed.data.password; // a generated password is changed at the first sign-in
        const user = await createUser(db, { username, displayName, role, blockNumber, password, wardId: admin.wardId, mustChangePassword }, actor);
        return { ok: `Đã tạo tài khoản ${user.username}.`, password: parsed.data.password ? null : password };
      }
      case "disable": {
        const username = String(form.username);
        if (username === admin.username) return data({ error: "Không thể tự khóa tài khoản đang dùng." }, { status: 400 });
        await disableUser(db, username, actor);
        return { ok: `Đã khóa tài khoản ${username}.`, password: null };
      }
      case "reset": {
        const password = generatePassword();
        await resetPassword(db, String(form.username), password, actor, { mustChange: true });
        return { ok: `Đã đặt mật khẩu mới cho ${String(form.username)}.`, password };
      }
      default:
        return data({ error: "Thao tác không hợp lệ." }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof UserError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function Users() {
  const { me, users, blocks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [role, setRole] = useState<Role>("tram_y_te");
  return (
    <>
      <PageHeader title="Tài khoản" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && (
        <p className="notice notice-ok" role="status">
          {result.ok}
          {result.password && <> Mật khẩu (chỉ hiện một lần, hãy chuyển cho người dùng): <code>{result.password}</code></>}
        </p>
      )}
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Tên đăng nhập</th>
              <th>Họ tên</th>
              <th>Vai trò</th>
              <th>Trạng thái</th>
              <th>Đăng nhập gần nhất</th>
              <th><span className="visually-hidden">Thao tác</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.username}>
                <td className="mono">{u.username}</td>
                <td>{u.displayName}</td>
                <td>{[u.role, u.blockName].filter(Boolean).join(" · ")}</td>
                <td>{u.disabled ? <span className="badge badge-off">Đã khóa</span> : <span className="badge badge-ok">Hoạt động</span>}</td>
                <td>{u.lastLogin ?? <span className="muted">Chưa đăng nhập</span>}</td>
                <td>
                  {!u.disabled && (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="username" value={u.username} />
                      <button name="intent" value="reset" className="btn btn-secondary" disabled={busy}>Đặt lại mật khẩu</button>{" "}
                      {u.username !== me && <button name="intent" value="disable" className="btn btn-danger" disabled={busy}>Khóa</button>}
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Thêm tài khoản</h2>
      <Form method="post" className="card form-grid">
        <label>
          <span>Tên đăng nhập</span>
          <input name="username" required pattern="[a-z0-9][a-z0-9._\-]{1,31}" autoCapitalize="none" />
        </label>
        <label>
          <span>Họ tên</span>
          <input name="displayName" required />
        </label>
        <label>
          <span>Vai trò</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        </label>
        {isBlockScoped(role) && (
          <label>
            <span>Khối</span>
            <select name="block" required>
              {blocks.map((b) => <option key={b.number} value={b.number}>{b.name}</option>)}
            </select>
          </label>
        )}
        <label>
          <span>Mật khẩu (để trống: tạo ngẫu nhiên)</span>
          <input name="password" type="password" minLength={8} autoComplete="new-password" />
        </label>
        <div>
          <button type="submit" name="intent" value="add" disabled={busy}>Thêm tài khoản</button>
        </div>
      </Form>
    </>
  );
}
