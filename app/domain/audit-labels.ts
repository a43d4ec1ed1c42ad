// How an audit entry reads to the ward's officials: the action, its object and its
// details in Vietnamese words ("Nhập dữ liệu · qua dòng lệnh · 1 tệp: 12 mới"), never
// the stored JSON keys. Pure: the viewer, its .xlsx export and the tests call it.
import { formatDateTime, formatNumber } from "./format";
import { parsePeriod, periodLabel } from "./periods";
import { ROLE_LABELS, isRole } from "./permissions";

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  login: "Đăng nhập",
  login_failed: "Đăng nhập thất bại",
  login_locked: "Đăng nhập khi đang tạm khóa",
  logout: "Đăng xuất",
  session_expired: "Hết phiên làm việc",
  view: "Xem",
  import: "Nhập dữ liệu",
  import_refused: "Từ chối tệp nhập",
  export: "Xuất tệp",
  download: "Tải xuống",
  approve: "Phê duyệt",
  review: "Thẩm định",
  submit: "Gửi báo cáo",
  create: "Tạo mới",
  update: "Cập nhật",
  delete: "Xóa",
  disable: "Khóa tài khoản",
  revoke: "Thu hồi",
  access_denied: "Bị từ chối truy cập",
  checkpoint: "Lưu trữ: xóa nhật ký cũ",
  backup: "Sao lưu cơ sở dữ liệu",
  restore: "Khôi phục cơ sở dữ liệu",
};

export const auditActionLabel = (action: string) => AUDIT_ACTION_LABELS[action] ?? action;

const TARGET_LABELS: Record<string, string> = {
  dashboard: "Tổng quan",
  worklist: "Hồ sơ cần xử lý",
  "worklist.xlsx": "Hồ sơ cần xử lý (tệp Excel)",
  records: "Danh sách hồ sơ",
  "api:metrics": "API chỉ số",
  settings: "Cấu hình",
  audit_log: "Nhật ký hệ thống",
  "audit.xlsx": "Nhật ký hệ thống (tệp Excel)",
  "block:all": "dữ liệu toàn phường",
};

const TARGET_PREFIXES: Array<[string, string]> = [
  ["user:", "tài khoản "],
  ["api_token:", "khóa API số "],
  ["import_batch:", "lô nhập số "],
  ["error_report:", "tệp lỗi của "],
  ["block:", "khối (mã "],
  ["records:", "hồ sơ: "],
];

export function describeAuditTarget(target: string | null): string {
  if (!target) return "";
  if (TARGET_LABELS[target]) return TARGET_LABELS[target];
  for (const [prefix, label] of TARGET_PREFIXES) {
    if (target.startsWith(prefix)) return `${label}${target.slice(prefix.length)}${prefix === "block:" ? ")" : ""}`;
  }
  return target;
}

const CHANNEL_LABELS: Record<string, string> = { upload: "tải lên trên web", cli: "qua dòng lệnh", api: "qua API" };
const LOGIN_FAILURES: Record<string, string> = {
  password: "sai mật khẩu",
  unknown_user: "tên đăng nhập không tồn tại",
  disabled: "tài khoản đã bị khóa",
};
const SOURCE_LABELS: Record<string, string> = {
  visits: "lượt khám", receipts: "kết quả gửi cổng giám định", displays: "xác nhận hiển thị VNeID",
  onboarding: "hỗ trợ cài đặt VNeID", population: "dân số", activities: "hoạt động truyền thông",
};
const FILE_STATUS: Record<string, string> = { refused: "bị từ chối", duplicate: "trùng tệp đã nhập", committed: "đã nhập", unchanged: "không đổi" };
const PERMISSION_WORDS: Record<string, string> = {
  view: "xem", import: "nhập", edit: "sửa", budget: "kinh phí", report: "báo cáo", admin: "quản trị",
  dashboard: "tổng quan", records: "hồ sơ", worklist: "hồ sơ cần xử lý", imports: "lịch sử nhập", audit: "nhật ký",
  visits: "lượt khám", receipts: "kết quả gửi", displays: "hiển thị VNeID", onboarding: "hỗ trợ VNeID",
  population: "dân số", activities: "hoạt động", propose: "lập dự toán", review: "thẩm định", approve: "phê duyệt",
  spend: "ghi chi", infrastructure: "hạ tầng", plan: "kế hoạch", draft: "soạn", submit: "gửi", export: "xuất",
  users: "tài khoản", settings: "cấu hình", tokens: "khóa API",
};

const permissionLabel = (p: unknown) =>
  String(p).split(":").map((w) => PERMISSION_WORDS[w] ?? w).join(" ");

function periodText(key: unknown): string {
  try {
    return periodLabel(parsePeriod(String(key)));
  } catch {
    return String(key);
  }
}

const count = (n: unknown, noun: string) => `${formatNumber(Number(n))} ${noun}`;

/** One phrase per known detail; an unknown key is shown as "key: value" rather than lost. */
export function describeAuditDetail(action: string, json: string | null): string {
  if (!json) return "";
  let detail: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return json;
    detail = value as Record<string, unknown>;
  } catch {
    return json;
  }
  const parts: string[] = [];
  const used = new Set<string>();
  const take = (key: string, phrase: (v: unknown) => string | null) => {
    used.add(key);
    const v = detail[key];
    if (v === null || v === undefined || v === "") return;
    const text = phrase(v);
    if (text) parts.push(text);
  };

  if (action === "checkpoint") {
    take("removed", (v) => `xóa ${count(v, "mục")} cũ hơn ${formatNumber(Number(detail.retentionDays))} ngày`);
    take("oldest", (v) => `ghi từ ${formatDateTime(Number(v))}`);
    take("newest", (v) => `đến ${formatDateTime(Number(v))}`);
    take("through", (v) => `đến mục số ${formatNumber(Number(v))}`);
    take("prunedTotal", (v) => `tổng đã xóa từ trước đến nay: ${formatNumber(Number(v))}`);
    for (const k of ["retentionDays", "anchor"]) used.add(k);
  }
  take("channel", (v) => CHANNEL_LABELS[String(v)] ?? String(v));
  take("api", (v) => (v === true ? "qua API" : null));
  take("tokenId", (v) => `khóa API số ${v}`);
  take("files", (v) => count(v, "tệp"));
  const tally = (["new", "updated", "unchanged", "invalid"] as const)
    .filter((k) => { used.add(k); return typeof detail[k] === "number"; })
    .map((k) => `${{ new: "mới", updated: "cập nhật", unchanged: "không đổi", invalid: "dòng lỗi" }[k]} ${formatNumber(detail[k] as number)}`);
  if (tally.length) parts.push(tally.join(", "));
  take("batches", (v) => {
    const [a, b] = Array.isArray(v) ? v : [v, v];
    return a === b ? `lô nhập số ${a}` : `lô nhập số ${a}–${b}`;
  });
  take("first", (v) =>
    Array.isArray(v)
      ? v.map((f: { name?: string; status?: string; reason?: string | null }) =>
          `tệp ${f.name ?? "?"}: ${FILE_STATUS[f.status ?? ""] ?? f.status ?? ""}${f.reason ? ` (${f.reason})` : ""}`).join("; ")
      : null);
  take("reason", (v) => (action === "login_failed" ? LOGIN_FAILURES[String(v)] ?? String(v) : `lý do: ${v}`));
  take("permission", (v) => `cần quyền ${Array.isArray(v) ? v.map(permissionLabel).join(" hoặc ") : permissionLabel(v)}`);
  take("ownBlock", (v) => `khối của tài khoản: mã ${v}`);
  take("role", (v) => `vai trò ${isRole(v) ? ROLE_LABELS[v] : String(v)}`);
  take("block", (v) => `Khối ${v}`);
  take("password", (v) => (v === "reset" ? "đặt lại mật khẩu" : "đổi mật khẩu"));
  take("name", (v) => `tên “${v}”`);
  take("prefix", (v) => `mã đầu ${v}`);
  take("facilityCode", (v) => `cơ sở ${v}`);
  take("source", (v) => `nguồn ${SOURCE_LABELS[String(v)] ?? v}`);
  take("period", (v) => `kỳ ${periodText(v)}`);
  take("asOf", (v) => `tính đến ${formatDateTime(Number(v))}`);
  take("facility", (v) => `cơ sở ${v}`);
  take("figure", (v) => `chỉ tiêu ${v}`);
  take("page", (v) => (Number(v) > 1 ? `trang ${v}` : null));
  take("rows", (v) => count(v, "dòng"));
  take("username", (v) => `người dùng ${v}`);
  take("action", (v) => `thao tác ${auditActionLabel(String(v))}`);
  take("repeated", (v) => `lặp lại thêm ${formatNumber(Number(v))} lần`);
  take("from", (v) => (typeof v === "number" ? `từ ${formatDateTime(v)}` : `từ ngày ${v}`));
  take("to", (v) => (typeof v === "number" ? `đến ${formatDateTime(v)}` : `đến ngày ${v}`));
  take("file", (v) => `tệp ${v}`);
  take("bytes", (v) => `${formatNumber(Math.round(Number(v) / 1024))} KB`);
  take("sha256", (v) => `SHA-256 ${String(v).slice(0, 16)}…`);
  for (const [k, v] of Object.entries(detail)) {
    if (used.has(k) || v === null || v === undefined) continue;
    parts.push(`${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(" · ");
}
