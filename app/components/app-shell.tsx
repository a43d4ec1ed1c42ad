// The frame of every signed-in page: the ward, who is signed in, the sections their
// role opens, and the sign-out button.
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";

export interface ShellData {
  ward: { name: string };
  user: { displayName: string; roleLabel: string; blockName: string | null };
  nav: Array<{ path: string; label: string }>;
}

/**
 * Gives every cell of a `table.data` the header of its column as `data-label`, so on a
 * phone each row reads as a card of "header: value" lines (app.css) on every page.
 */
export function labelTableCells(root: ParentNode) {
  for (const table of root.querySelectorAll("table.data")) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (headers[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headers[i]);
      });
    }
  }
}

export function AppShell({ ward, user, nav, children }: ShellData & { children: ReactNode }) {
  const location = useLocation();
  useEffect(() => {
    const main = document.querySelector("main");
    if (!main) return;
    labelTableCells(main);
    // Tables that appear later (an import's preview, an expanded row) get their labels too.
    const observer = new MutationObserver(() => labelTableCells(main));
    observer.observe(main, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [location.key]);
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
          <Link to="/help" className="help-top">Hướng dẫn</Link>
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
