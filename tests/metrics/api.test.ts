// GET /api/v1/metrics against the real server: the CLI's object for a session or a token,
// a block committee's view, a facility token held to its facility, errors, the audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePeriod } from "~/domain/periods";
import { computeMetrics } from "~/server/metrics/engine.server";
import { publicMetrics } from "~/domain/metrics-types";
import { setInstallationSecret } from "~/server/crypto.server";
import { createApiToken } from "~/server/tokens.server";
import { Client } from "../http/client";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "../http/server";
import { at, WardFixture } from "./fixture";

let server: TestServer;
let ward: WardFixture;
const tokens: Record<string, string> = {};
const AS_OF = "2026-04-02T08:00:00+07:00";
const SECRET = "metrics-api-test-secret-0123456789abcdef";

beforeAll(async () => {
  setInstallationSecret(SECRET); // tokens are stored as keyed hashes: the server must share the key
  server = await startServer({
    env: { SSKDT_SECRET: SECRET },
    setup: async (db) => {
      await createTestUsers(db);
      ward = await WardFixture.create(db);
      const a = await ward.facility("11111", "Trạm Y tế");
      const b = await ward.facility("22222", "Phòng khám");
      await ward.visit({ facility: a, maLk: "A1", checkin: at(2026, 3, 2, 8), ended: at(2026, 3, 2, 9), pid: "P1", method: "so_dinh_danh" });
      await ward.receipt(a, "A1", at(2026, 3, 2, 20));
      await ward.display(a, "A1", at(2026, 3, 3, 8));
      await ward.visit({ facility: b, maLk: "B1", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 9), method: "khong" });
      await ward.onboarding(3, "R1", { vneid: "2026-03-01" });
      await ward.onboarding(4, "R2", { vneid: "2026-03-01", level2: "2026-03-02" });
      await ward.activity("2026-03-10", "hoi_nghi", "ban_can_su_khoi", 40, 3);
      await ward.activity("2026-03-11", "tap_huan", "tram_y_te", 15);
      await ward.commit();
      const actor = { userId: null, username: "test" };
      // Reading takes a token of the read scope (a pushing system's token cannot).
      tokens.clinic = (await createApiToken(db, { wardId: ward.wardId, name: "Phần mềm phòng khám", facilityCode: "22222", scope: "read" }, actor)).token;
      tokens.ward = (await createApiToken(db, { wardId: ward.wardId, name: "Báo cáo phường", scope: "read" }, actor)).token;
    },
  });
}, 300_000);
afterAll(() => server?.stop());

const march = `/api/v1/metrics?period=2026-03&asOf=${encodeURIComponent(AS_OF)}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function signedIn(username: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.signIn(username, TEST_PASSWORD)).status).toBe(302);
  return client;
}

describe("GET /api/v1/metrics", () => {
  it("answers a signed-in official with the same object as the engine (and the CLI)", async () => {
    const response = await (await signedIn("lanhdao")).get(march);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = await response.json();
    const expected = await computeMetrics(server.db, { wardId: ward.wardId, period: parsePeriod("2026-03"), asOf: at(2026, 4, 2, 8) });
    expect(body).toEqual(JSON.parse(JSON.stringify(publicMetrics(expected))));
    expect(body.i1).toMatchObject({ total: 2, identified: 1 });
    expect(body.i3).toMatchObject({ onTime: 1 });
  });

  it("gives a block committee its own block's I4 and I5 only, nothing ward-wide", async () => {
    const client = await signedIn("khoi3");
    const response = await client.get(march);
    expect(response.status).toBe(200);
    const body = await response.json();
    // The dashboard's view of a block committee: no visit figure, no budget.
    expect(Object.keys(body)).toEqual(["period", "asOf", "facility", "i1", "i2", "i3", "i4", "i5", "i6"]);
    expect(body).toMatchObject({ facility: null, i1: null, i2: null, i3: null, i6: null });
    expect(body.i4.blocks.map((b: { block: string }) => b.block)).toEqual(["Khối 3"]);
    expect(body.i4.ward).toMatchObject({ vneidInstalled: 1, level2Activated: 0 });
    expect(body.i5).toMatchObject({ total: 1, reach: 40, byType: { hoi_nghi: 1, tap_huan: 0 } });
    // A facility filter has nothing to filter for it: ignored, even an unknown code.
    const filtered = await (await client.get(`${march}&facility=99999`)).json();
    expect(filtered).toEqual(body);
  });

  it("leaves the budget out for a role that may not see it", async () => {
    const body = await (await (await signedIn("congan")).get(march)).json();
    expect(body.i6).toBeNull();
    expect(body.i1).toMatchObject({ total: 2, identified: 1 });
    expect(body.i4.blocks).toHaveLength(9);
    const finance = await (await (await signedIn("taichinh")).get(march)).json();
    expect(finance.i6).toMatchObject({ year: 2026, spent: 0 });
  });

  it("holds a facility's token to its facility", async () => {
    const own = await new Client(server.url).get(march, bearer(tokens.clinic));
    expect(own.status).toBe(200);
    const body = await own.json();
    expect(body.facility).toBe("22222");
    expect(body.i1).toMatchObject({ total: 1, identified: 0 });
    expect(body.i6).toBeNull(); // the ward's budget is not the facility's
    const other = await new Client(server.url).get(`${march}&facility=11111`, bearer(tokens.clinic));
    expect(other.status).toBe(403);
    const wardWide = await (await new Client(server.url).get(`${march}&facility=11111`, bearer(tokens.ward))).json();
    expect(wardWide.i1).toMatchObject({ total: 1, identified: 1 });
    expect(wardWide.i6).toMatchObject({ year: 2026 });
  });

  it("refuses without credentials, with a bad token, a bad period or time", async () => {
    const client = new Client(server.url);
    expect((await client.get(march)).status).toBe(401);
    expect((await client.get(march, bearer("sskdt_nope"))).status).toBe(401);
    const badPeriod = await client.get("/api/v1/metrics?period=2026-13", bearer(tokens.ward));
    expect(badPeriod.status).toBe(400);
    expect((await badPeriod.json()).error).toContain("2026-13");
    expect((await client.get("/api/v1/metrics?period=2026-03&asOf=yesterday", bearer(tokens.ward))).status).toBe(400);
    expect((await client.get("/api/v1/metrics", bearer(tokens.ward))).status).toBe(400);
    expect((await client.get("/api/v1/metrics?period=2026-03&facility=99999", bearer(tokens.ward))).status).toBe(400);
  });

  it("writes each view to the audit log", async () => {
    await new Client(server.url).get(march, bearer(tokens.clinic));
    const row = await server.db
      .selectFrom("audit_log")
      .select(["action", "target", "username", "detail"])
      .where("target", "=", "api:metrics")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: "view", username: "token:Phần mềm phòng khám" });
    expect(JSON.parse(row.detail!)).toMatchObject({ period: "2026-03", facility: "22222", asOf: AS_OF });
  });
});
