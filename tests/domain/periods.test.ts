import { describe, expect, it } from "vitest";
import {
  PeriodError, dayCount, defaultAsOf, isoWeekKey, lastDay, monthsOf, parsePeriod, periodLabel, previousPeriod, resolvePeriod,
} from "~/domain/periods";
import { localToEpoch, startOfLocalDay } from "~/domain/time";

describe("parsePeriod: every form of METRICS.md", () => {
  it.each([
    ["2026", "year", "2026-01-01", "2027-01-01"],
    ["2026-H1", "half", "2026-01-01", "2026-07-01"],
    ["2026-H2", "half", "2026-07-01", "2027-01-01"],
    ["2026-Q1", "quarter", "2026-01-01", "2026-04-01"],
    ["2026-Q3", "quarter", "2026-07-01", "2026-10-01"],
    ["2026-Q4", "quarter", "2026-10-01", "2027-01-01"],
    ["2026-03", "month", "2026-03-01", "2026-04-01"],
    ["2026-12", "month", "2026-12-01", "2027-01-01"],
    ["2026-02", "month", "2026-02-01", "2026-03-01"],
    ["2026-W05", "week", "2026-01-26", "2026-02-02"],
    ["2026-W01", "week", "2025-12-29", "2026-01-05"],
    ["2026-W53", "week", "2026-12-28", "2027-01-04"],
    ["2026-03-15", "day", "2026-03-15", "2026-03-16"],
    ["2026-01-01..2026-03-31", "range", "2026-01-01", "2026-04-01"],
    ["2026-03-31..2026-03-31", "range", "2026-03-31", "2026-04-01"],
  ])("%s", (input, kind, from, toExclusive) => {
    expect(parsePeriod(input)).toMatchObject({ kind, from, toExclusive });
  });

  it("gives the inclusive last day as the JSON's `to`", () => {
    expect(lastDay(parsePeriod("2026-Q1"))).toBe("2026-03-31");
    expect(lastDay(parsePeriod("2028-02"))).toBe("2028-02-29");
  });

  it.each(["2026-13", "2026-Q5", "2026-H3", "2025-W53", "2026-W00", "2026-02-30", "2026-03-31..2026-03-01", "Q1", "", "2026-1"])(
    "refuses %s with a Vietnamese message",
    (input) => {
      expect(() => parsePeriod(input)).toThrow(PeriodError);
    },
  );

  it("knows ISO weeks across year ends", () => {
    expect(isoWeekKey("2026-01-01")).toBe("2026-W01");
    expect(isoWeekKey("2027-01-03")).toBe("2026-W53");
    expect(isoWeekKey("2025-12-29")).toBe("2026-W01");
    expect(isoWeekKey("2026-01-26")).toBe("2026-W05");
  });
});

describe("relative periods and the as-of time", () => {
  const now = localToEpoch(2026, 11, 25, 10, 30);
  it.each([
    ["this-month", "2026-11-01", "2026-12-01"],
    ["last-month", "2026-10-01", "2026-11-01"],
    ["this-quarter", "2026-10-01", "2027-01-01"],
    ["last-quarter", "2026-07-01", "2026-10-01"],
    ["year-to-date", "2026-01-01", "2026-11-26"],
    ["this-year", "2026-01-01", "2027-01-01"],
    ["2026-03", "2026-03-01", "2026-04-01"],
  ])("%s", (input, from, toExclusive) => {
    expect(resolvePeriod(input, now)).toMatchObject({ from, toExclusive });
  });
  it("rolls last month back over the new year", () => {
    expect(resolvePeriod("last-month", localToEpoch(2026, 1, 10))).toMatchObject({ from: "2025-12-01" });
    expect(resolvePeriod("last-quarter", localToEpoch(2026, 2, 10))).toMatchObject({ from: "2025-10-01" });
  });
  it("is the end of a finished period, or now", () => {
    expect(defaultAsOf(parsePeriod("2026-Q1"), now)).toBe(startOfLocalDay("2026-04-01"));
    expect(defaultAsOf(parsePeriod("2026-11"), now)).toBe(now);
  });
});

describe("previous period and labels", () => {
  it.each([
    ["2026", "2025"],
    ["2026-H1", "2025-H2"],
    ["2026-H2", "2026-H1"],
    ["2026-Q1", "2025-Q4"],
    ["2026-Q3", "2026-Q2"],
    ["2026-01", "2025-12"],
    ["2026-03-01", "2026-02-28"],
    ["2026-W01", "2025-W52"],
  ])("%s → %s", (input, prev) => {
    expect(previousPeriod(parsePeriod(input)).key).toBe(prev);
  });
  it("moves a custom range back by its own length", () => {
    const p = previousPeriod(parsePeriod("2026-03-01..2026-03-10"));
    expect([p.from, lastDay(p)]).toEqual(["2026-02-19", "2026-02-28"]);
    expect(dayCount(p)).toBe(10);
  });
  it.each([
    ["2026", "Năm 2026"],
    ["2026-H1", "6 tháng đầu năm 2026"],
    ["2026-H2", "6 tháng cuối năm 2026"],
    ["2026-Q3", "Quý III/2026"],
    ["2026-03", "Tháng 3/2026"],
    ["2026-03-05", "Ngày 05/03/2026"],
    ["2026-01-01..2026-03-31", "Từ 01/01/2026 đến 31/03/2026"],
  ])("labels %s as %s", (input, label) => {
    expect(periodLabel(parsePeriod(input))).toBe(label);
  });
  it("lists the months a period covers", () => {
    expect(monthsOf(parsePeriod("2026-Q4"))).toEqual(["2026-10", "2026-11", "2026-12"]);
    expect(monthsOf(parsePeriod("2026-01-15..2026-02-02"))).toEqual(["2026-01", "2026-02"]);
  });
});
