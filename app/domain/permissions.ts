// Roles (DOMAIN.md) and what each may do. Permissions are data: every server guard reads
// this one table, and the access-matrix test walks it.

export const ROLES = ["lanh_dao", "tram_y_te", "cong_an", "van_hoa", "tai_chinh", "ban_can_su_khoi", "quan_tri"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  lanh_dao: "Lãnh đạo UBND",
  tram_y_te: "Trạm Y tế",
  cong_an: "Công an phường",
  van_hoa: "Công chức Văn hóa - Xã hội",
  tai_chinh: "Công chức Tài chính - Kế toán",
  ban_can_su_khoi: "Ban cán sự khối",
  quan_tri: "Quản trị",
};

export const PERMISSIONS = [
  "view:dashboard", // the indicator figures (a block committee: its own block's only)
  "view:records", // the records behind a figure (facility, MA_LK, times; never an identifier)
  "view:worklist", // records to chase: not sent, rejected, overdue
  "import:visits", // visit XML / CSV, check-in files
  "import:receipts",
  "import:displays",
  "import:onboarding",
  "import:population",
  "import:activities",
  "import:facilities", // the ward's list of facilities (FORMATS.md §8)
  "view:imports", // import history
  "edit:activities",
  "budget:propose",
  "budget:review",
  "budget:approve",
  "budget:spend",
  "view:budget",
  "edit:infrastructure",
  "edit:plan",
  "report:draft", // prepare a report: create, write its texts, start a correction
  "report:review", // confirm a draft was checked, or send it back
  "report:submit",
  "report:export",
  "admin:users",
  "admin:settings",
  "admin:tokens",
  "view:audit",
  "admin:catalog", // Danh mục: facilities (add, rename, merge), blocks, eligible population
  "edit:targets", // targets: create, edit, delete
  "entry:onboarding", // the phone form: one resident helped (same validation as import:onboarding)
  "view:plan", // the plan's tasks, phases and Cần đôn đốc
  "plan:update", // the progress of the tasks of one's own unit
  "plan:manage", // add, edit, reassign any task
  "view:infrastructure",
  "view:reporting", // who has sent what: last import, months with no data
  "account:password", // change one's own password (everyone)
  "account:totp", // turn on a second factor (TOTP) for one's own account
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Every permission to import some kind of data: the upload page's, whatever the kind. */
export const IMPORT_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => p.startsWith("import:"));

/** What every signed-in user may do with their own account. */
const ownAccount: Permission[] = ["account:password"];

const everyImport: Permission[] = [
  "import:visits", "import:receipts", "import:displays", "import:onboarding", "import:population", "import:activities",
  "import:facilities",
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  lanh_dao: [
    "view:dashboard", "view:records", "view:worklist", "view:imports", "view:budget", "budget:approve",
    "report:draft", "report:review", "report:submit", "report:export", "view:audit", ...ownAccount, "account:totp",
    "edit:targets", "view:plan", "plan:manage", "view:infrastructure", "view:reporting",
  ],
  tram_y_te: [
    "view:dashboard", "view:records", "view:worklist", "import:visits", "import:receipts", "import:displays",
    "view:imports", "budget:propose", "view:budget", "edit:infrastructure", "report:draft", "report:export", ...ownAccount,
    "view:plan", "plan:update", "view:infrastructure", "view:reporting",
  ],
  cong_an: ["view:dashboard", "import:onboarding", "entry:onboarding", "view:imports", "report:export", ...ownAccount, "view:plan", "plan:update"],
  van_hoa: [
    "view:dashboard", "import:activities", "edit:activities", "view:imports", "edit:plan", "report:draft", "report:export", ...ownAccount,
    "view:plan", "plan:update",
  ],
  tai_chinh: [
    "view:dashboard", "view:budget", "budget:review", "budget:spend", "view:imports", "report:export", ...ownAccount, "view:plan", "plan:update",
  ],
  ban_can_su_khoi: [
    "view:dashboard", "import:onboarding", "entry:onboarding", "import:activities", "edit:activities", "view:imports", ...ownAccount,
    "view:plan", "plan:update",
  ],
  quan_tri: [
    "view:dashboard", "view:records", "view:worklist", ...everyImport, "view:imports", "edit:activities",
    "edit:plan", "view:budget", "admin:users", "admin:settings", "admin:tokens", "view:audit", ...ownAccount, "account:totp",
    "admin:catalog", "edit:targets", "view:plan", "plan:manage", "view:infrastructure", "view:reporting",
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

/** Roles whose data is limited to one block. */
export const isBlockScoped = (role: Role) => role === "ban_can_su_khoi";

/**
 * The parts of the indicator figures a role may read, beyond its own block's onboarding
 * (I4) and activities (I5): the visit figures (I1–I3) unless block-scoped, the budget (I6)
 * with view:budget. The dashboard and GET /api/v1/metrics both show exactly these.
 */
export const visibleFigures = (role: Role) => ({ visits: !isBlockScoped(role), budget: !isBlockScoped(role) && can(role, "view:budget") });

export const isRole = (value: unknown): value is Role => typeof value === "string" && (ROLES as readonly string[]).includes(value);
