import { describe, expect, it } from "vitest";
import { ACTIVITY_TYPE_LABELS, METHOD_LABELS, VISIT_TYPE_GROUPS, parseCode } from "~/domain/codes";
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, can, isBlockScoped, visibleFigures } from "~/domain/permissions";
import { foldKey } from "~/domain/text";

describe("header and code matching", () => {
  it("folds case, spaces, punctuation and diacritics", () => {
    expect(foldKey("Mã cơ sở KCB")).toBe(foldKey("ma co so kcb"));
    expect(foldKey("Số định danh / CCCD")).toBe("sodinhdanhcccd");
    expect(foldKey("ma_cskcb")).toBe(foldKey("MA CSKCB"));
    expect(foldKey("Đơn vị hỗ trợ")).toBe("donvihotro");
  });
  it("reads a coded value from its code or its Vietnamese label", () => {
    expect(parseCode(METHOD_LABELS, "the_bhyt")).toBe("the_bhyt");
    expect(parseCode(METHOD_LABELS, "Thẻ BHYT")).toBe("the_bhyt");
    expect(parseCode(METHOD_LABELS, "không")).toBe("khong");
    expect(parseCode(METHOD_LABELS, "Số định danh cá nhân")).toBe("so_dinh_danh");
    expect(parseCode(ACTIVITY_TYPE_LABELS, "LOA_FM")).toBe("loa_fm");
    expect(parseCode(METHOD_LABELS, "vân tay")).toBeNull();
    expect(parseCode(METHOD_LABELS, "")).toBeNull();
  });
  it("maps every MA_LOAI_KCB 01…16 to exactly one R2 visit type", () => {
    const all = VISIT_TYPE_GROUPS.flatMap((g) => g.codes).sort();
    expect(all).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, "0")));
  });
});

describe("permissions table", () => {
  it("names only known permissions", () => {
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
  });
  it("follows DOMAIN.md's roles", () => {
    expect(can("tram_y_te", "import:visits")).toBe(true);
    expect(can("cong_an", "import:visits")).toBe(false);
    expect(can("cong_an", "import:onboarding")).toBe(true);
    expect(can("ban_can_su_khoi", "import:onboarding")).toBe(true);
    expect(can("ban_can_su_khoi", "view:records")).toBe(false);
    expect(can("tai_chinh", "budget:review")).toBe(true);
    expect(can("tai_chinh", "budget:approve")).toBe(false);
    expect(can("lanh_dao", "budget:approve")).toBe(true);
    expect(can("quan_tri", "admin:tokens")).toBe(true);
    expect(can("lanh_dao", "admin:users")).toBe(false);
  });
  it("scopes only block committees to a block", () => {
    expect(ROLES.filter(isBlockScoped)).toEqual(["ban_can_su_khoi"]);
  });
  it("shows a block committee no visit or budget figure, the budget only with view:budget", () => {
    expect(ROLES.filter((r) => !visibleFigures(r).visits)).toEqual(["ban_can_su_khoi"]);
    expect(ROLES.filter((r) => visibleFigures(r).budget)).toEqual(["lanh_dao", "tram_y_te", "tai_chinh", "quan_tri"]);
  });
});
