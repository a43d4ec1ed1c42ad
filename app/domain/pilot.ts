// Pure rules of running the pilot: where a plan task stands on a given day in Vietnam
// (overdue is computed, never typed), which tasks leadership should urge, and which
// months the "who has not sent data" panel checks.
import { addDays, localDayOf } from "./time";

export const TASK_STATUSES = ["todo", "doing", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskState = TaskStatus | "overdue";

export const TASK_STATE_LABELS: Record<TaskState, string> = {
  todo: "Chưa bắt đầu",
  doing: "Đang thực hiện",
  done: "Hoàn thành",
  overdue: "Quá hạn",
};

/** Days before the due date from which an unfinished task is "soon due". */
export const SOON_DUE_DAYS = 7;

/**
 * A task not done is overdue from the day after its due date, in Vietnam time: due on
 * 30 November, it is still on time all of 30 November (until 23:59:59 +07:00).
 */
export function taskState(status: TaskStatus, dueDate: string | null, now: number): TaskState {
  if (status === "done") return "done";
  if (dueDate !== null && localDayOf(now) > dueDate) return "overdue";
  return status;
}

/** Not done, not overdue, and due within SOON_DUE_DAYS days (today included). */
export function isSoonDue(status: TaskStatus, dueDate: string | null, now: number, days = SOON_DUE_DAYS): boolean {
  if (status === "done" || dueDate === null) return false;
  const today = localDayOf(now);
  return dueDate >= today && dueDate <= addDays(today, days);
}

/** Whole days from today (Vietnam) to the due date; negative when overdue. */
export function daysUntil(dueDate: string, now: number): number {
  const a = Date.parse(`${localDayOf(now)}T00:00:00Z`);
  const b = Date.parse(`${dueDate}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** yyyy-MM of a local day, and the month before. */
export const monthOfDay = (day: string) => day.slice(0, 7);
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** Day of the month after which the current month counts as one that should have data. */
export const CURRENT_MONTH_FROM_DAY = 10;

/**
 * The months the reporting panel checks: the last complete month always, and the
 * current month once its 10th day has passed (before that, no data yet is normal).
 */
export function monthsToCheck(now: number): string[] {
  const today = localDayOf(now);
  const current = monthOfDay(today);
  const months = [previousMonth(current)];
  if (Number(today.slice(8, 10)) > CURRENT_MONTH_FROM_DAY) months.push(current);
  return months;
}

/** "tháng 11" or "tháng 11/2025" when not the current year. */
export function monthWords(month: string, now: number): string {
  const m = Number(month.slice(5, 7));
  return month.slice(0, 4) === localDayOf(now).slice(0, 4) ? `tháng ${m}` : `tháng ${m}/${month.slice(0, 4)}`;
}

/** Months from `first` to `last` inclusive (yyyy-MM). */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last && out.length < 240; ) {
    out.push(m);
    const [y, mo] = m.split("-").map(Number);
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  }
  return out;
}

/** The sources whose arrival "who has sent what" follows, per facility. */
export const REPORTING_SOURCES = {
  visits: "Lượt KCB",
  receipts: "Kết quả gửi Cổng giám định",
  displays: "Xác nhận hiển thị VNeID",
} as const;
export type ReportingSource = keyof typeof REPORTING_SOURCES;

/** The same, inside a sentence: "chưa gửi lượt KCB, kết quả gửi Cổng giám định …". */
export const REPORTING_SOURCE_PHRASES: Record<ReportingSource, string> = {
  visits: "lượt KCB",
  receipts: "kết quả gửi Cổng giám định",
  displays: "xác nhận hiển thị VNeID",
};
