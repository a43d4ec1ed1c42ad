// How the access matrix turns a rule into each caller's status.
import { describe, expect, it } from "vitest";
import { ACCESS_MATRIX, LAYOUT, expectedOutcome } from "~/domain/access-matrix";
import { can } from "~/domain/permissions";

describe("expectedOutcome", () => {
  it("a permission: sign in for anonymous and tokens, ok for a role holding it, 403 for the rest", () => {
    expect(expectedOutcome("view:audit", "anonymous", 200, can)).toBe("login");
    expect(expectedOutcome("view:audit", "token:visits", 200, can)).toBe("login");
    expect(expectedOutcome("view:audit", "lanh_dao", 200, can)).toBe(200);
    expect(expectedOutcome("view:audit", "tram_y_te", 200, can)).toBe(403);
    expect(expectedOutcome(["import:visits", "import:onboarding"], "ban_can_su_khoi", 404, can)).toBe(404);
    expect(expectedOutcome(["import:visits", "import:onboarding"], "tai_chinh", 404, can)).toBe(403);
  });

  it("explicit outcomes: the caller, then its group, then others; a rule naming nobody is an error", () => {
    const rule = { anonymous: 401, roles: 401, tokens: 403, "token:visits": 422 } as const;
    expect(expectedOutcome(rule, "token:visits", 200, can)).toBe(422);
    expect(expectedOutcome(rule, "token:onboarding", 200, can)).toBe(403);
    expect(expectedOutcome(rule, "quan_tri", 200, can)).toBe(401);
    expect(expectedOutcome({ others: 405 }, "anonymous", 200, can)).toBe(405);
    expect(() => expectedOutcome({ roles: 200 }, "anonymous", 200, can)).toThrow(/names no outcome for anonymous/);
    expect(expectedOutcome("none", "lanh_dao", 200, can)).toBe(405);
  });

  it("every probe's path is absolute and every rule answers for every caller", () => {
    for (const [file, entry] of Object.entries(ACCESS_MATRIX)) {
      if (entry === LAYOUT) continue;
      for (const probe of [entry].flat()) {
        expect(probe.path, file).toMatch(/^\//);
        for (const rule of [probe.get, probe.post]) {
          for (const caller of ["anonymous", "lanh_dao", "ban_can_su_khoi", "token:facility"] as const) {
            expect(() => expectedOutcome(rule, caller, 200, can), `${file} ${caller}`).not.toThrow();
          }
        }
      }
    }
  });
});
