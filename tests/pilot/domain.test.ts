// The pure rules of running the pilot: overdue around the due date in Vietnam time,
// soon-due, the months the reporting panel checks.
import { describe, expect, it } from "vitest";
import { daysUntil, isSoonDue, monthRange, monthsToCheck, monthWords, taskState } from "~/domain/pilot";

const at = (iso: string) => Date.parse(iso) / 1000;

describe("a task's state on a day in Vietnam", () => {
  it("is on time through the whole due day (+07:00) and overdue from the next local midnight", () => {
    expect(taskState("doing", "2026-11-30", at("2026-11-30T23:59:59+07:00"))).toBe("doing");
    expect(taskState("todo", "2026-11-30", at("2026-11-30T16:59:59Z"))).toBe("todo");
    expect(taskState("todo", "2026-11-30", at("2026-12-01T00:00:00+07:00"))).toBe("overdue");
    // 17:00 UTC on the due day is already the next day in Vietnam.
    expect(taskState("doing", "2026-11-30", at("2026-11-30T17:00:00Z"))).toBe("overdue");
  });

  it("is never overdue when done or without a due date", () => {
    expect(taskState("done", "2026-01-01", at("2026-12-01T00:00:00+07:00"))).toBe("done");
    expect(taskState("todo", null, at("2030-01-01T00:00:00Z"))).toBe("todo");
  });

  it("is soon due within 7 days, today included, and not once overdue", () => {
    const now = at("2026-11-30T08:00:00+07:00");
    expect(isSoonDue("todo", "2026-11-30", now)).toBe(true);
    expect(isSoonDue("todo", "2026-12-07", now)).toBe(true);
    expect(isSoonDue("todo", "2026-12-08", now)).toBe(false);
    expect(isSoonDue("todo", "2026-11-29", now)).toBe(false);
    expect(isSoonDue("done", "2026-12-01", now)).toBe(false);
    expect(daysUntil("2026-12-07", now)).toBe(7);
    expect(daysUntil("2026-11-28", at("2026-11-30T23:30:00+07:00"))).toBe(-2);
  });
});

describe("the months the reporting panel checks", () => {
  it("checks last month always, this month only after its 10th day (Vietnam time)", () => {
    expect(monthsToCheck(at("2026-12-01T00:30:00+07:00"))).toEqual(["2026-11"]);
    expect(monthsToCheck(at("2026-12-10T23:00:00+07:00"))).toEqual(["2026-11"]);
    expect(monthsToCheck(at("2026-12-11T00:00:00+07:00"))).toEqual(["2026-11", "2026-12"]);
    expect(monthsToCheck(at("2026-01-05T08:00:00+07:00"))).toEqual(["2025-12"]);
    expect(monthWords("2026-11", at("2026-12-01T08:00:00+07:00"))).toBe("tháng 11");
    expect(monthWords("2025-12", at("2026-01-05T08:00:00+07:00"))).toBe("tháng 12/2025");
    expect(monthRange("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });
});
