import { describe, expect, it } from "vitest";
import {
  addDays, hoursBetween, isValidDay, localDayOf, localToEpoch, parseSourceDate, parseSourceDay,
  startOfLocalDay, toIsoLocal,
} from "~/domain/time";

const utc = (iso: string) => Date.parse(iso) / 1000;

describe("the ward's time zone (UTC+7, no daylight saving)", () => {
  it("puts 17:00 UTC on the next local day", () => {
    expect(localDayOf(utc("2026-03-31T16:59:59Z"))).toBe("2026-03-31");
    expect(localDayOf(utc("2026-03-31T17:00:00Z"))).toBe("2026-04-01");
  });
  it("starts a local day at 17:00 UTC the day before", () => {
    expect(startOfLocalDay("2026-04-01")).toBe(utc("2026-03-31T17:00:00Z"));
  });
  it("has no daylight-saving jump in any month", () => {
    for (let m = 1; m <= 12; m++) {
      expect(localToEpoch(2026, m, 1, 12) - utc(`2026-${String(m).padStart(2, "0")}-01T05:00:00Z`)).toBe(0);
    }
  });
  it("writes instants as ISO 8601 with +07:00", () => {
    expect(toIsoLocal(utc("2026-04-02T01:00:00Z"))).toBe("2026-04-02T08:00:00+07:00");
  });
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
  it("measures hours as minutes / 60", () => {
    expect(hoursBetween(0, 24 * 3600)).toBe(24);
    expect(hoursBetween(0, 90 * 60)).toBe(1.5);
  });
});

describe("parseSourceDate: every form FORMATS.md accepts", () => {
  const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => localToEpoch(y, mo, d, h, mi, s);
  it.each([
    ["20260304", local(2026, 3, 4), false],
    ["202603041730", local(2026, 3, 4, 17, 30), true],
    ["20260304173045", local(2026, 3, 4, 17, 30, 45), true],
    ["04/03/2026", local(2026, 3, 4), false],
    ["4/3/2026", local(2026, 3, 4), false],
    ["04/03/2026 17:30", local(2026, 3, 4, 17, 30), true],
    ["04/03/2026 17:30:45", local(2026, 3, 4, 17, 30, 45), true],
    ["2026-03-31", local(2026, 3, 31), false],
    ["2026-03-31T17:30:00", local(2026, 3, 31, 17, 30), true],
    ["2026-03-31T17:30:00Z", utc("2026-03-31T17:30:00Z"), true],
    ["2026-03-31T17:30:00+07:00", local(2026, 3, 31, 17, 30), true],
    ["2026-03-31T17:30:00.250+0700", local(2026, 3, 31, 17, 30), true],
    ["2026-03-31T17:30+07", local(2026, 3, 31, 17, 30), true],
    ["2026-03-31T10:30Z", local(2026, 3, 31, 17, 30), true],
    ["  20260304  ", local(2026, 3, 4), false],
  ])("%s", (input, epoch, hasTime) => {
    expect(parseSourceDate(input)).toEqual({ epoch, hasTime });
  });

  it("reads an Excel date cell (wall-clock time in the Date's UTC fields) as local time", () => {
    expect(parseSourceDate(new Date(Date.UTC(2026, 2, 4, 17, 30)))).toEqual({ epoch: local(2026, 3, 4, 17, 30), hasTime: true });
    expect(parseSourceDate(new Date(Date.UTC(2026, 2, 4)))).toEqual({ epoch: local(2026, 3, 4), hasTime: false });
  });

  it.each([
    "31/02/2026", "31/02/2026 10:00", "2026-13-01", "04/03/2026 24:61", "20260304246", "2026-03-31T17:30+7", "20260231", "2026-02-30", "29/02/2026", "20261301", "2026-03-04T24:00", "04/03/2026 17:60",
    "hôm qua", "", "2026/03/04", "2026-03-31+07:00", "1234567", 20260304, null, undefined, new Date(NaN),
  ])("refuses %s", (input) => {
    expect(parseSourceDate(input as unknown)).toBeNull();
  });

  it("accepts 29 February in a leap year only", () => {
    expect(parseSourceDate("29/02/2028")).not.toBeNull();
    expect(parseSourceDate("29/02/2026")).toBeNull();
  });

  it("gives a date-only field the local day, converting zoned instants", () => {
    expect(parseSourceDay("2026-01-12")).toBe("2026-01-12");
    expect(parseSourceDay("24/01/2026")).toBe("2026-01-24");
    expect(parseSourceDay("2026-01-11T18:00:00Z")).toBe("2026-01-12");
    expect(parseSourceDay("31/02/2026")).toBeNull();
  });

  it("validates days", () => {
    expect(isValidDay("2026-02-28")).toBe(true);
    expect(isValidDay("2026-02-29")).toBe(false);
    expect(isValidDay("2026-2-28")).toBe(false);
  });
});
