// The sections of the app, who sees each in the menu, and where each role lands after
// signing in. Derived from the permissions table, so the menu never offers a page
// whose guard would refuse.
import { can, IMPORT_PERMISSIONS, type Permission, type Role } from "~/domain/permissions";

export interface NavItem {
  path: string;
  label: string;
  /** Shown when the role has at least one of these. */
  anyOf: readonly Permission[];
}


export const NAV_ITEMS: readonly NavItem[] = [
  { path: "/dashboard", label: "Tổng quan", anyOf: ["view:dashboard"] },
  { path: "/worklist", label: "Hồ sơ cần xử lý", anyOf: ["view:worklist"] },
  { path: "/import", label: "Nhập dữ liệu", anyOf: IMPORT_PERMISSIONS },
  { path: "/imports", label: "Lịch sử nhập", anyOf: ["view:imports"] },
  { path: "/entry/onboarding", label: "Ghi nhận hỗ trợ", anyOf: ["entry:onboarding"] },
  { path: "/activities", label: "Hoạt động", anyOf: ["edit:activities"] },
  { path: "/plan", label: "Kế hoạch", anyOf: ["view:plan"] },
  { path: "/urge", label: "Cần đôn đốc", anyOf: ["view:plan"] },
  { path: "/reporting", label: "Tình hình gửi số liệu", anyOf: ["view:reporting"] },
  { path: "/infrastructure", label: "Hạ tầng", anyOf: ["view:infrastructure", "edit:infrastructure"] },
  { path: "/targets", label: "Chỉ tiêu", anyOf: ["edit:targets"] },
  { path: "/budget", label: "Kinh phí", anyOf: ["view:budget"] },
  { path: "/reports", label: "Báo cáo", anyOf: ["report:export"] },
  { path: "/admin/users", label: "Tài khoản", anyOf: ["admin:users"] },
  { path: "/admin/locks", label: "Khóa đăng nhập", anyOf: ["admin:users"] },
  { path: "/admin/tokens", label: "Khóa API", anyOf: ["admin:tokens"] },
  { path: "/admin/catalog", label: "Danh mục", anyOf: ["admin:catalog"] },
  { path: "/admin/settings", label: "Cấu hình", anyOf: ["admin:settings"] },
  { path: "/audit", label: "Nhật ký", anyOf: ["view:audit"] },
];

export const navFor = (role: Role): NavItem[] => NAV_ITEMS.filter((item) => item.anyOf.some((p) => can(role, p)));

const HOME: Record<Role, string> = {
  lanh_dao: "/dashboard",
  tram_y_te: "/dashboard",
  cong_an: "/dashboard",
  van_hoa: "/dashboard",
  tai_chinh: "/budget",
  ban_can_su_khoi: "/dashboard",
  quan_tri: "/admin/users",
};

/** The page a role lands on after signing in. */
export const homeFor = (role: Role): string => HOME[role];

/**
 * Where to go after signing in: the requested page when it is a path on this site,
 * otherwise the role's home. Refuses "//host", "/\host" and anything with a scheme.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, role: Role): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return homeFor(role);
  if (/[\u0000-\u001f\\]/.test(to) || to.startsWith("/login") || to.startsWith("/logout")) return homeFor(role);
  return to;
}
