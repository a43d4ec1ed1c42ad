// The --as-of option shared by `sskdt metrics` and `sskdt report`.
import { defaultAsOf, type Period } from "../../app/domain/periods";
import { parseSourceDate } from "../../app/domain/time";

/** The as-of instant: the option parsed, or METRICS.md's default; null (after a message) when invalid. */
export function asOfOption(raw: string | undefined, period: Period, now: number): number | null {
  if (raw === undefined) return defaultAsOf(period, now);
  const parsed = parseSourceDate(raw);
  if (parsed) return parsed.epoch;
  console.error(`Thời điểm không hợp lệ: "${raw}". Dùng ISO 8601, ví dụ 2026-04-02T08:00:00+07:00.`);
  return null;
}
