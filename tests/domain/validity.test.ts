import { describe, expect, it } from "vitest";
import { dayToVi, formDay, viToDay } from "~/domain/validity";

describe("day fields written dd/mm/yyyy", () => {
  it.each([
    ["05/03/2026", "2026-03-05"], ["5/3/2026", "2026-03-05"], [" 29/02/2028 ", "2028-02-29"], ["2026-03-05", "2026-03-05"],
    ["31/11/2026", null], ["29/02/2026", null], ["2026-02-30", null], ["05-03-2026", null], ["", null], ["hôm nay", null],
  ])("%j → %j", (typed, day) => expect(viToDay(typed)).toBe(day));

  it("shows a day back as typed", () => {
    expect(dayToVi("2026-03-05")).toBe("05/03/2026");
    expect(dayToVi("")).toBe("");
  });

  it("reads a posted field as a day, passing on what is not one for the action's own message", () => {
    expect(formDay("01/11/2026")).toBe("2026-11-01");
    expect(formDay("2026-11-01")).toBe("2026-11-01");
    expect(formDay("  ")).toBe("");
    expect(formDay("31/02/2026")).toBe("31/02/2026");
  });
});
