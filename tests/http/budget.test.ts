// The budget pages over HTTP, against the real server: who may open and post what, a
// refused post writing nothing, the locked estimate, and the audit of each step.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "./server";

let server: TestServer;
const clients = new Map<string, Client>();

beforeAll(async () => {
  server = await startServer({ setup: createTestUsers });
  for (const username of ["tramyte", "taichinh", "lanhdao", "khoi3", "congan", "quantri"]) {
    const c = new Client(server.url);
    expect((await c.signIn(username, TEST_PASSWORD)).status).toBe(302);
    clients.set(username, c);
  }
});
afterAll(() => server?.stop());

const as = (username: string) => clients.get(username)!;
const year = new Date().getFullYear();
const lines = JSON.stringify([{ id: null, category: "thiet_bi", content: "Máy quét", unit: "cái", quantity: "1", unitPrice: "8.200.000", basis: "" }]);
const estimate = async (id: number) => server.db.selectFrom("budget_estimate").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("budget over HTTP", () => {
  it("opens Kinh phí to the budget roles only", async () => {
    for (const u of ["tramyte", "taichinh", "lanhdao", "quantri"]) expect((await as(u).get("/budget")).status).toBe(200);
    for (const u of ["khoi3", "congan"]) {
      expect((await as(u).get("/budget")).status).toBe(403);
      expect((await as(u).get("/budget/spending")).status).toBe(403);
      expect((await as(u).get(`/budget/r3.xlsx?year=${year}`)).status).toBe(403);
    }
  });

  it("lets each role take only its own step, and locks the approved estimate", async () => {
    for (const u of ["taichinh", "lanhdao"]) expect((await as(u).post("/budget?index", { year: String(year) })).status).toBe(403);
    const started = await as("tramyte").post("/budget?index", { year: String(year) });
    expect(started.status).toBe(302);
    const id = Number(/\/budget\/(\d+)/.exec(started.headers.get("location")!)![1]);
    const path = `/budget/${id}`;

    // Only the station edits; a refused edit writes nothing.
    expect((await as("taichinh").post(path, { intent: "save", title: "x", lines })).status).toBe(403);
    expect((await as("tramyte").post(path, { intent: "save", title: "Dự toán", lines: lines.replace("8.200.000", "8,5") })).status).toBe(400);
    expect(await server.db.selectFrom("budget_line").select("id").where("estimate_id", "=", id).execute()).toEqual([]);
    expect((await as("tramyte").post(path, { intent: "save", title: "Dự toán", lines })).status).toBe(200);
    expect((await server.db.selectFrom("budget_line").select("amount").where("estimate_id", "=", id).execute())).toEqual([{ amount: 8_200_000 }]);

    const step = (u: string, s: string, comment = "") => as(u).post(path, { intent: "transition", step: s, comment });
    // Another role's step is an audited 403; the right role in the wrong state a 400 with the reason.
    expect((await step("lanhdao", "submit")).status).toBe(403);
    expect((await step("tramyte", "approve")).status).toBe(403);
    expect((await step("tramyte", "submit")).status).toBe(200);
    expect((await step("lanhdao", "approve")).status).toBe(400); // not reviewed yet
    expect((await step("taichinh", "forward", "Phù hợp")).status).toBe(200);
    expect((await step("taichinh", "approve")).status).toBe(403);
    expect((await step("taichinh", "forward")).status).toBe(400); // already forwarded
    expect((await step("lanhdao", "approve")).status).toBe(200);
    expect((await estimate(id)).status).toBe("approved");
    const locked = await as("tramyte").post(path, { intent: "save", title: "Đổi", lines });
    expect(locked.status).toBe(400);
    expect(await locked.text()).toContain("đã khóa");
    expect((await estimate(id)).title).not.toBe("Đổi");

    // The approved R3 is stored and downloaded byte for byte; each step and download is audited.
    const stored = Buffer.from((await estimate(id)).frozen_xlsx!);
    const download = Buffer.from(await (await as("taichinh").get(`${path}/r3.xlsx`)).arrayBuffer());
    expect(download.equals(stored)).toBe(true);
    const actions = await server.db.selectFrom("audit_log").select(["action", "username"]).where("target", "like", `budget:${id}%`).orderBy("id").execute();
    expect(actions.filter((a) => a.action !== "view" && a.action !== "access_denied")).toEqual([
      { action: "create", username: "tramyte" }, { action: "update", username: "tramyte" }, { action: "submit", username: "tramyte" },
      { action: "review", username: "taichinh" }, { action: "approve", username: "lanhdao" }, { action: "download", username: "taichinh" },
    ]);

    // Spending is the finance officer's; the station may look but not record.
    const lineId = String((await server.db.selectFrom("budget_line").select("id").where("estimate_id", "=", id).executeTakeFirstOrThrow()).id);
    const spend = { line: lineId, date: `${year}-03-02`, amount: "8.000.000", documentRef: "PC 1", content: "Mua máy quét" };
    expect((await as("tramyte").get("/budget/spending")).status).toBe(200);
    expect((await as("tramyte").post("/budget/spending", spend)).status).toBe(403);
    expect((await as("taichinh").post("/budget/spending", spend)).status).toBe(200);
    const over = await as("taichinh").post("/budget/spending", { ...spend, amount: "300.000" });
    expect(await over.text()).toContain("vượt dự toán");
    expect(await server.db.selectFrom("expenditure").select("amount").execute()).toEqual([{ amount: 8_000_000 }]);
  });
});
