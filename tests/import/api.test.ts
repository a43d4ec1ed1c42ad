// API tokens (shown once, stored hashed, scoped, revocable, last use) and the JSON push
// handler behind POST /api/v1/:source: status codes, error list, scope, rate limit, audit.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { hashApiToken } from "~/server/crypto.server";
import { handleApiImport, takeRateSlot } from "~/server/import/api.server";
import { createApiToken, listApiTokens, revokeApiToken, TokenError } from "~/server/tokens.server";
import { count, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const admin = { userId: null, username: "quantri" };

function post(source: string, token: string | null, body: unknown, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost/api/v1/${source}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return handleApiImport(db, request, source);
}

const receipt = (maLk: string, code = "200") => ({ maCSKCB: "38A15", maLK: maLk, maGiaoDich: `GD-${maLk}-${code}`, thoiGianTiepNhan: "20260304100000", maKetQua: code, thongDiep: "" });

describe("API tokens", () => {
  it("are shown once, stored only as a hash with a short prefix, listed, and revoked", async () => {
    const { id, token, prefix } = await createApiToken(db, { wardId, name: "Phòng khám 38A15", facilityCode: "38A15" }, admin);
    expect(token).toMatch(/^sskdt_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(16);
    const stored = await db.selectFrom("api_token").selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashApiToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const [view] = await listApiTokens(db, wardId);
    expect(view).toMatchObject({ id, name: "Phòng khám 38A15", prefix, facilityCode: "38A15", source: null, revokedAt: null, lastUsedAt: null });

    expect((await post("receipts", token, [receipt("A1")])).status).toBe(200);
    expect((await listApiTokens(db, wardId))[0].lastUsedAt).not.toBeNull();

    await revokeApiToken(db, wardId, id, admin);
    const denied = await post("receipts", token, [receipt("A2")]);
    expect(denied.status).toBe(401);
    expect(await count(db, "gateway_receipt")).toBe(1);
    const actions = (await db.selectFrom("audit_log").select("action").orderBy("id").execute()).map((a) => a.action);
    expect(actions).toEqual(["create", "import", "revoke", "access_denied"]);
  });

  it("must be scoped to a facility or a source, and a facility token only sends facility data", async () => {
    await expect(createApiToken(db, { wardId, name: "X" }, admin)).rejects.toThrow(TokenError);
    await expect(createApiToken(db, { wardId, name: "X", source: "nothing" }, admin)).rejects.toThrow(/không có/);
    await expect(createApiToken(db, { wardId, name: "X", facilityCode: "38A15", source: "onboarding" }, admin)).rejects.toThrow(/chỉ gửi được/);
  });
});

describe("POST /api/v1/:source", () => {
  it("takes the gateway's own names for receipts, and says what it did", async () => {
    const { token } = await createApiToken(db, { wardId, name: "Phần mềm TYT", source: "receipts" }, admin);
    const response = await post("receipts", token, [receipt("A1"), receipt("A2", "E101")]);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "committed", kind: "receipts", counts: { new: 2, updated: 0, unchanged: 0, invalid: 0 }, errors: [] });
    const again = await post("receipts", token, [receipt("A1"), receipt("A2", "E101")]);
    expect(await again.json()).toMatchObject({ status: "unchanged", counts: { unchanged: 2 } });
    const batch = await db.selectFrom("import_batch").select(["channel", "token_id", "file_name"]).orderBy("id").executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ channel: "api", file_name: "api/receipts" });
  });

  it("answers 422 with the error list; valid rows are still written", async () => {
    const { token } = await createApiToken(db, { wardId, name: "Công an", source: "onboarding" }, admin);
    const response = await post("onboarding", token, [
      { khoi: "Khối 2", so_dinh_danh: "040090001234", ngay_cai_vneid: "2026-03-01" },
      { khoi: "Khối 2", so_dinh_danh: "123", ngay_cai_vneid: "2026-03-01" },
      { khoi: "Khối 20", so_dinh_danh: "040090001235" },
    ]);
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.counts).toEqual({ new: 1, updated: 0, unchanged: 0, invalid: 2 });
    expect(body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([[2, "so_dinh_danh"], [3, "khoi"]]);
    expect(await count(db, "onboarding_record")).toBe(1);
  });

  it.each([
    ["no token", null, "receipts", [receipt("A1")], 401],
    ["a wrong token", "sskdt_wrong", "receipts", [receipt("A1")], 401],
    ["another source than the token's", "TOKEN", "onboarding", [], 403],
    ["an unknown source", "TOKEN", "budget", [], 404],
    ["not JSON", "TOKEN", "receipts", "{not json", 400],
    ["not an array", "TOKEN", "receipts", { rows: [] }, 400],
    ["an empty array", "TOKEN", "receipts", [], 422],
  ])("refuses %s", async (_, token, source, body, status) => {
    const created = await createApiToken(db, { wardId, name: "Phần mềm TYT", source: "receipts" }, admin);
    const response = await post(source, token === "TOKEN" ? created.token : token, body);
    expect(response.status).toBe(status);
    expect(await response.json()).toSatisfy((b: { error?: string; errors?: unknown[] }) => Boolean(b.error || b.errors?.length));
    expect(await count(db, "gateway_receipt")).toBe(0);
  });

  it("refuses a facility token's push holding another facility's rows, whole", async () => {
    const { token } = await createApiToken(db, { wardId, name: "Phòng khám", facilityCode: "38A15" }, admin);
    const response = await post("receipts", token, [receipt("A1"), { ...receipt("A2"), maCSKCB: "38120" }]);
    expect(response.status).toBe(422);
    expect((await response.json()).status).toBe("refused");
    expect(await count(db, "gateway_receipt")).toBe(0);
  });

  it("answers 413 for a body over the limit", async () => {
    process.env.SSKDT_IMPORT_MAX_JSON_BYTES = "100";
    try {
      const { token } = await createApiToken(db, { wardId, name: "TYT", source: "receipts" }, admin);
      expect((await post("receipts", token, [receipt("A1"), receipt("A2")])).status).toBe(413);
    } finally {
      delete process.env.SSKDT_IMPORT_MAX_JSON_BYTES;
    }
  });

  it("limits each token to 60 requests a minute, with Retry-After", async () => {
    const { token } = await createApiToken(db, { wardId, name: "TYT", source: "receipts" }, admin);
    const key = hashApiToken(token);
    for (let i = 0; i < 59; i++) expect(takeRateSlot(key).ok).toBe(true);
    expect((await post("receipts", token, [receipt("A1")])).status).toBe(200);
    const limited = await post("receipts", token, [receipt("A2")]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(takeRateSlot(key, Date.now() + 61_000).ok).toBe(true);
    expect((await db.selectFrom("audit_log").select("action").where("action", "=", "access_denied").execute()).length).toBe(1);
  });
});
