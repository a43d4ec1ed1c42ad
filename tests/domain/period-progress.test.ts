import { describe, expect, it } from "vitest";
import {
  comparisonPeriod, isPartialBucket, landingPeriod, periodProgress, progressNote,
} from "~/domain/period-progress";
import { parsePeriod } from "~/domain/periods";
import { localToEpoch } from "~/domain/time";

const dec2Morning = localToEpoch(2026, 12, 2, 9, 30);

describe("period progress", () => {
  it("marks a running month with its begun days", () => {
    const p = periodProgress(parsePeriod("2026-12"), dec2Morning);
    expect(p).toEqual({ state: "running", elapsedDays: 2, totalDays: 31 });
    expect(progressNote(p)).toBe("kỳ chưa kết thúc — 2/31 ngày");
  });

  it("tells a closed and a future period", () => {
    expect(periodProgress(parsePeriod("2026-11"), dec2Morning).state).toBe("closed");
    expect(periodProgress(parsePeriod("2026-11"), localToEpoch(2026, 12, 1)).state).toBe("closed");
    expect(periodProgress(parsePeriod("2026-11"), localToEpoch(2026, 11, 30, 23, 59)).state).toBe("running");
    const future = periodProgress(parsePeriod("2027-01"), dec2Morning);
    expect(future).toEqual({ state: "future", elapsedDays: 0, totalDays: 31 });
    expect(progressNote(future)).toBe("kỳ chưa bắt đầu");
    expect(progressNote(periodProgress(parsePeriod("2026-10"), dec2Morning))).toBeNull();
  });

  it("compares a running period with as many first days of the previous one", () => {
    const running = parsePeriod("2026-12");
    const c = comparisonPeriod(running, periodProgress(running, dec2Morning));
    expect(c.period).toMatchObject({ from: "2026-11-01", toExclusive: "2026-11-03" });
    expect(c.label).toBe("cùng 2 ngày đầu Tháng 11/2026");
    // 31 days begun of March, February has 28: the whole of February.
    const march = parsePeriod("2026-03");
    const m = comparisonPeriod(march, periodProgress(march, localToEpoch(2026, 3, 31, 12)));
    expect(m.period.key).toBe("2026-02");
    expect(m.label).toBe("Tháng 2/2026");
    const closed = parsePeriod("2026-11");
    expect(comparisonPeriod(closed, periodProgress(closed, dec2Morning)).label).toBe("Tháng 10/2026");
  });

  it("lands on last month during a month's first five days", () => {
    expect(landingPeriod(dec2Morning)).toEqual({ value: "last-month", early: true });
    expect(landingPeriod(localToEpoch(2026, 12, 5, 23, 59)).early).toBe(true);
    expect(landingPeriod(localToEpoch(2026, 12, 6, 0, 0))).toEqual({ value: "this-month", early: false });
  });

  it("finds partial trend buckets", () => {
    // A week cut by the month's start, a whole week, the running week.
    expect(isPartialBucket({ key: "2026-W49", from: "2026-12-01", to: "2026-12-06" }, localToEpoch(2026, 12, 20))).toBe(true);
    expect(isPartialBucket({ key: "2026-W50", from: "2026-12-07", to: "2026-12-13" }, localToEpoch(2026, 12, 20))).toBe(false);
    expect(isPartialBucket({ key: "2026-W51", from: "2026-12-14", to: "2026-12-20" }, localToEpoch(2026, 12, 20, 8))).toBe(true);
    expect(isPartialBucket({ key: "2026-12", from: "2026-12-01", to: "2026-12-31" }, localToEpoch(2027, 1, 1))).toBe(false);
    expect(isPartialBucket({ key: "2026-12", from: "2026-12-01", to: "2026-12-31" }, localToEpoch(2026, 12, 31, 23))).toBe(true);
  });
});
