// The dashboard in a real browser: the vice chair changes the period and sees the figures
// change, switches the trend to weeks, follows a figure to its records; a block committee
// on a phone sees its own block only. Screenshots go to /tmp/sskdt-dashboard-*.png.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboardWard } from "../http/dashboard-fixture";
import { createTestUsers, launchBrowser, PHONE, screenshot, signIn, startServer, type Browser, type TestServer } from "./helpers";

let server: TestServer;
let desktop: Browser;
let phone: Browser;

beforeAll(async () => {
  server = await startServer({
    setup: async (db) => {
      await createTestUsers(db);
      await loadDashboardWard(db);
    },
  });
  desktop = await launchBrowser();
  phone = await launchBrowser(PHONE);
});
afterAll(async () => {
  await desktop?.close();
  await phone?.close();
  await server?.stop();
});

const kpi = (b: Browser, id: string) => b.page.getByTestId(`kpi-${id}-value`).innerText();
const overflow = (b: Browser) => b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("dashboard in the browser", () => {
  it("shows the vice chair March's figures, then February's after changing the period", async () => {
    const { page } = desktop;
    await signIn(page, server.url, "lanhdao");
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    expect(await kpi(desktop, "i1")).toBe("83,3 %");
    expect(await kpi(desktop, "i2")).toBe("66,7 %");
    expect(await kpi(desktop, "i3")).toBe("50,0 %");
    // The charts draw in the browser (recharts renders nothing on the server).
    await expect.poll(() => page.locator(".dash-chart svg .recharts-line").count()).toBe(6);
    await screenshot(page, "dashboard-lanhdao-march");

    const picker = page.getByRole("form", { name: "Chọn kỳ báo cáo" });
    await picker.locator("select").first().selectOption("month");
    await picker.locator("select").nth(1).selectOption("2");
    await picker.locator("input[type=number]").fill("2026");
    await page.getByRole("button", { name: "Xem" }).click();
    await page.waitForURL((url) => url.searchParams.get("period") === "2026-02");
    await expect.poll(() => kpi(desktop, "i1")).toBe("50,0 %");
    expect(await kpi(desktop, "i3")).toBe("100,0 %");
    expect(await page.getByTestId("period-label").innerText()).toContain("Tháng 2/2026");
    await screenshot(page, "dashboard-lanhdao-february");
  });

  it("switches the trend to weeks and shows its numbers as a table", async () => {
    const { page } = desktop;
    await page.goto(`${server.url}/dashboard?period=2026-Q1`);
    await page.getByRole("link", { name: "Theo tuần" }).first().click();
    await page.waitForURL((url) => url.searchParams.get("trend") === "week");
    // The URL changes as the navigation starts: wait for the weeks' data, then open the table.
    // (Once, in a fresh clone's CI, the summary never counted as "stable" for 30 s; a user's
    // click does not wait for that, so neither does this one.)
    await page.locator('.dash[aria-busy="false"]').waitFor();
    const panel = page.getByTestId("trend-panel");
    await panel.getByText("Xem số liệu").click({ force: true });
    const table = panel.getByTestId("trend-table").locator("tbody tr");
    await expect.poll(() => table.first().innerText()).toMatch(/^Tuần 1 /); // the weeks' figures have replaced the months'
    const rows = await table.allInnerTexts();
    // Q1 2026 starts in ISO week 1; week 7 has February's two visits, week 10 two of March's.
    // Week 1 starts on 29 December: only 1–4 January are in the quarter.
    expect(rows[0]).toMatch(/^Tuần 1 \(01\/01–04\/01\) · chưa đủ kỳ\s+—/);
    expect(rows).toContainEqual(expect.stringMatching(/^Tuần 7 \(09\/02–15\/02\)\s+50,0 % \(1\/2\)/));
    expect(rows).toContainEqual(expect.stringMatching(/^Tuần 10 \(02\/03–08\/03\)\s+100,0 % \(2\/2\)/));
  });

  it("follows the overdue figure to its records", async () => {
    const { page } = desktop;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    await page.getByTestId("i3-overdue").getByRole("link").click();
    await page.waitForURL("**/records?figure=i3.overdue*");
    await expect.poll(() => page.getByTestId("records-table").innerText()).toContain("PK0315");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Hồ sơ quá hạn, chưa hiển thị trên VNeID");
    await screenshot(page, "dashboard-records-overdue");
  });

  it("fits the vice chair's phone", async () => {
    await signIn(phone.page, server.url, "lanhdao");
    await phone.page.goto(`${server.url}/dashboard?period=2026-03`);
    await expect.poll(() => phone.page.locator(".dash-chart svg .recharts-line").count()).toBe(6);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, "dashboard-lanhdao-phone");
    await phone.page.getByRole("button", { name: "Đăng xuất" }).click();
    await phone.page.waitForURL("**/login?signedOut=1");
    await expect.poll(() => phone.page.getByText("Bạn đã đăng xuất.").count()).toBe(1);
  });

  it("shows a block committee only its own block, on a phone", async () => {
    const { page } = phone;
    await signIn(page, server.url, "khoi3");
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Tổng quan — Khối 3");
    expect(await kpi(phone, "i4-fullyOnboarded")).toBe("1,0 %");
    expect(await kpi(phone, "i4-vneidInstalled")).toBe("3,0 %");
    const main = await page.locator("main").innerText();
    for (const hidden of ["Khối 5", "79001", "PK0315", "An Bình", "Kinh phí"]) expect(main).not.toContain(hidden);
    expect(await page.getByTestId("facility-panel").count()).toBe(0);
    expect(await page.locator("[data-testid^='kpi-i1']").count()).toBe(0);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(page, "dashboard-khoi3-phone");
  });

  it("ran without a script error or a CSP violation", () => {
    expect(desktop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
