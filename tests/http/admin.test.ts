// The administrator's pages over HTTP: accounts and settings change what others see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "./server";

let server: TestServer;
let admin: Client;

beforeAll(async () => {
  server = await startServer({ setup: createTestUsers });
  admin = new Client(server.url);
  expect((await admin.signIn("quantri", TEST_PASSWORD)).status).toBe(302);
});
afterAll(() => server?.stop());

describe("accounts page", () => {
  it("adds a block committee with a one-time password that signs in, then disables it", async () => {
    const added = await admin.post("/admin/users", { intent: "add", username: "khoi7", displayName: "Bùi Văn Bảy", role: "ban_can_su_khoi", block: "7", password: "" });
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain("Đã tạo tài khoản khoi7.");
    const password = /<code>([^<]+)<\/code>/.exec(html)![1];

    // A generated password is changed at the first sign-in: no other page opens before.
    const khoi7 = new Client(server.url);
    expect((await khoi7.signIn("khoi7", password)).headers.get("location")).toBe("/account/password");
    expect((await khoi7.get("/dashboard")).headers.get("location")).toBe("/account/password");
    const changed = await khoi7.post("/account/password", { current: password, next: "mot cau de nho cua khoi bay", confirm: "mot cau de nho cua khoi bay" });
    expect(changed.headers.get("location")).toBe("/dashboard");
    expect((await khoi7.get("/dashboard")).status).toBe(200);
    const list = await (await admin.get("/admin/users")).text();
    expect(list).toContain("Bùi Văn Bảy");
    expect(list).toContain("Ban cán sự khối · Khối 7");
    expect(list).not.toContain(password);

    expect((await admin.post("/admin/users", { intent: "disable", username: "khoi7" })).status).toBe(200);
    expect((await khoi7.get("/dashboard")).status).toBe(302);
    expect((await new Client(server.url).signIn("khoi7", "mot cau de nho cua khoi bay")).status).toBe(401);
  });

  it("refuses an invalid account and the admin disabling itself", async () => {
    const noBlock = await admin.post("/admin/users", { intent: "add", username: "khoi8", displayName: "X", role: "ban_can_su_khoi" });
    expect(noBlock.status).toBe(400);
    expect(await noBlock.text()).toContain("phải chọn khối");
    const self = await admin.post("/admin/users", { intent: "disable", username: "quantri" });
    expect(self.status).toBe(400);
  });

  it("is closed to other roles, for reading and for writing", async () => {
    const leader = new Client(server.url);
    await leader.signIn("lanhdao", TEST_PASSWORD);
    expect((await leader.get("/admin/users")).status).toBe(403);
    expect((await leader.post("/admin/users", { intent: "add", username: "x1", displayName: "X", role: "quan_tri", password: "12345678" })).status).toBe(403);
    expect(await server.db.selectFrom("app_user").select("id").where("username", "=", "x1").executeTakeFirst()).toBeUndefined();
  });
});

describe("settings page", () => {
  const valid = {
    name: "Phường Hòa Bình", code: "12345", placeName: "Hòa Bình", onBehalf: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH", signerName: "Nguyễn Văn Ký",
    recipients: "UBND thành phố | UBND TP\nTrung tâm Y tế khu vực",
    group_kham_ngoai_tru: "01, 10, 11, 12, 13, 15, 16", group_dieu_tri_ngoai_tru: "02 05 06 08", group_linh_thuoc: "7",
    group_noi_tru: "03,09", group_noi_tru_ban_ngay: "04", group_tu_xa: "14",
  };

  it("saves the ward, signer, recipients and visit-type rows; the header shows the new name", async () => {
    const saved = await admin.post("/admin/settings", valid);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Đã lưu cấu hình.");
    expect(await (await admin.get("/budget")).text()).toContain("Phường Hòa Bình");
    const settings = await server.db.selectFrom("setting").select(["key", "value"]).execute();
    const value = (key: string) => JSON.parse(settings.find((s) => s.key === key)!.value);
    expect(value("recipients")).toEqual([{ name: "UBND thành phố", shortName: "UBND TP" }, { name: "Trung tâm Y tế khu vực", shortName: "Trung tâm Y tế khu vực" }]);
    expect(value("visitTypeGroups").linh_thuoc).toEqual(["07"]);
    expect(value("signer")).toEqual({ onBehalf: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH", name: "Nguyễn Văn Ký" });
  });

  it("refuses a bad ward code and a code in two rows, changing nothing", async () => {
    const badCode = await admin.post("/admin/settings", { ...valid, code: "12A45", name: "Phường Khác" });
    expect(badCode.status).toBe(400);
    expect(await badCode.text()).toContain("Mã đơn vị hành chính gồm 5 chữ số.");
    const twice = await admin.post("/admin/settings", { ...valid, group_tu_xa: "14, 07", name: "Phường Khác" });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("Mã 07 nằm ở cả");
    expect((await server.db.selectFrom("ward").select("name").executeTakeFirstOrThrow()).name).toBe("Phường Hòa Bình");
  });
});
