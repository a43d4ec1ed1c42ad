// The report calendar and lifecycle rules (app/domain/reports.ts), directly.
import { describe, expect, it } from "vitest";
import { parsePeriod } from "~/domain/periods";
import { calendarState, deadlineOf, dueSoon, periodPhrase, refusal, reportPeriod, reportsDue, ReportPeriodError } from "~/domain/reports";
import { can } from "~/domain/permissions";
import { localToEpoch, toIsoLocal } from "~/domain/time";

describe("deadlines", () => {
  it("is the last instant before the 3rd of the month after the period", () => {
    expect(toIsoLocal(deadlineOf(parsePeriod("2026-03")))).toBe("2026-04-02T23:59:59+07:00");
    expect(toIsoLocal(deadlineOf(parsePeriod("2026-12")))).toBe("2027-01-02T23:59:59+07:00");
    expect(toIsoLocal(deadlineOf(parsePeriod("2026-Q2")))).toBe("2026-07-02T23:59:59+07:00");
    expect(toIsoLocal(deadlineOf(parsePeriod("2026-H2")))).toBe("2027-01-02T23:59:59+07:00");
    expect(toIsoLocal(deadlineOf(parsePeriod("2026")))).toBe("2027-01-02T23:59:59+07:00");
  });
});

describe("calendar states", () => {
  const march = parsePeriod("2026-03");
  const deadline = deadlineOf(march);
  it("tells upcoming, not started, draft, reviewed, overdue, on time and late apart", () => {
    const during = localToEpoch(2026, 3, 20);
    const after = localToEpoch(2026, 4, 1, 9);
    const late = localToEpoch(2026, 4, 3, 0, 0, 1);
    expect(calendarState(march, deadline, null, during)).toBe("upcoming");
    expect(calendarState(march, deadline, { status: "draft", firstSubmittedAt: null }, during)).toBe("draft");
    expect(calendarState(march, deadline, null, after)).toBe("not_started");
    expect(calendarState(march, deadline, { status: "reviewed", firstSubmittedAt: null }, after)).toBe("reviewed");
    expect(calendarState(march, deadline, null, late)).toBe("overdue");
    expect(calendarState(march, deadline, { status: "draft", firstSubmittedAt: null }, late)).toBe("overdue");
    expect(calendarState(march, deadline, { status: "submitted", firstSubmittedAt: deadline }, late)).toBe("on_time");
    expect(calendarState(march, deadline, { status: "submitted", firstSubmittedAt: deadline + 1 }, late)).toBe("late");
    // A correction (a new draft) keeps the period's first submission.
    expect(calendarState(march, deadline, { status: "draft", firstSubmittedAt: deadline - 5 }, late)).toBe("on_time");
  });

  it("lists every R1 month, quarter, half-year and year and every R2 half-year from the first month", () => {
    const now = localToEpoch(2026, 8, 15);
    const due = reportsDue("2026-01", now).map((d) => `${d.kind} ${d.period.key}`);
    expect(due.filter((d) => d.startsWith("R1 2026-0"))).toEqual(["R1 2026-01", "R1 2026-02", "R1 2026-03", "R1 2026-04", "R1 2026-05", "R1 2026-06", "R1 2026-07", "R1 2026-08"]);
    expect(due.filter((d) => d.includes("-Q"))).toEqual(["R1 2026-Q1", "R1 2026-Q2", "R1 2026-Q3"]);
    expect(due.filter((d) => d.includes("-H"))).toEqual(["R1 2026-H1", "R2 2026-H1", "R1 2026-H2", "R2 2026-H2"]);
    expect(due).toContain("R1 2026");
    expect(new Set(due).size).toBe(due.length);
    const deadlines = reportsDue("2026-01", now).map((d) => d.deadline);
    expect([...deadlines].sort((a, b) => a - b)).toEqual(deadlines);
  });

  it("shows this week's and overdue unsent reports as due soon", () => {
    const now = localToEpoch(2026, 3, 30);
    const entry = (state: "not_started" | "on_time" | "upcoming" | "overdue", deadline: number) => ({ kind: "R1" as const, period: march, deadline, state });
    expect(dueSoon(entry("upcoming", deadline), now)).toBe(false); // the period is not over
    expect(dueSoon(entry("not_started", deadline), now)).toBe(true);
    expect(dueSoon(entry("not_started", now + 8 * 86400), now)).toBe(false);
    expect(dueSoon(entry("overdue", now - 86400), now)).toBe(true);
    expect(dueSoon(entry("on_time", deadline), now)).toBe(false);
  });
});

describe("report periods and steps", () => {
  it("accepts the period forms each kind is made for", () => {
    expect(reportPeriod("R1", "2026-Q1").kind).toBe("quarter");
    expect(reportPeriod("R2", "2026-H2").kind).toBe("half");
    expect(() => reportPeriod("R2", "2026-03")).toThrow(ReportPeriodError);
    expect(() => reportPeriod("R1", "2026-W05")).toThrow(ReportPeriodError);
    expect(() => reportPeriod("R1", "2026-13")).toThrow(/không hợp lệ/);
    expect(periodPhrase(parsePeriod("2026-Q3"))).toBe("quý III năm 2026");
    expect(periodPhrase(parsePeriod("2026-H1"))).toBe("6 tháng đầu năm 2026");
  });

  it("lets each role take only its steps", () => {
    const by = (role: Parameters<typeof can>[0]) => (p: Parameters<typeof can>[1]) => can(role, p);
    expect(refusal("edit", "draft", by("van_hoa"), true)).toBeNull();
    expect(refusal("edit", "draft", by("cong_an"), true)).toMatch(/không được/);
    expect(refusal("review", "draft", by("tram_y_te"), true)).toMatch(/không được/);
    expect(refusal("review", "draft", by("lanh_dao"), true)).toBeNull();
    expect(refusal("submit", "draft", by("lanh_dao"), true)).toMatch(/Bản nháp/);
    expect(refusal("submit", "reviewed", by("lanh_dao"), true)).toBeNull();
    expect(refusal("submit", "reviewed", by("tram_y_te"), true)).toMatch(/không được/);
    expect(refusal("correct", "submitted", by("tram_y_te"), false)).toMatch(/mới hơn/);
    expect(refusal("correct", "submitted", by("tram_y_te"), true)).toBeNull();
  });
});
