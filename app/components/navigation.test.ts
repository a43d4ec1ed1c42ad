import { describe, expect, it } from "vitest";
import { homeFor, NAV_ITEMS, navFor, safeRedirect } from "./navigation";
import { can, ROLES } from "~/domain/permissions";

describe("navigation", () => {
  it("offers each role exactly the sections its permissions open", () => {
    expect(navFor("ban_can_su_khoi").map((i) => i.path)).toEqual(["/dashboard", "/import", "/imports", "/entry/onboarding", "/activities", "/plan", "/urge"]);
    expect(navFor("tai_chinh").map((i) => i.path)).toEqual(["/dashboard", "/imports", "/plan", "/urge", "/budget", "/reports"]);
    expect(navFor("quan_tri").map((i) => i.path)).toContain("/admin/tokens");
    expect(navFor("lanh_dao").map((i) => i.path)).not.toContain("/admin/users");
    for (const role of ROLES) {
      for (const item of NAV_ITEMS) {
        expect(navFor(role).includes(item)).toBe(item.anyOf.some((p) => can(role, p)));
      }
    }
  });

  it("lands every role on a page it may see", () => {
    expect(homeFor("tai_chinh")).toBe("/budget");
    expect(homeFor("quan_tri")).toBe("/admin/users");
    expect(homeFor("ban_can_su_khoi")).toBe("/dashboard");
    for (const role of ROLES) expect(navFor(role).map((i) => i.path)).toContain(homeFor(role));
  });

  it("follows only same-site relative redirects", () => {
    expect(safeRedirect("/worklist?period=2026-Q1", "lanh_dao")).toBe("/worklist?period=2026-Q1");
    for (const evil of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/\t/evil.example", "", null, "/logout"]) {
      expect(safeRedirect(evil, "lanh_dao")).toBe("/dashboard");
    }
  });
});
