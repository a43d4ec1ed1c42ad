import { describe, expect, it } from "vitest";
import { choiceFromValue, valueOfChoice } from "./period-choice";
import { localToEpoch } from "~/domain/time";

const now = localToEpoch(2026, 5, 14, 9);

describe("period picker fields", () => {
  it("round-trips every form the picker writes", () => {
    for (const value of ["2026-03", "2026-Q1", "2025-H2", "2026", "2026-01-01..2026-02-15", "this-month", "last-month", "this-quarter", "year-to-date"]) {
      expect(valueOfChoice(choiceFromValue(value, now))).toBe(value);
    }
  });

  it("turns a week or a day into an editable date range", () => {
    expect(choiceFromValue("2026-W05", now)).toMatchObject({ mode: "range", from: "2026-01-26", to: "2026-02-01" });
    expect(valueOfChoice(choiceFromValue("2026-03-15", now))).toBe("2026-03-15..2026-03-15");
  });

  it("fills the other fields from the period so switching mode starts near it", () => {
    const c = choiceFromValue("2026-08", now);
    expect(valueOfChoice({ ...c, mode: "quarter" })).toBe("2026-Q3");
    expect(valueOfChoice({ ...c, mode: "half" })).toBe("2026-H2");
    expect(valueOfChoice({ ...choiceFromValue("last-month", now), mode: "month" })).toBe("2026-04");
  });

  it("falls back on an unreadable value", () => {
    expect(choiceFromValue("2026-13", now).mode).toBe("this-month");
    expect(choiceFromValue("nonsense", now, "2026").mode).toBe("year");
  });
});
