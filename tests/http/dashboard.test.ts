// The dashboard, the records behind a figure and the work list over HTTP against the
// real server: the figures of a hand-checked ward, a block committee limited to its own
// block (in the page and in the data request), no personal identifier anywhere, audits.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mainText, signedInClient } from "./client";
import { SECRET_LAST4, startDashboardServer } from "./dashboard-fixture";
import { TEST_PASSWORD, type TestServer } from "./server";

let server: TestServer;

beforeAll(async () => {
  server = await startDashboardServer();
});
afterAll(() => server?.stop());

const signedIn = (username: string) => signedInClient(server.url, username, TEST_PASSWORD);

const MARCH = "/dashboard?period=2026-03";

describe("dashboard for the ward's leadership", () => {
  it("shows March's figures with their targets and the change since February", async () => {
    const response = await (await signedIn("lanhdao")).get(MARCH);
    expect(response.status).toBe(200);
    const text = await mainText(response);
    expect(text).toContain("Tháng 3/2026");
    expect(text).toMatch(/83,3 %.*5 \/ 6 lượt khám.*Đạt · chỉ tiêu 80,0 %.*\+33,3 điểm % so với Tháng 2\/2026/);
    expect(text).toMatch(/66,7 %.*4 \/ 6 hồ sơ đã kết thúc.*Không có chỉ tiêu.*\+16,7 điểm %/);
    expect(text).toMatch(/50,0 %.*2 \/ 4 hồ sơ · đang chờ 0.*Chưa đạt · chỉ tiêu 90,0 %.*−50,0 điểm %/);
    // Fully onboarded over the ward's eligible population: 2 / 300.
    expect(text).toMatch(/0,7 %.*2 \/ 300 người/);
    // The overdue record to chase, every facility, every block, the budget.
    expect(text).toContain("PK0315");
    expect(text).toContain("Phòng khám Đa khoa An Bình");
    expect(text).toMatch(/Khối 3.*Khối 5/);
    expect(text).toContain("12.500.000 đ");
    expect(text).toContain("2.500.000 đ");
    expect(text).toContain("20,0 %");
    expect(text).not.toContain(SECRET_LAST4);
    const seen = await server.db.selectFrom("audit_log").select(["target", "detail"])
      .where("username", "=", "lanhdao").where("action", "=", "view").execute();
    expect(seen.map((a) => [a.target, JSON.parse(a.detail!).period])).toContainEqual(["dashboard", "2026-03"]);
  });

  it("links each figure to its records for the same period", async () => {
    const html = await (await (await signedIn("lanhdao")).get(MARCH)).text();
    expect(html).toContain('href="/records?figure=i1.identified&amp;period=2026-03"');
    expect(html).toContain('href="/records?figure=i3.overdue&amp;period=2026-03"');
    expect(html).toContain('href="/worklist?period=2026-03"');
  });

  it("shows an empty period as empty, with rates as — rather than 0 %", async () => {
    const text = await mainText(await (await signedIn("lanhdao")).get("/dashboard?period=2025-06"));
    expect(text).toContain("Chưa có dữ liệu cho kỳ này");
    expect(text).toMatch(/Lượt KCB tiếp nhận bằng định danh — 0 \/ 0/);
    expect(text).not.toMatch(/\b0,0 %/);
  });

  it("refuses an unreadable period with a 400 that says why", async () => {
    const response = await (await signedIn("lanhdao")).get("/dashboard?period=2026-13");
    expect(response.status).toBe(400);
    expect(await mainText(response)).toContain("Tháng không hợp lệ: 2026-13");
  });

  it("tells the year's approved amount, spent to date and spent in the period apart, with — where nothing was spent", async () => {
    // April: the March spending is in the year to date, nothing is spent in the period.
    const html = await (await (await signedIn("taichinh")).get("/dashboard?period=2026-04")).text();
    const figure = (id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
    expect(figure("i6-approved")).toBe("12.500.000 đ");
    expect(figure("budget-spent-ytd")).toBe("2.500.000 đ");
    expect(html).toContain("Đã chi từ đầu năm đến 30/04/2026");
    expect(figure("budget-execution-ytd")).toBe("20,0 %");
    expect(figure("i6-spent")).toBe("—");
    expect(figure("i6-cost-onboarded")).toBe("—");
    expect(figure("i6-cost-record")).toBe("—");
    expect(html).toMatch(/data-testid="budget-categories"[\s\S]*Trang thiết bị \(máy tính, máy in, máy quét\)/);
  });

  it("hides the budget from a role without budget access", async () => {
    const text = await mainText(await (await signedIn("congan")).get(MARCH));
    expect(text).toContain("83,3 %");
    expect(text).not.toContain("12.500.000 đ");
  });
});

describe("dashboard for a block committee", () => {
  it("shows Khối 3's onboarding and activities and nothing of the ward's visits or other blocks", async () => {
    const client = await signedIn("khoi3");
    const response = await client.get(MARCH);
    expect(response.status).toBe(200);
    const text = await mainText(response);
    expect(text).toContain("Tổng quan — Khối 3");
    // Fully onboarded 1 of 100 against the block's target of 5 %; VNeID 3 of 100.
    expect(text).toMatch(/1,0 %.*1 \/ 100 người.*Chưa đạt · chỉ tiêu 5,0 %/);
    expect(text).toMatch(/3,0 %.*3 \/ 100 người/);
    // Its own broadcast only: not the ward's conference nor Khối 5's training.
    expect(text).toMatch(/Tổng số hoạt động 1 Lượt người tham dự \/ tiếp cận 300/);
    expect(text).toMatch(/Phát thanh loa FM 1/);
    expect(text).toMatch(/Tập huấn 0/);
    for (const hidden of ["Khối 5", "79001", "79002", "PK0315", "An Bình", "12.500.000", "83,3 %", SECRET_LAST4]) {
      expect(text, hidden).not.toContain(hidden);
    }
  });

  it("sends no ward-wide figure in the data request either", async () => {
    const client = await signedIn("khoi3");
    const response = await client.get("/dashboard.data?period=2026-03");
    expect(response.status).toBe(200);
    const data = await response.text();
    expect(data).toContain("Khối 3");
    for (const hidden of ["Khối 5", "79001", "79002", "PK0315", "facilities", "overdue", "estimated", SECRET_LAST4]) {
      expect(data, hidden).not.toContain(hidden);
    }
  });

  it("may not open the records behind figures or the work list", async () => {
    const client = await signedIn("khoi3");
    expect((await client.get("/records?figure=i1.total&period=2026-03")).status).toBe(403);
    expect((await client.get("/worklist?period=2026-03")).status).toBe(403);
    expect((await client.get("/worklist.xlsx?period=2026-03")).status).toBe(403);
  });
});

describe("records behind a figure", () => {
  it("lists the overdue record with its times and no identifier, and audits the view", async () => {
    const client = await signedIn("tramyte");
    const response = await client.get("/records?figure=i3.overdue&period=2026-03");
    expect(response.status).toBe(200);
    const text = await mainText(response);
    expect(text).toContain("Hồ sơ quá hạn, chưa hiển thị trên VNeID");
    expect(text).toMatch(/Phòng khám Đa khoa An Bình \(79002\) PK0315 15\/03\/2026 08:00 15\/03\/2026 09:00 15\/03\/2026 12:00 — Quá hạn chưa hiển thị/);
    expect(text).toContain("Trang 1/1 · 1 hồ sơ");
    expect(text).not.toContain(SECRET_LAST4);
    const audit = await server.db.selectFrom("audit_log").select(["action", "target", "detail"])
      .where("username", "=", "tramyte").where("target", "=", "records").execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.detail!).figure])).toContainEqual(["view", "i3.overdue"]);
  });

  it("matches the dashboard's counts for each facility", async () => {
    const client = await signedIn("lanhdao");
    const text = await mainText(await client.get("/records?figure=i1.identified&period=2026-03&facility=79001"));
    expect(text).toContain("Trang 1/1 · 3 hồ sơ");
    expect(text).toMatch(/TYT0301.*TYT0302.*TYT0304/);
  });

  it("refuses a figure it does not know", async () => {
    expect((await (await signedIn("lanhdao")).get("/records?figure=i9.x&period=2026-03")).status).toBe(400);
  });
});

describe("work list", () => {
  it("lists the rejected, not-sent and overdue records, oldest first, with the gateway's code and message", async () => {
    const client = await signedIn("tramyte");
    const text = await mainText(await client.get("/worklist?period=2026-03"));
    expect(text).toMatch(/TYT0303.*Bị Cổng từ chối.*E101.*Mã thẻ BHYT không hợp lệ.*TYT0304.*Chưa gửi lên Cổng.*PK0315.*Quá hạn hiển thị VNeID/);
    expect(text).not.toContain(SECRET_LAST4);
    expect(text).not.toContain("TYT0301");
    const filtered = await mainText(await client.get("/worklist?period=2026-03&facility=79002"));
    expect(filtered).toContain("PK0315");
    expect(filtered).not.toContain("TYT0303");
    const audit = await server.db.selectFrom("audit_log").select("target").where("username", "=", "tramyte").where("action", "=", "view").execute();
    expect(audit.map((a) => a.target)).toContain("worklist");
  });

  it("exports the same list as an Excel file", async () => {
    const client = await signedIn("tramyte");
    const response = await client.get("/worklist.xlsx?period=2026-03");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
    expect(rows[0][0]).toBe("DANH SÁCH HỒ SƠ CẦN XỬ LÝ");
    const body = rows.slice(rows.findIndex((r) => r[0] === "STT") + 1);
    expect(body.map((r) => r[3])).toEqual(["TYT0303", "TYT0304", "PK0315"]);
    expect(body[0].slice(4, 7)).toEqual(["Bị Cổng từ chối", "E101", "Mã thẻ BHYT không hợp lệ"]);
    expect(JSON.stringify(rows)).not.toContain(SECRET_LAST4);
    const exported = await server.db.selectFrom("audit_log").select("target").where("action", "=", "export").execute();
    expect(exported.map((e) => e.target)).toContain("worklist.xlsx");
  });
});
