// requireBlockScope is synchronous and has no request: tested directly. The other guards
// are exercised over HTTP in tests/http/auth.test.ts.
import { beforeAll, describe, expect, it } from "vitest";

process.env.DATABASE_URL = ":memory:";
const { requireBlockScope } = await import("./guard.server");
const { getDb } = await import("./db.server");
const { ensureWard } = await import("./ward.server");

const committee = { id: 1, wardId: 1, username: "khoi3", displayName: "Khối 3", role: "ban_can_su_khoi" as const, blockId: 3 };

beforeAll(async () => {
  await ensureWard(await getDb());
});

function refusal(fn: () => void): Response | undefined {
  try {
    fn();
  } catch (thrown) {
    return thrown as Response;
  }
  return undefined;
}

describe("requireBlockScope", () => {
  it("lets a block committee touch its own block only, and audits a refusal", async () => {
    expect(refusal(() => requireBlockScope(committee, 3))).toBeUndefined();
    for (const other of [4, null]) {
      const response = refusal(() => requireBlockScope(committee, other));
      expect(response).toBeInstanceOf(Response);
      expect(response!.status).toBe(403);
    }
    // The audit runs alongside the refusal: wait for its rows rather than a fixed time (PostgreSQL under load took longer than 50 ms).
    const rows = () => getDb().then((db) => db.selectFrom("audit_log").select(["action", "target", "username"]).orderBy("seq").execute());
    await expect.poll(rows, { timeout: 5000 }).toHaveLength(2);
    expect(await rows()).toEqual([
      { action: "access_denied", target: "block:4", username: "khoi3" },
      { action: "access_denied", target: "block:all", username: "khoi3" },
    ]);
  });

  it("does not limit roles that are not block-scoped", () => {
    expect(refusal(() => requireBlockScope({ ...committee, role: "lanh_dao", blockId: null }, 5))).toBeUndefined();
    expect(refusal(() => requireBlockScope({ ...committee, role: "cong_an", blockId: null }, null))).toBeUndefined();
  });
});
