import { describe, expect, it } from "vitest";
import { checkInsuranceCard, checkPersonalId, lastFour, receptionMethod } from "~/domain/identifiers";

describe("personal identification number (12 digits)", () => {
  it("accepts 12 digits with a known province code and a possible century digit", () => {
    expect(checkPersonalId("038090001234")).toEqual({ valid: true, value: "038090001234", warnings: [] });
    expect(checkPersonalId(" 001305001234 ")).toEqual({ valid: true, value: "001305001234", warnings: [] });
  });
  it("warns, without refusing, on an unknown province code", () => {
    const r = checkPersonalId("003090001234");
    expect(r.valid).toBe(true);
    expect(r.valid && r.warnings).toEqual(["Mã tỉnh 003 không có trong danh mục"]);
  });
  it("warns, without refusing, on an impossible century digit (births from 2100)", () => {
    for (const digit of ["4", "5", "6", "7", "8", "9"]) {
      const r = checkPersonalId(`038${digit}90001234`);
      expect(r.valid).toBe(true);
      expect(r.valid && r.warnings.join()).toContain("thế kỷ");
    }
    for (const digit of ["0", "1", "2", "3"]) {
      expect(checkPersonalId(`038${digit}90001234`)).toMatchObject({ valid: true, warnings: [] });
    }
  });
  it.each(["", "03809000123", "0380900012345", "03809000123a", "038 090 001 234", "038-090-001234"])("refuses %j", (id) => {
    expect(checkPersonalId(id).valid).toBe(false);
  });
  it("has no invented check digit: any 12 digits with a known province pass", () => {
    expect(checkPersonalId("038000000000").valid).toBe(true);
    expect(checkPersonalId("038999999999").valid).toBe(true);
  });
  it("refuses what is not text", () => {
    expect(checkPersonalId(null).valid).toBe(false);
    expect(checkPersonalId(undefined).valid).toBe(false);
  });
});

describe("insurance card number", () => {
  it("accepts the 15-character form: group, benefit level 1–5, province, 10 digits", () => {
    expect(checkInsuranceCard("DN4380123456789")).toEqual({ valid: true, value: "DN4380123456789", socialNumber: "0123456789" });
  });
  it.each(["DN6380123456789", "DN0380123456789", "D14380123456789", "dn4380123456789", "DN438012345678", "DN43801234567890", "DN438O123456789"])(
    "refuses %s",
    (card) => {
      expect(checkInsuranceCard(card).valid).toBe(false);
    },
  );
  it("takes the pattern to the letter: a lower-case card is invalid, and the reason says so", () => {
    expect(checkInsuranceCard("dn4380123456789")).toEqual({ valid: false, reason: expect.stringMatching(/chữ in hoa/) });
  });
  it("accepts a bare 10-digit social-insurance number", () => {
    expect(checkInsuranceCard("3801234567")).toEqual({ valid: true, value: "3801234567", socialNumber: "3801234567" });
    expect(checkInsuranceCard("380123456").valid).toBe(false);
  });
  it("takes the first valid code of a ';'-separated list", () => {
    expect(checkInsuranceCard("XX;GD4790000000001; HS4790000000002")).toMatchObject({ valid: true, value: "GD4790000000001" });
    expect(checkInsuranceCard(";;").valid).toBe(false);
  });
  it("matches two cards on their last 10 digits", () => {
    const a = checkInsuranceCard("DN4380123456789");
    const b = checkInsuranceCard("HT3790123456789");
    expect(a.valid && b.valid && a.socialNumber === b.socialNumber).toBe(true);
  });
});

describe("reception method (METRICS.md I1)", () => {
  it("takes the explicit column when the visit is identified", () => {
    expect(receptionMethod("the_can_cuoc", true, false)).toBe("the_can_cuoc");
    expect(receptionMethod("the_bhyt", true, false)).toBe("the_bhyt");
    expect(receptionMethod("so_dinh_danh", false, true)).toBe("so_dinh_danh");
  });
  it("infers personal ID first, then card, when there is no explicit column", () => {
    expect(receptionMethod(null, true, true)).toBe("so_dinh_danh");
    expect(receptionMethod(null, false, true)).toBe("the_bhyt");
    expect(receptionMethod(null, false, false)).toBe("khong");
  });
  it("is khong without a valid identifier, whatever the column says", () => {
    expect(receptionMethod("the_can_cuoc", false, false)).toBe("khong");
    expect(receptionMethod("the_bhyt", false, false)).toBe("khong");
  });
  it("does not let a declared 'khong' hide a valid identifier (methods must add up to identified)", () => {
    expect(receptionMethod("khong", true, false)).toBe("so_dinh_danh");
    expect(receptionMethod("khong", false, true)).toBe("the_bhyt");
  });
  it("keeps only the last 4 characters for display", () => {
    expect(lastFour("038090001234")).toBe("1234");
  });
});
