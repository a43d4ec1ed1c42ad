// What the period picker shows and writes: a `?period=` value (METRICS.md forms or a
// relative name) split into the fields a person edits, and put back together.
import { lastDay, PeriodError, RELATIVE_PERIODS, resolvePeriod, type RelativePeriod } from "~/domain/periods";
import { splitDay } from "~/domain/time";

export type PickerMode = RelativePeriod | "month" | "quarter" | "half" | "year" | "range";

export const MODE_LABELS: Record<PickerMode, string> = {
  "this-month": "Tháng này",
  "last-month": "Tháng trước",
  "this-quarter": "Quý này",
  "last-quarter": "Quý trước",
  "year-to-date": "Từ đầu năm đến nay",
  "this-year": "Năm nay",
  month: "Theo tháng",
  quarter: "Theo quý",
  half: "6 tháng",
  year: "Theo năm",
  range: "Khoảng ngày tùy chọn",
};

export interface PeriodChoice {
  mode: PickerMode;
  year: number;
  month: number; // 1…12
  quarter: number; // 1…4
  half: number; // 1 | 2
  from: string; // 'yyyy-MM-dd', for a custom range
  to: string; // inclusive
}

const isRelative = (value: string): value is RelativePeriod => (RELATIVE_PERIODS as readonly string[]).includes(value);

/** The fields for a `?period=` value; an unreadable value falls back to `fallback`. */
export function choiceFromValue(value: string, nowEpoch: number, fallback: string = "this-month"): PeriodChoice {
  let period;
  try {
    period = resolvePeriod(value, nowEpoch);
  } catch (error) {
    if (!(error instanceof PeriodError) || value === fallback) throw error;
    return choiceFromValue(fallback, nowEpoch, fallback);
  }
  const [year, month] = splitDay(period.from);
  const fields = { year, month, quarter: Math.ceil(month / 3), half: month <= 6 ? 1 : 2, from: period.from, to: lastDay(period) };
  if (isRelative(value)) return { mode: value, ...fields };
  const mode: PickerMode =
    period.kind === "month" || period.kind === "quarter" || period.kind === "half" || period.kind === "year" ? period.kind : "range";
  return { mode, ...fields };
}

/** The `?period=` value for the fields. */
export function valueOfChoice(c: PeriodChoice): string {
  switch (c.mode) {
    case "month":
      return `${c.year}-${String(c.month).padStart(2, "0")}`;
    case "quarter":
      return `${c.year}-Q${c.quarter}`;
    case "half":
      return `${c.year}-H${c.half}`;
    case "year":
      return String(c.year);
    case "range":
      return `${c.from}..${c.to}`;
    default:
      return c.mode;
  }
}
