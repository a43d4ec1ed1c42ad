// Running the pilot over HTTP against the real server: every new page for every role
// (as the permissions table says), and each write by role and block — a block committee
// refused another block's resident and activities, a unit refused another unit's task.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, ROLES, type Permission, type Role } from "~/domain/permissions";
import { createPlanTask } from "~/server/plan.server";
import { defaultWardId } from "~/server/ward.server";
import { registerFacilities } from "../import/helpers";
import { Client } from "./client";
import { createTestUsers, startServer, TEST_PASSWORD, TEST_USERS, type TestServer } from "./server";

let server: TestServer;
let wardId: number;
let block3: number;
let block4: number;
let policeTask: number;
let stationTask: number;
let otherBlockActivity: number;

beforeAll(async () => {
  server = await startServer({
    setup: async (db) => {
      await createTestUsers(db);
      wardId = await defaultWardId(db);
      await registerFacilities(db, wardId, ["38120"]);
      const blocks = await db.selectFrom("block").select(["id", "number"]).execute();
      block3 = blocks.find((b) => b.number === 3)!.id;
      block4 = blocks.find((b) => b.number === 4)!.id;
      policeTask = await createPlanTask(db, { wardId, phase: 2, title: "Hỗ trợ người dân cài VNeID", responsibleUnit: "cong_an", dueDate: "2026-01-31" });
      stationTask = await createPlanTask(db, { wardId, phase: 1, title: "Rà soát hạ tầng", responsibleUnit: "tram_y_te", units: ["tram_y_te", "van_hoa_xa_hoi"], dueDate: "2026-01-31" });
      otherBlockActivity = (await db.insertInto("activity").values({
        ward_id: wardId, block_id: block4, date: "2026-03-05", type: "hoi_nghi", unit: "ban_can_su_khoi", content: "Họp khối 4", participants: 30, batch_id: null,
      }).returning("id").executeTakeFirstOrThrow()).id;
    },
  });
}, 240_000);
afterAll(() => server?.stop());

const clients = new Map<string, Client>();
async function as(username: string): Promise<Client> {
  if (!clients.has(username)) {
    const c = new Client(server.url);
    expect((await c.signIn(username, TEST_PASSWORD)).status).toBe(302);
    clients.set(username, c);
  }
  return clients.get(username)!;
}
const userOf = (role: Role) => TEST_USERS.find((u) => u.role === role)!.username;

const PAGES: Array<[string, Permission | Permission[]]> = [
  ["/admin/catalog", "admin:catalog"],
  ["/targets", "edit:targets"],
  ["/entry/onboarding", "entry:onboarding"],
  ["/activities", "edit:activities"],
  ["/plan", "view:plan"],
  ["/urge", "view:plan"],
  ["/reporting", "view:reporting"],
  ["/infrastructure", ["view:infrastructure", "edit:infrastructure"]],
];

describe("the pilot's pages by role", () => {
  it.each(ROLES)("%s opens exactly the pages its permissions allow", async (role) => {
    const client = await as(userOf(role));
    for (const [path, permission] of PAGES) {
      const allowed = (typeof permission === "string" ? [permission] : permission).some((p) => can(role, p));
      const response = await client.get(path);
      expect([path, response.status]).toEqual([path, allowed ? 200 : 403]);
    }
  });

  it("shows the vice chair the reporting panel on the dashboard, never the block committee", async () => {
    expect(await (await (await as("lanhdao")).get("/dashboard")).text()).toContain("Chưa gửi số liệu");
    expect(await (await (await as("khoi3")).get("/dashboard")).text()).not.toContain("Chưa gửi số liệu");
  });
});

describe("writes by role and block", () => {
  const resident = (blockId: number, pid = "040090001234") => ({
    blockId: String(blockId), pid, vneid: "2026-03-02", level2: "2026-03-03", bhyt: "", supportUnit: "ban_can_su_khoi",
  });

  it("a block committee records a resident of its block, hashed with the last 4 digits, and is refused another block's", async () => {
    const khoi3 = await as("khoi3");
    const refused = await khoi3.post("/entry/onboarding", resident(block4, "040090005678"));
    expect(refused.status).toBe(403);
    const ok = await khoi3.post("/entry/onboarding", resident(block3));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Đã ghi nhận.");
    const rows = await server.db.selectFrom("onboarding_record").select(["block_id", "pid_hash", "pid_last4", "vneid_installed_on"]).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ block_id: block3, pid_last4: "1234", vneid_installed_on: "2026-03-02" });
    expect(rows[0].pid_hash).not.toContain("040090001234");
    const batch = await server.db.selectFrom("import_batch").select(["channel", "kind", "status"]).where("kind", "=", "onboarding").execute();
    expect(batch).toEqual([{ channel: "form", kind: "onboarding", status: "committed" }]);
  });

  it("validates the personal ID as the import does: a bad one writes nothing and says why", async () => {
    const response = await (await as("congan")).post("/entry/onboarding", resident(block4, "04009000123"));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/12 chữ số/);
    expect(await server.db.selectFrom("onboarding_record").select("id").where("block_id", "=", block4).execute()).toEqual([]);
  });

  it("a block committee creates its block's activities, and may not create, edit or delete another block's", async () => {
    const khoi3 = await as("khoi3");
    const activity = (blockId: number) => ({ intent: "create", type: "loa_fm", date: "2026-03-10", unit: "ban_can_su_khoi", blockId: String(blockId), content: "Phát thanh", participants: "200" });
    expect((await khoi3.post("/activities", activity(block4))).status).toBe(403);
    expect((await khoi3.post("/activities", { ...activity(block3), intent: "update", activityId: String(otherBlockActivity) })).status).toBe(403);
    expect((await khoi3.post("/activities", { intent: "delete", activityId: String(otherBlockActivity) })).status).toBe(403);
    expect((await khoi3.post("/activities", activity(block3))).status).toBe(200);
    const blocks = await server.db.selectFrom("activity").select(["block_id", "content"]).orderBy("id").execute();
    expect(blocks).toEqual([{ block_id: block4, content: "Họp khối 4" }, { block_id: block3, content: "Phát thanh" }]);
    // The culture officer may edit any block's activity; bad input is refused with its reason.
    const vanhoa = await as("vanhoa");
    const bad = await vanhoa.post("/activities", { ...activity(block4), intent: "update", activityId: String(otherBlockActivity), type: "hop_cho" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Loại hoạt động/);
    expect((await vanhoa.post("/activities", { ...activity(block4), intent: "update", activityId: String(otherBlockActivity) })).status).toBe(200);
    expect((await server.db.selectFrom("activity").select("content").where("id", "=", otherBlockActivity).executeTakeFirstOrThrow()).content).toBe("Phát thanh");
    const denied = await server.db.selectFrom("audit_log").select("target").where("action", "=", "access_denied").where("username", "=", "khoi3").execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it("each unit updates its own tasks only; leadership edits and reassigns", async () => {
    const progress = (taskId: number) => ({ intent: "progress", taskId: String(taskId), status: "doing", note: "Đang làm", evidenceUrl: "https://example.org/bien-ban.pdf" });
    expect((await (await as("tramyte")).post("/plan", progress(policeTask))).status).toBe(403);
    expect((await (await as("tramyte")).post("/plan", progress(stationTask))).status).toBe(200);
    expect((await (await as("vanhoa")).post("/plan", progress(stationTask))).status).toBe(200); // a shared task
    expect((await (await as("taichinh")).post("/plan", { ...progress(stationTask), intent: "edit", title: "X", phase: "1", units: "tai_chinh_ke_toan" })).status).toBe(403);
    const reassign = await (await as("lanhdao")).post("/plan", { intent: "edit", taskId: String(policeTask), title: "Hỗ trợ người dân cài VNeID", phase: "2", units: "ban_can_su_khoi", dueDate: "2026-02-28" });
    expect(reassign.status).toBe(200);
    const task = await server.db.selectFrom("plan_task").select(["responsible_unit", "units", "due_date"]).where("id", "=", policeTask).executeTakeFirstOrThrow();
    expect(task).toEqual({ responsible_unit: "ban_can_su_khoi", units: "ban_can_su_khoi", due_date: "2026-02-28" });
    expect((await (await as("congan")).post("/plan", progress(policeTask))).status).toBe(403); // no longer its task
    expect((await (await as("khoi3")).post("/plan", progress(policeTask))).status).toBe(200);
  });

  it("readiness: the health station records checks; leadership reads them", async () => {
    const facility = (await server.db.selectFrom("facility").select("id").where("code", "=", "38120").executeTakeFirstOrThrow()).id;
    const check = { facilityId: String(facility), category: "internet", status: "dat", note: "100 Mbps" };
    expect((await (await as("lanhdao")).post("/infrastructure", check)).status).toBe(403);
    expect((await (await as("tramyte")).post("/infrastructure", check)).status).toBe(200);
    expect((await (await as("tramyte")).post("/infrastructure", { ...check, category: "tivi" })).status).toBe(400);
    const page = await (await (await as("lanhdao")).get("/infrastructure")).text();
    expect(page).toMatch(/Toàn phường: 1 \/ 6 hạng mục sẵn sàng/);
    expect(page).toContain("100 Mbps");
  });

  it("targets: leadership and the administrator only", async () => {
    const target = { intent: "create", indicator: "i3.rate", blockId: "", period: "2026", threshold: "90" };
    expect((await (await as("taichinh")).post("/targets", target)).status).toBe(403);
    expect((await (await as("lanhdao")).post("/targets", target)).status).toBe(200);
    expect(await server.db.selectFrom("target").select(["indicator", "threshold", "period"]).execute()).toEqual([{ indicator: "i3.rate", threshold: 0.9, period: "2026" }]);
  });

  it("the catalogue: the administrator only", async () => {
    const add = { intent: "add-facility", code: "38a15", name: "Phòng khám Hưng Phát", kind: "phong_kham" };
    expect((await (await as("tramyte")).post("/admin/catalog", add)).status).toBe(403);
    expect((await (await as("quantri")).post("/admin/catalog", add)).status).toBe(200);
    expect((await (await as("quantri")).post("/admin/catalog", { intent: "rename-block", blockId: String(block4), name: "Khối Bốn" })).status).toBe(200);
    const population = await (await as("quantri")).post("/admin/catalog", { intent: "population", block: "Khối Bốn", effectiveDate: "2026-01-01", population: "1450" });
    expect(population.status).toBe(200);
    expect(await server.db.selectFrom("facility").select("code").where("code", "=", "38A15").execute()).toHaveLength(1);
    expect(await server.db.selectFrom("block_population").select(["block_id", "population"]).execute()).toEqual([{ block_id: block4, population: 1450 }]);
  });
});
