// Issue 12 over HTTP against the real server: honest periods (running, future, landing,
// dated and partial trend buckets), the work list to work from (tabs, search, order,
// names, waiting time, messages), rejection codes with their meaning and records, and the
// .xlsx exports with real date cells, an autofilter and repeated header rows.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daysInMonth, localDayOf, localParts, splitDay } from "~/domain/time";
import { mainText, signedInClient } from "./client";
import { startDashboardServer } from "./dashboard-fixture";
import { TEST_PASSWORD, type TestServer } from "./server";

let server: TestServer;

beforeAll(async () => {
  server = await startDashboardServer();
});
afterAll(() => server?.stop());

const signedIn = (username: string) => signedInClient(server.url, username, TEST_PASSWORD);

/** A page that must load, as its visible text. */
async function pageText(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  return mainText(response);
}

async function workbookOf(response: Response): Promise<ExcelJS.Worksheet> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("spreadsheetml");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook.worksheets[0];
}

const now = () => Math.floor(Date.now() / 1000);

describe("honest periods", () => {
  it("dates each week of a trend and marks the one cut by the month's edge", async () => {
    const text = await pageText(await (await signedIn("lanhdao")).get("/dashboard?period=2026-03"));
    // 1 March 2026 is a Sunday: ISO week 9 has one day of March.
    expect(text).toMatch(/Tuần 9 \(01\/03–01\/03\) · chưa đủ kỳ/);
    expect(text).toContain("Tuần 10 (02/03–08/03)");
    expect(text).not.toMatch(/Tuần 10 \(02\/03–08\/03\) · chưa đủ kỳ/);
    // A closed month: compared with the whole of February, no running note.
    expect(text).toContain("so với Tháng 2/2026");
    expect(text).not.toContain("kỳ chưa kết thúc");
  });

  it("marks the running month with its begun days and compares it with as many days of the month before", async () => {
    const today = localDayOf(now());
    const [y, m, d] = splitDay(today);
    const key = `${y}-${String(m).padStart(2, "0")}`;
    const text = await pageText(await (await signedIn("lanhdao")).get(`/dashboard?period=${key}`));
    expect(text).toContain(`kỳ chưa kết thúc — ${d}/${daysInMonth(y, m)} ngày`);
    const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
    if (d < daysInMonth(py, pm)) expect(text).toContain(`cùng ${d} ngày đầu Tháng ${pm}/${py}`);
  });

  it("says a future period has not begun", async () => {
    const text = await pageText(await (await signedIn("lanhdao")).get("/dashboard?period=2099-01"));
    expect(text).toContain("Tháng 1/2099 chưa bắt đầu (bắt đầu từ ngày 01/01/2099)");
  });

  it("lands on the month just closed during a month's first days, and says so", async () => {
    const { year, month, day } = localParts(now());
    const text = await pageText(await (await signedIn("lanhdao")).get("/dashboard"));
    if (day <= 5) {
      const [py, pm] = month === 1 ? [year - 1, 12] : [year, month - 1];
      expect(text).toContain(`Đầu tháng nên trang mở sẵn Tháng ${pm}/${py}`);
      expect(text).not.toContain("kỳ chưa kết thúc");
    } else {
      expect(text).not.toContain("Đầu tháng nên trang mở sẵn");
      expect(text).toContain(`Tháng ${month}/${year}`);
    }
  });

  it("puts a ? beside each figure, linking to its help entry", async () => {
    const html = await (await (await signedIn("lanhdao")).get("/dashboard?period=2026-03")).text();
    for (const entry of ["i1", "i2", "i3", "i4", "i5", "i4-fullyOnboarded"]) expect(html).toContain(`href="/help#${entry}"`);
  });
});

describe("rejection codes", () => {
  it("shows each code's meaning on the dashboard and links it to its records", async () => {
    const client = await signedIn("lanhdao");
    const html = await (await client.get("/dashboard?period=2026-03")).text();
    expect(html).toContain('href="/records?figure=i2.rejected&amp;period=2026-03&amp;code=E101"');
    expect(await pageText(await client.get("/dashboard?period=2026-03"))).toMatch(/E101 Mã thẻ BHYT không hợp lệ 1/);
    const records = await pageText(await client.get("/records?figure=i2.rejected&period=2026-03&code=E101"));
    expect(records).toContain("mã lỗi E101");
    expect(records).toContain("TYT0303");
    expect(records).toContain("Từ chối lúc 10/03/2026 12:00 — Mã thẻ BHYT không hợp lệ");
    const none = await pageText(await client.get("/records?figure=i2.rejected&period=2026-03&code=E999"));
    expect(none).not.toContain("TYT0303");
  });

  it("exports the records behind a figure with real dates and an autofilter", async () => {
    const client = await signedIn("lanhdao");
    const sheet = await workbookOf(await client.get("/records.xlsx?figure=i2.ended&period=2026-03"));
    expect(sheet.getCell("A1").value).toBe("HỒ SƠ ĐÃ KẾT THÚC KHÁM TRONG KỲ");
    expect(sheet.getRow(4).getCell(4).value).toBe("Mã liên kết (MA_LK)");
    const body = [5, 6, 7, 8, 9, 10].map((r) => sheet.getRow(r));
    expect(body.map((r) => r.getCell(4).value)).toEqual(["TYT0301", "TYT0302", "TYT0303", "TYT0304", "PK0315", "PK0320"]);
    // Check-in 3 March 08:00 in the ward's time, as an Excel date.
    const checkin = body[0].getCell(5).value;
    expect(checkin).toBeInstanceOf(Date);
    expect((checkin as Date).toISOString()).toBe("2026-03-03T08:00:00.000Z");
    expect(body[2].getCell(10).value).toBe("E101");
    expect((body[2].getCell(11).value as Date).toISOString()).toBe("2026-03-10T12:00:00.000Z");
    expect(sheet.autoFilter).toBeTruthy();
    const exported = await server.db.selectFrom("audit_log").select("target").where("action", "=", "export").execute();
    expect(exported.map((e) => e.target)).toContain("records.xlsx");
  });
});

describe("work list to work from", () => {
  it("has a tab per kind with its count, facility names, waiting time in days and the gateway's message", async () => {
    const client = await signedIn("tramyte");
    const text = await pageText(await client.get("/worklist?period=2026-03&asOf=2026-04-01T00:00:00%2B07:00"));
    expect(text).toMatch(/Tất cả 3 Chưa gửi lên Cổng 1 Bị Cổng từ chối 1 Quá hạn hiển thị VNeID 1/);
    expect(text).toContain("Phòng khám Đa khoa An Bình (79002)");
    expect(text).toMatch(/E101 Mã thẻ BHYT không hợp lệ/);
    // TYT0303 ended 10 March 09:00, as of 1 April 00:00: 21 days 15 hours.
    expect(text).toContain("21 ngày 15 giờ");
    const rejected = await pageText(await client.get("/worklist?period=2026-03&kind=rejected"));
    expect(rejected).toContain("TYT0303");
    expect(rejected).not.toContain("TYT0304");
    expect(rejected).not.toContain("PK0315");
  });

  it("searches by MA_LK and sorts", async () => {
    const client = await signedIn("tramyte");
    const found = await pageText(await client.get("/worklist?period=2026-03&q=pk03"));
    expect(found).toContain("PK0315");
    expect(found).not.toContain("TYT0303");
    expect(found).toMatch(/Tất cả 1 Chưa gửi lên Cổng 0 Bị Cổng từ chối 0 Quá hạn hiển thị VNeID 1/);
    const byCode = await pageText(await client.get("/worklist?period=2026-03&sort=maLk"));
    expect(byCode.indexOf("PK0315")).toBeLessThan(byCode.indexOf("TYT0303"));
    const byWait = await pageText(await client.get("/worklist?period=2026-03"));
    expect(byWait.indexOf("TYT0303")).toBeLessThan(byWait.indexOf("PK0315"));
  });

  it("exports the filtered list with date cells, an autofilter and the header repeated on each printed page", async () => {
    const client = await signedIn("tramyte");
    const sheet = await workbookOf(await client.get("/worklist.xlsx?period=2026-03&kind=rejected"));
    expect(String(sheet.getCell("A2").value)).toContain("bị cổng từ chối");
    expect(sheet.getRow(5).getCell(4).value).toBe("TYT0303");
    expect(sheet.getRow(6).getCell(4).value).toBeNull();
    const ended = sheet.getRow(5).getCell(8).value as Date;
    expect(ended).toBeInstanceOf(Date);
    expect(ended.toISOString()).toBe("2026-03-10T09:00:00.000Z");
    expect(sheet.getRow(5).getCell(8).numFmt).toBe("dd/mm/yyyy hh:mm");
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.pageSetup.printTitlesRow).toBe("4:4");
  });
});

describe("compression", () => {
  it("serves pages and static assets compressed", async () => {
    const client = await signedIn("lanhdao");
    const page = await client.get("/dashboard?period=2026-03", { "Accept-Encoding": "br, gzip" });
    expect(page.headers.get("content-encoding")).toMatch(/^(br|gzip)$/);
    const html = await page.text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const script = await fetch(new URL(asset!, server.url), { headers: { "Accept-Encoding": "gzip" } });
    expect(script.headers.get("content-encoding")).toBe("gzip");
  });
});

describe("help", () => {
  it("explains each figure, each work-list kind, each import file and the glossary", async () => {
    const html = await (await (await signedIn("congan")).get("/help")).text();
    for (const id of ["i1", "i2", "i3", "i4", "i4-fullyOnboarded", "i5", "i6", "worklist", "nhap", "thuat-ngu", "nhap-receipts", "nhap-onboarding"]) {
      expect(html).toContain(`id="${id}"`);
    }
    const text = (await pageText(await (await signedIn("congan")).get("/help")));
    expect(text).toContain("Tỷ lệ = đúng hạn / (đúng hạn + trễ hạn + quá hạn)");
    expect(text).toContain("Định danh mức 2");
    expect(text).toContain("MA_LK");
    expect(text).toContain("ngay_cai_vneid");
  });
});
