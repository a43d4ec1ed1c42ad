import { describe, expect, it } from "vitest";
import {
  availableActions, checkEdit, checkTransition, executionRate, lineAmount, overspendBy, parseDong, parseQuantity, rootLineOf, sumDong,
} from "~/domain/budget";

describe("budget workflow rules", () => {
  it("offers each role only its own steps", () => {
    expect(availableActions("tram_y_te", "draft")).toEqual(["submit"]);
    expect(availableActions("tram_y_te", "returned")).toEqual(["submit"]);
    expect(availableActions("tai_chinh", "submitted")).toEqual(["forward", "return_review"]);
    expect(availableActions("lanh_dao", "reviewed")).toEqual(["approve", "return_approval"]);
    expect(availableActions("lanh_dao", "submitted")).toEqual([]); // the vice chair waits for the review
    expect(availableActions("quan_tri", "reviewed")).toEqual([]);
    for (const role of ["tram_y_te", "tai_chinh", "lanh_dao", "quan_tri"] as const) expect(availableActions(role, "approved")).toEqual([]);
  });
  it("explains a refusal in Vietnamese", () => {
    expect(checkTransition("tai_chinh", "submitted", "approve")).toEqual({ ok: false, reason: 'Vai trò của bạn không được thực hiện bước "Phê duyệt".' });
    expect(checkTransition("lanh_dao", "submitted", "approve")).toMatchObject({ ok: false, reason: expect.stringContaining("Đã gửi, chờ thẩm định") });
    expect(checkEdit("tram_y_te", "approved")).toMatchObject({ ok: false, reason: expect.stringContaining("đã khóa") });
    expect(checkEdit("tram_y_te", "returned")).toEqual({ ok: true });
  });
});

describe("money", () => {
  it("reads whole đồng as people type them and refuses fractions", () => {
    expect(parseDong("15.800.000")).toBe(15_800_000);
    expect(parseDong("15,800,000")).toBe(15_800_000);
    expect(parseDong("15 800 000 đ")).toBe(15_800_000);
    expect(parseDong("480000")).toBe(480_000);
    expect(parseDong(480000)).toBe(480_000);
    expect(parseDong(" 0 ")).toBe(0);
    for (const bad of ["15.800.000,5", "1.5", "12,5", "15.800,000", "-5", "", "abc", 10.5, -1, 2 ** 60]) expect(parseDong(bad)).toBeNull();
  });
  it("reads whole positive quantities", () => {
    expect(parseQuantity("12")).toBe(12);
    expect(parseQuantity(3)).toBe(3);
    for (const bad of ["0", "1,5", 1.5, 0, "-2", ""]) expect(parseQuantity(bad)).toBeNull();
  });
  it("multiplies and sums exactly, refusing what would lose precision", () => {
    expect(lineAmount(3, 33_333_333)).toBe(99_999_999);
    expect(() => lineAmount(2 ** 27, 2 ** 27)).toThrow(RangeError);
    expect(sumDong([1, 2, 3])).toBe(6);
    expect(() => sumDong([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
  it("measures over-spending and execution", () => {
    expect(overspendBy(1_000, 900, 100)).toBe(0);
    expect(overspendBy(1_000, 900, 101)).toBe(1);
    expect(executionRate(0, 0)).toBeNull();
    expect(executionRate(250, 1_000)).toBe(0.25);
  });
  it("follows a line back through supplements to the line spending was first recorded on", () => {
    const sourceOf = new Map<number, number | null>([[1, null], [5, 1], [9, 5], [10, null]]);
    expect(rootLineOf(9, sourceOf)).toBe(1);
    expect(rootLineOf(10, sourceOf)).toBe(10);
    expect(rootLineOf(7, sourceOf)).toBe(7);
  });
});
