// Official reports (REPORTS.md): their kinds, the lifecycle draft → reviewed → submitted,
// and the calendar of what is due when. Pure functions; the server and the pages call them.
import type { Permission } from "./permissions";
import { parsePeriod, type Period, type PeriodKind } from "./periods";
import { localDayOf, makeDay, splitDay, startOfLocalDay } from "./time";

export const REPORT_KINDS = ["R1", "R2", "R4"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  R1: "Báo cáo kết quả triển khai thí điểm Sổ sức khỏe điện tử",
  R2: "Báo cáo 6 tháng tình hình tiếp nhận, liên thông dữ liệu khám bệnh, chữa bệnh",
  R4: "Danh sách hồ sơ cần xử lý",
};

export const REPORT_KIND_SHORT: Record<ReportKind, string> = {
  R1: "Kết quả thí điểm (R1)",
  R2: "Bảng 6 tháng cơ sở KCB (R2)",
  R4: "Danh sách hồ sơ cần xử lý (R4)",
};

/** The period forms each kind is made for. R4 is on demand, not on the calendar. */
export const REPORT_PERIOD_KINDS: Record<ReportKind, readonly PeriodKind[]> = {
  R1: ["month", "quarter", "half", "year"],
  R2: ["half"],
  R4: ["month", "quarter", "half", "year", "week", "day"],
};

export const isReportKind = (v: unknown): v is ReportKind => typeof v === "string" && (REPORT_KINDS as readonly string[]).includes(v);

export class ReportPeriodError extends Error {}

/** The period of a report of this kind; a Vietnamese error when the form does not fit. */
export function reportPeriod(kind: ReportKind, key: string): Period {
  let p: Period;
  try {
    p = parsePeriod(key);
  } catch {
    throw new ReportPeriodError(`Kỳ báo cáo không hợp lệ: "${key}".`);
  }
  if (!REPORT_PERIOD_KINDS[kind].includes(p.kind)) {
    const allowed = kind === "R2" ? "6 tháng (ví dụ 2026-H1)" : "tháng, quý, 6 tháng hoặc năm";
    throw new ReportPeriodError(`${REPORT_KIND_SHORT[kind]} lập theo kỳ ${allowed}, không theo "${key}".`);
  }
  return p;
}

// ---- Lifecycle ---------------------------------------------------------------------

export type ReportStatus = "draft" | "reviewed" | "submitted";

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  draft: "Bản nháp",
  reviewed: "Đã rà soát",
  submitted: "Đã gửi",
};

export type ReportAction = "edit" | "review" | "reopen" | "submit" | "correct";

/** What each step needs: the status it starts from and the permission. */
export const REPORT_TRANSITIONS: Record<ReportAction, { from: ReportStatus; permission: Permission; to: ReportStatus | null; label: string }> = {
  edit: { from: "draft", permission: "report:draft", to: null, label: "Lưu nội dung" },
  review: { from: "draft", permission: "report:review", to: "reviewed", label: "Xác nhận đã rà soát" },
  reopen: { from: "reviewed", permission: "report:review", to: "draft", label: "Trả lại để sửa" },
  submit: { from: "reviewed", permission: "report:submit", to: "submitted", label: "Ký, gửi báo cáo" },
  correct: { from: "submitted", permission: "report:draft", to: null, label: "Lập bản đính chính" },
};

/** Why a step is refused, in Vietnamese; null when it is allowed. */
export function refusal(action: ReportAction, status: ReportStatus, can: (p: Permission) => boolean, isLatest: boolean): string | null {
  const t = REPORT_TRANSITIONS[action];
  if (!can(t.permission)) return "Vai trò của bạn không được thực hiện bước này.";
  if (status !== t.from) return `Báo cáo đang ở trạng thái "${REPORT_STATUS_LABELS[status]}", không thể "${t.label.toLowerCase()}".`;
  if (action === "correct" && !isLatest) return "Báo cáo này đã có bản đính chính mới hơn; hãy đính chính bản mới nhất.";
  return null;
}

// ---- Calendar ----------------------------------------------------------------------

/** Submitted before this day of the month after the period counts as on time. */
export const DUE_BEFORE_DAY = 3;

/** The last instant a report for the period is on time: before the 3rd of the next month. */
export function deadlineOf(period: Period): number {
  const [y, m] = splitDay(period.toExclusive);
  return startOfLocalDay(makeDay(y, m, DUE_BEFORE_DAY)) - 1;
}

export type CalendarState = "not_started" | "draft" | "reviewed" | "on_time" | "late" | "overdue" | "upcoming";

export const CALENDAR_STATE_LABELS: Record<CalendarState, string> = {
  upcoming: "Chưa đến kỳ",
  not_started: "Chưa lập",
  draft: "Đang soạn",
  reviewed: "Đã rà soát, chờ ký",
  on_time: "Đã gửi đúng hạn",
  late: "Đã gửi muộn",
  overdue: "Quá hạn",
};

/** The latest version's status and submission time, when a report exists for the period. */
export interface PeriodReport {
  status: ReportStatus;
  /** The first submission of the period (a correction does not make it late or on time again). */
  firstSubmittedAt: number | null;
}

export function calendarState(period: Period, deadline: number, report: PeriodReport | null, now: number): CalendarState {
  if (report?.firstSubmittedAt != null) return report.firstSubmittedAt <= deadline ? "on_time" : "late";
  if (now > deadline) return "overdue";
  const open = report ? (report.status as "draft" | "reviewed") : null;
  if (now < startOfLocalDay(period.toExclusive)) return open ?? "upcoming";
  return open ?? "not_started";
}

export interface DueReport {
  kind: ReportKind;
  period: Period;
  deadline: number;
}

const monthKey = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}`;

/**
 * Every report due from `firstMonth` ('yyyy-MM') to the month of `now`, plus those of
 * periods in progress: R1 each month, quarter, half-year and year; R2 each half-year.
 * Ordered by deadline, then kind and period.
 */
export function reportsDue(firstMonth: string, now: number): DueReport[] {
  const today = localDayOf(now);
  const [ty, tm] = splitDay(today);
  const [fy, fm] = firstMonth.split("-").map(Number);
  const out: DueReport[] = [];
  const push = (kind: ReportKind, key: string) => {
    const period = parsePeriod(key);
    out.push({ kind, period, deadline: deadlineOf(period) });
  };
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); ) {
    const current = y === ty && m === tm; // the periods in progress are listed too
    push("R1", monthKey(y, m));
    if (m % 3 === 0 || current) push("R1", `${y}-Q${Math.ceil(m / 3)}`);
    if (m % 6 === 0 || current) {
      push("R1", `${y}-H${m <= 6 ? 1 : 2}`);
      push("R2", `${y}-H${m <= 6 ? 1 : 2}`);
    }
    if (m === 12 || current) push("R1", String(y));
    if (m === 12) {
      y += 1;
      m = 1;
    } else m += 1;
  }
  return out.sort((a, b) => a.deadline - b.deadline || a.kind.localeCompare(b.kind) || a.period.from.localeCompare(b.period.from));
}

/** Not yet submitted and due within `days` days from now, or already overdue. */
export function dueSoon(due: DueReport & { state: CalendarState }, now: number, days = 7): boolean {
  if (due.state === "on_time" || due.state === "late" || due.state === "upcoming") return false;
  return due.deadline <= now + days * 86400;
}

/** The year a report's number belongs to: the year of its date line. */
export const numberYear = (submittedAt: number) => Number(localDayOf(submittedAt).slice(0, 4));


const ROMAN_QUARTERS = ["I", "II", "III", "IV"];

/** The period inside a sentence: "tháng 3 năm 2026", "quý I năm 2026", "6 tháng đầu năm 2026". */
export function periodPhrase(p: Period): string {
  const [y, m] = splitDay(p.from);
  switch (p.kind) {
    case "year":
      return `năm ${y}`;
    case "half":
      return `6 tháng ${m === 1 ? "đầu" : "cuối"} năm ${y}`;
    case "quarter":
      return `quý ${ROMAN_QUARTERS[Math.ceil(m / 3) - 1]} năm ${y}`;
    case "month":
      return `tháng ${m} năm ${y}`;
    default:
      return `kỳ ${p.key}`;
  }
}

/** The summary line under "BÁO CÁO". */
export function reportSummary(kind: ReportKind, p: Period): string {
  switch (kind) {
    case "R1":
      return `Kết quả triển khai thí điểm Sổ sức khỏe điện tử ${periodPhrase(p)}`;
    case "R2":
      return `Tình hình tiếp nhận khám bệnh, chữa bệnh và liên thông dữ liệu lên Cổng tiếp nhận dữ liệu giám định BHYT ${periodPhrase(p)}`;
    case "R4":
      return `Danh sách hồ sơ chưa gửi, bị từ chối và quá hạn hiển thị trên VNeID ${periodPhrase(p)}`;
  }
}
