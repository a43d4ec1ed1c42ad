// The audit viewer on the real server: filters by user, action and date, details in
// Vietnamese words, and the same selection as an .xlsx file.
import crypto from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { audit } from "~/server/audit.server";
import { setInstallationSecret } from "~/server/crypto.server";
import { describeAuditDetail } from "~/domain/audit-labels";
import { localToEpoch } from "~/domain/time";
import { Client } from "../http/client";
import { TEST_PASSWORD, createTestUsers, startServer, type TestServer } from "../http/server";

const secret = crypto.randomBytes(32).toString("hex");
let server: TestServer;
let leader: Client;

beforeAll(async () => {
  setInstallationSecret(secret);
  server = await startServer({
    env: { SSKDT_SECRET: secret },
    setup: async (db) => {
      await createTestUsers(db);
      const wardId = (await db.selectFrom("ward").select("id").executeTakeFirstOrThrow()).id;
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(localToEpoch(2026, 3, 2, 9) * 1000);
        await audit(db, {
          action: "import", wardId, username: "tramyte", target: "ket-qua-gui.csv",
          detail: { channel: "cli", tokenId: null, files: 1, new: 12, updated: 3, unchanged: 0, invalid: 1, batches: [7, 7] },
        });
        vi.setSystemTime(localToEpoch(2026, 3, 20, 15) * 1000);
        await audit(db, { action: "login_failed", wardId, username: "congan", detail: { reason: "password" } });
        await audit(db, { action: "view", wardId, username: "tramyte", target: "dashboard", detail: { period: "2026-Q1" } });
      } finally {
        vi.useRealTimers();
      }
    },
  });
  leader = new Client(server.url);
  expect((await leader.signIn("lanhdao", TEST_PASSWORD)).status).toBe(302);
}, 120_000);
afterAll(() => server?.stop());

const rowsOf = (html: string) => [...html.matchAll(/<tr><td class="nowrap">([^<]*)<\/td><td class="mono">([^<]*)<\/td><td class="nowrap">([^<]*)<\/td><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td>/g)]
  .map((m) => ({ at: m[1], user: m[2], action: m[3], target: m[4], detail: m[5] }));

describe("the audit viewer", () => {
  it("describes details in Vietnamese words", () => {
    expect(describeAuditDetail("import", JSON.stringify({ channel: "cli", tokenId: null, files: 1, new: 12, updated: 3, unchanged: 0, invalid: 1, batches: [7, 7] })))
      .toBe("qua dòng lệnh · 1 tệp · mới 12, cập nhật 3, không đổi 0, dòng lỗi 1 · lô nhập số 7");
    expect(describeAuditDetail("login_failed", '{"reason":"unknown_user"}')).toBe("tên đăng nhập không tồn tại");
    expect(describeAuditDetail("access_denied", '{"permission":"view:audit"}')).toBe("cần quyền xem nhật ký");
    expect(describeAuditDetail("view", '{"period":"2026-Q1","page":1}')).toMatch(/^kỳ Quý I\/2026$|^kỳ .*2026$/);
    expect(describeAuditDetail("view", '{"someNewKey":5}')).toBe("someNewKey: 5"); // nothing is hidden
  });

  it("filters by user, by action and by date", async () => {
    const byUser = rowsOf(await (await leader.get("/audit?username=tramyte")).text());
    expect(byUser.map((r) => r.action)).toEqual(["Xem", "Nhập dữ liệu"]);
    expect(byUser[1]).toMatchObject({ at: "02/03/2026 09:00", target: "ket-qua-gui.csv", detail: "qua dòng lệnh · 1 tệp · mới 12, cập nhật 3, không đổi 0, dòng lỗi 1 · lô nhập số 7" });
    expect(byUser[0]).toMatchObject({ target: "Tổng quan" });

    const failures = rowsOf(await (await leader.get("/audit?action=login_failed")).text());
    expect(failures).toEqual([expect.objectContaining({ user: "congan", action: "Đăng nhập thất bại", detail: "sai mật khẩu" })]);

    const march1to10 = rowsOf(await (await leader.get("/audit?from=2026-03-01&to=2026-03-10")).text());
    expect(march1to10.map((r) => r.at)).toEqual(["02/03/2026 09:00"]);
    const fromTheTwentieth = rowsOf(await (await leader.get("/audit?from=2026-03-20&to=2026-03-20")).text());
    expect(fromTheTwentieth.map((r) => r.user)).toEqual(["tramyte", "congan"]);
  });

  it("exports the selection as .xlsx, and audits the export", async () => {
    const response = await leader.get("/audit.xlsx?username=tramyte");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(cells(4)).toEqual(["Thời gian", "Người dùng", "Thao tác", "Đối tượng", "Chi tiết", "Địa chỉ IP"]);
    expect(cells(5).slice(0, 4)).toEqual(expect.arrayContaining(["tramyte", "Xem", "Tổng quan"]));
    expect(cells(6).slice(0, 5)).toEqual(["02/03/2026 09:00", "tramyte", "Nhập dữ liệu", "ket-qua-gui.csv", "qua dòng lệnh · 1 tệp · mới 12, cập nhật 3, không đổi 0, dòng lỗi 1 · lô nhập số 7"]);
    expect(sheet.rowCount).toBe(6);
    const exported = await server.db.selectFrom("audit_log").select(["username", "detail"]).where("action", "=", "export").where("target", "=", "audit.xlsx").execute();
    expect(exported).toEqual([{ username: "lanhdao", detail: JSON.stringify({ username: "tramyte", rows: 2 }) }]);
  });
});
