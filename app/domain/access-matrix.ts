// Who may do what on every route and API endpoint: one declarative table, keyed by the
// route file under app/routes. tests/http/access-matrix.test.ts discovers the route
// files on disk, starts the real server and requests every probe below as anonymous,
// as every role (a block committee bound to its block) and, on the API, as a token of
// every scope, and checks each status against what this table says. A route file with
// no entry here fails that test by name: adding a route means adding its line.
//
// An access rule says who passes the guard; the test derives every caller's status:
// - a permission (or a list, any of which will do): anonymous and tokens are sent to
//   sign in (302 /login); a role holding it gets `ok` (200 unless stated); others 403;
// - "signed-in": every role gets `ok`; "public": everybody does;
// - "none": the module has no loader/action for this method, so everybody gets 405;
// - an object of outcomes by caller, "roles" (every role), "tokens" (every token) and
//   "others" (everyone not named) — for the API and the special pages.
import type { Permission, Role } from "./permissions";

/**
 * An API token's scope: one source (it pushes that source), one facility's
 * (FACILITY_TOKEN_CODE, pushes that facility's data), or "read" (reads the indicators only).
 */
export const TOKEN_KINDS = ["visits", "receipts", "displays", "onboarding", "population", "activities", "facility", "read"] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export const FACILITY_TOKEN_CODE = "38120";

export type Caller = "anonymous" | Role | `token:${TokenKind}`;

/** A status code; "login": 302 to /login; "redirect": 302 somewhere else. */
export type Outcome = number | "login" | "redirect";

export type Access =
  | Permission
  | readonly Permission[]
  | "public"
  | "signed-in"
  | "none"
  | Partial<Record<Caller | "roles" | "tokens" | "others", Outcome>>;

export interface Probe {
  /** The path requested; {own-batch} / {other-batch}: an import batch of the block committee's block / of the health station. */
  path: string;
  get: Access;
  post: Access;
  /** What a caller who passes the guard gets, when not 200 (an empty form is usually refused as invalid). */
  ok?: { get?: Outcome; post?: Outcome };
}

/** A pathless layout: its guard is exercised through its child routes. */
export const LAYOUT = "layout" as const;

const cookieOnly = { anonymous: 401, roles: 401 } as const; // the API takes a bearer token, never a cookie
/** No action: 405 to a role; a page whose shell then needs a session sends anyone else to sign in. */
const noActionBehindSignIn = { roles: 405, others: "login" } as const;
const pushes = (scope: TokenKind, alsoFacility: boolean): Access => ({
  ...cookieOnly, tokens: 403, [`token:${scope}`]: 422, ...(alsoFacility ? { "token:facility": 422 } : {}),
});

export const ACCESS_MATRIX: Record<string, Probe | Probe[] | typeof LAYOUT> = {
  "_app.tsx": LAYOUT,
  "_index.tsx": { path: "/", get: { anonymous: "login", roles: "redirect", tokens: "login" }, post: "none" },
  // An empty sign-in form is refused (401); a signed-in user is sent on to their home page.
  "login.tsx": { path: "/login", get: { roles: "redirect", others: 200 }, post: { roles: "redirect", others: 401 } },
  "logout.tsx": { path: "/logout", get: { others: "redirect" }, post: { others: "login" } },
  "_app.dashboard.tsx": { path: "/dashboard", get: "view:dashboard", post: noActionBehindSignIn },
  "_app.records.tsx": { path: "/records?figure=i2.sent", get: "view:records", post: noActionBehindSignIn },
  "_app.records[.]xlsx.ts": { path: "/records.xlsx?figure=i2.sent", get: "view:records", post: "none" },
  // No action and no boundary of its own: the shell's boundary answers 405 before any guard, to everybody.
  "_app.help.tsx": { path: "/help", get: "signed-in", post: "none" },
  "_app.worklist.tsx": { path: "/worklist", get: "view:worklist", post: noActionBehindSignIn },
  "_app.worklist[.]xlsx.ts": { path: "/worklist.xlsx", get: "view:worklist", post: "none" },
  // Budget (issue #10): an empty form is refused (400); an estimate that does not exist is 404.
  "_app.budget._index.tsx": { path: "/budget", get: "view:budget", post: "budget:propose", ok: { post: 400 } },
  "_app.budget.$id.tsx": {
    path: "/budget/999999", get: "view:budget", post: ["budget:propose", "budget:review", "budget:approve"], ok: { get: 404, post: 400 },
  },
  "_app.budget.$id.template[.]xlsx.ts": { path: "/budget/999999/template.xlsx", get: "budget:propose", post: "none", ok: { get: 404 } },
  "_app.budget.$id.r3[.]xlsx.ts": { path: "/budget/999999/r3.xlsx", get: "view:budget", post: "none", ok: { get: 404 } },
  "_app.budget.r3[.]xlsx.ts": { path: "/budget/r3.xlsx?year=2099", get: "view:budget", post: "none", ok: { get: 404 } },
  "_app.budget.spending.tsx": { path: "/budget/spending", get: "view:budget", post: "budget:spend", ok: { post: 400 } },
  "_app.reports.tsx": { path: "/reports", get: "report:export", post: "report:draft", ok: { post: 400 } },
  "_app.reports_.$id.tsx": { path: "/reports/999999", get: "report:export", post: ["report:draft", "report:review", "report:submit"], ok: { get: 404, post: 400 } }, // an empty form is refused before the report is looked up
  "_app.reports_.$id_.xlsx.ts": { path: "/reports/999999/xlsx", get: "report:export", post: "none", ok: { get: 404 } },
  // The vice chair's due-this-week panel: any signed-in role gets 200 (an empty answer unless it may submit).
  "_app.reports_.due.ts": { path: "/reports/due", get: "signed-in", post: "none" },
  "_app.import.tsx": {
    path: "/import",
    get: ["import:visits", "import:receipts", "import:displays", "import:onboarding", "import:population", "import:activities"],
    post: "none",
  },
  "_app.import.upload.ts": {
    path: "/import/upload?intent=cancel&preview=none",
    get: { others: 400 }, // a resource route without a loader
    post: ["import:visits", "import:receipts", "import:displays", "import:onboarding", "import:population", "import:activities"],
    ok: { post: 404 },
  },
  // The error report of an upload's file, only to its uploader (another's preview is not found).
  "_app.import.report.ts": {
    path: "/import/report?preview=none&file=loi-0001.xlsx",
    get: ["import:visits", "import:receipts", "import:displays", "import:onboarding", "import:population", "import:activities"],
    post: "none",
    ok: { get: 404 },
  },
  "_app.imports.tsx": { path: "/imports", get: "view:imports", post: "none" },
  "_app.imports.$id.errors.tsx": [
    { path: "/imports/{own-batch}/errors", get: "view:imports", post: "none" },
    // Block scope: another block's import is not there for a block committee.
    { path: "/imports/{other-batch}/errors", get: { anonymous: "login", tokens: "login", roles: 403, lanh_dao: 200, tram_y_te: 200, cong_an: 200, van_hoa: 200, tai_chinh: 200, quan_tri: 200, ban_can_su_khoi: 404 }, post: "none" },
  ],
  "import-templates.$kind.tsx": [
    { path: "/import-templates/visits", get: "import:visits", post: "none" },
    { path: "/import-templates/onboarding", get: "import:onboarding", post: "none" },
  ],
  "_app.audit.tsx": { path: "/audit?action=login&from=2026-01-01", get: "view:audit", post: "none" },
  "_app.audit[.]xlsx.ts": { path: "/audit.xlsx", get: "view:audit", post: "none" },
  "_app.admin.users.tsx": { path: "/admin/users", get: "admin:users", post: "admin:users", ok: { post: 400 } },
  // Running the pilot (issue 11). An empty form is refused as invalid (400).
  "_app.admin.catalog.tsx": { path: "/admin/catalog", get: "admin:catalog", post: "admin:catalog", ok: { post: 400 } },
  "_app.targets.tsx": { path: "/targets", get: "edit:targets", post: "edit:targets", ok: { post: 400 } },
  "_app.entry.onboarding.tsx": { path: "/entry/onboarding", get: "entry:onboarding", post: "entry:onboarding", ok: { post: 400 } },
  "_app.activities.tsx": { path: "/activities", get: "edit:activities", post: "edit:activities", ok: { post: 400 } },
  "_app.plan.tsx": { path: "/plan", get: "view:plan", post: ["plan:update", "plan:manage"], ok: { post: 400 } },
  "_app.urge.tsx": { path: "/urge", get: "view:plan", post: "none" },
  "_app.reporting.tsx": { path: "/reporting", get: "view:reporting", post: "none" },
  "_app.infrastructure.tsx": { path: "/infrastructure", get: ["view:infrastructure", "edit:infrastructure"], post: "edit:infrastructure", ok: { post: 400 } },
  "_app.admin.settings.tsx": { path: "/admin/settings", get: "admin:settings", post: "admin:settings", ok: { post: 400 } },
  "_app.admin.locks.tsx": { path: "/admin/locks", get: "admin:users", post: "admin:users", ok: { post: 400 } },
  "_app.account.password.tsx": { path: "/account/password", get: "account:password", post: "account:password", ok: { post: 400 } },
  "_app.account.totp.tsx": { path: "/account/totp", get: "account:totp", post: "account:totp", ok: { post: 400 } },
  "_app.admin.tokens.tsx": { path: "/admin/tokens", get: "admin:tokens", post: "admin:tokens", ok: { post: 400 } },
  // Push tokens never read (a push-only token once read the whole budget); a read token does.
  "api.v1.metrics.ts": { path: "/api/v1/metrics?period=2026-Q1", get: { anonymous: 401, roles: 200, tokens: 403, "token:read": 200 }, post: "none" },
  "api.v1.$source.ts": [
    { path: "/api/v1/visits", get: { others: 405 }, post: pushes("visits", true) },
    { path: "/api/v1/receipts", get: { others: 405 }, post: pushes("receipts", true) },
    { path: "/api/v1/onboarding", get: { others: 405 }, post: pushes("onboarding", false) },
    { path: "/api/v1/activities", get: { others: 405 }, post: pushes("activities", false) },
    { path: "/api/v1/nothing", get: { others: 405 }, post: { others: 404 } },
  ],
};

const isRoleCaller = (c: Caller): c is Role => c !== "anonymous" && !c.startsWith("token:");

/** The outcome the table promises `caller` for one method of a probe. */
export function expectedOutcome(access: Access, caller: Caller, ok: Outcome, can: (role: Role, p: Permission) => boolean): Outcome {
  if (access === "none") return 405;
  if (access === "public") return ok;
  if (typeof access === "object" && !Array.isArray(access)) {
    const table = access as Partial<Record<string, Outcome>>;
    const group = caller === "anonymous" ? undefined : isRoleCaller(caller) ? "roles" : "tokens";
    const found = table[caller] ?? (group ? table[group] : undefined) ?? table.others;
    if (found === undefined) throw new Error(`the access rule names no outcome for ${caller}`);
    return found;
  }
  if (!isRoleCaller(caller)) return "login";
  if (access === "signed-in") return ok;
  const wanted = typeof access === "string" ? [access as Permission] : (access as readonly Permission[]);
  return wanted.some((p) => can(caller, p)) ? ok : 403;
}
