// The frame of every signed-in page: the ward, who is signed in, the sections their
// role opens, and the sign-out button.
import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";

export interface ShellData {
  ward: { name: string };
  user: { displayName: string; roleLabel: string; blockName: string | null };
  nav: Array<{ path: string; label: string }>;
}

export function AppShell({ ward, user, nav, children }: ShellData & { children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <div className="brand">
          <Link to="/">Sổ sức khỏe điện tử — Thí điểm</Link>
          <span className="ward">UBND {ward.name}</span>
        </div>
        <div className="who">
          <div>
            <span className="name">{user.displayName}</span>
            <span className="role">
              {user.roleLabel}
              {user.blockName ? ` · ${user.blockName}` : ""}
            </span>
          </div>
          <Link to="/account/password" className="account-link">Đổi mật khẩu</Link>
          <Form method="post" action="/logout">
            <button type="submit">Đăng xuất</button>
          </Form>
        </div>
      </header>
      <nav className="mainnav" aria-label="Chức năng">
        <ul>
          {nav.map((item) => (
            <li key={item.path}>
              <NavLink to={item.path} prefetch="intent">{item.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main>{children}</main>
      <footer className="site-footer">Dữ liệu cá nhân được bảo vệ theo Nghị định 13/2023/NĐ-CP. Mọi thao tác đều được ghi nhật ký.</footer>
    </>
  );
}
