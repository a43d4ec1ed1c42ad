import { describe, expect, it } from "vitest";
import { groupIssues, groupText, isPartial } from "~/domain/issue-groups";

describe("issue groups", () => {
  it("groups by reason with the lines, most frequent first", () => {
    const issues = [
      { line: 9, reason: "Dòng không có ngày nào của ba bước" },
      { line: 3, reason: "Mã khối không có" },
      { line: 4, reason: "Dòng không có ngày nào của ba bước" },
      ...Array.from({ length: 20 }, (_, i) => ({ line: 100 + i, reason: "Dòng không có ngày nào của ba bước" })),
    ];
    const groups = groupIssues(issues);
    expect(groups.map((g) => [g.reason, g.count])).toEqual([["Dòng không có ngày nào của ba bước", 22], ["Mã khối không có", 1]]);
    expect(groups[0].lines.slice(0, 3)).toEqual([4, 9, 100]);
    expect(groupText(groups[0])).toBe("22 dòng: Dòng không có ngày nào của ba bước — dòng 4, 9, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, …");
    expect(groupText(groups[1])).toBe("Dòng 3: Mã khối không có");
  });

  it("tells a partly valid file", () => {
    expect(isPartial({ new: 3, updated: 0, unchanged: 0, invalid: 1 })).toBe(true);
    expect(isPartial({ new: 0, updated: 0, unchanged: 0, invalid: 4 })).toBe(false);
    expect(isPartial({ new: 3, updated: 0, unchanged: 0, invalid: 0 })).toBe(false);
  });
});
