// Issue 12 in Chromium: partial trend buckets and targets drawn on the chart, I4 blocks
// sorted, the work list's tabs, the import preview's grouped issues and amber badge, the
// help page behind a "?", the dashboard printed to PDF with its header and figures, and
// every page on a 390 px phone without sideways scrolling. Screenshots: /tmp/sskdt-ux-*.png.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboardServer } from "../http/dashboard-fixture";
import { launchBrowser, PHONE, screenshot, signIn, type Browser, type TestServer } from "./helpers";
import { pdfText } from "./pdf-text";

let server: TestServer;
let desktop: Browser;
let phone: Browser;

beforeAll(async () => {
  server = await startDashboardServer();
  desktop = await launchBrowser();
  phone = await launchBrowser(PHONE);
  await signIn(desktop.page, server.url, "lanhdao");
  await signIn(phone.page, server.url, "tramyte");
});
afterAll(async () => {
  await desktop?.close();
  await phone?.close();
  await server?.stop();
});

/** recharts draws in the browser only: 3 series and their 3 dashed partial segments. */
const chartsDrawn = (page: Browser["page"]) =>
  expect.poll(() => page.locator(".dash-chart svg .recharts-line").count(), { timeout: 20_000 }).toBe(6);
const overflow = (b: Browser) => b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("dashboard", () => {
  it("marks partial weeks and draws the targets on the trend; sorts the blocks", async () => {
    const { page } = desktop;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    const chart = page.getByTestId("trend-chart");
    const surface = chart.locator(".recharts-wrapper > svg");
    await expect.poll(() => surface.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => surface.innerHTML(), { timeout: 20_000 }).toContain("chưa đủ kỳ");
    const svg = await surface.innerHTML();
    expect(svg).toContain("Chỉ tiêu I1: 80,0 %");
    expect(svg).toContain("Chỉ tiêu I3: 90,0 %");
    expect(svg).toContain('stroke-dasharray="5 4"');
    // The bars: fixed scale, the target's value written by its tick.
    expect(await page.getByTestId("bar-target").first().innerText()).toBe("5,0 %");
    const order = () => page.getByTestId("onboarding-block").locator("strong").allInnerTexts();
    expect((await order()).slice(0, 3)).toEqual(["Khối 1", "Khối 2", "Khối 3"]);
    await page.getByTestId("block-order").selectOption("rate");
    // Khối 3 and 5 have rates (1 %, 0,5 %): the lower first; blocks without a population last.
    await expect.poll(async () => (await order()).slice(0, 2)).toEqual(["Khối 5", "Khối 3"]);
    await page.getByTestId("block-order").selectOption("gap");
    await expect.poll(async () => (await order())[0]).toBe("Khối 3");
  });

  it("opens the help entry behind a figure's ?", async () => {
    const { page } = desktop;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    await page.getByTestId("kpi-i3").getByRole("link", { name: /Giải thích/ }).click();
    await page.waitForURL("**/help#i3");
    expect(await page.getByTestId("entry-i3").innerText()).toContain("Đồng hồ 24 giờ bắt đầu");
  });

  it("prints the dashboard to A4 with the ward's header and the charts' figures", async () => {
    const { page } = desktop;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    await chartsDrawn(page);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("form.period-picker").isVisible()).toBe(false);
    expect(await page.getByTestId("print-header").isVisible()).toBe(true);
    const width = await page.getByTestId("trend-chart").evaluate((e) => e.getBoundingClientRect().width);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    await page.emulateMedia({ media: "screen" });
    const file = path.join(os.tmpdir(), "sskdt-ux-dashboard.pdf");
    fs.writeFileSync(file, pdf);
    const text = (await pdfText(pdf)).replace(/\s+/g, " ");
    expect(text).toContain("UBND PHƯỜNG THÍ ĐIỂM");
    expect(text).toContain("Kỳ: Tháng 3/2026 · số liệu tính đến 01/04/2026 00:00");
    // The chart's own axis and marks, and its figures printed from the table behind it.
    expect(text).toContain("Tuần 10 (02/03–08/03)");
    expect(text).toMatch(/0 % 25 % 50 % 75 % 100 %/);
    expect(text).toContain("chưa đủ kỳ");
    expect(text).toMatch(/Tuần 10 \(02\/03–08\/03\) [\d,]+ % \(\d+\/\d+\)/);
    expect(text).toContain("83,3 %");
    expect(text).not.toContain("Xem số liệu");
    expect(width).toBeGreaterThan(500);
  });
});

describe("on a 390 px phone", () => {
  it("shows the dashboard without sideways scrolling", async () => {
    const { page } = phone;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    await chartsDrawn(page);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(page, "ux-phone-dashboard");
  });

  it("works the list from tabs, search and cards", async () => {
    const { page } = phone;
    await page.goto(`${server.url}/worklist?period=2026-03`);
    await page.getByTestId("tab-rejected").click();
    await page.waitForURL((u) => u.searchParams.get("kind") === "rejected");
    const cards = page.getByTestId("worklist-table").locator("tbody tr");
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().innerText()).toMatch(/E101 Mã thẻ BHYT không hợp lệ/);
    // A card, not a row: the header is hidden and each cell carries its label.
    expect(await page.getByTestId("worklist-table").locator("thead").isVisible()).toBe(false);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await page.getByTestId("tab-overdue").click();
    await page.waitForURL((u) => u.searchParams.get("kind") === "overdue");
    await screenshot(page, "ux-phone-worklist");
  });

  it("previews an import with grouped issues and an amber partial badge", async () => {
    const { page } = phone;
    await page.goto(`${server.url}/import`);
    const rows = ["ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep", "79001,TYT0301,GD1,03/03/2026 12:00,200,"];
    for (let i = 0; i < 6; i++) rows.push(`79001,TYT03${10 + i},GD${10 + i},31/02/2026 12:00,200,`);
    await page.locator("input[type=file]").setInputFiles({ name: "ket-qua.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n") + "\n") });
    await page.getByRole("button", { name: /Tải lên và kiểm tra/ }).click();
    await expect.poll(() => page.getByTestId("file-badge").count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId("file-badge").innerText()).toBe("Sẽ nhập một phần");
    expect(await page.getByTestId("file-badge").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(255, 241, 214)");
    expect(await page.getByTestId("issue-groups-error").innerText()).toMatch(/^6 dòng: .*tháng 2\/2026 không có ngày 31 — dòng 3, 4, 5, 6, 7, 8$/);
    expect(await page.getByTestId("issue-groups-error").innerText()).not.toMatch(/dòng 3\b[\s\S]*dòng 4\b/);
    const confirm = page.getByRole("button", { name: "Xác nhận nhập" });
    expect(await confirm.evaluate((e) => getComputedStyle(e).color)).toBe("rgb(255, 255, 255)");
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(page, "ux-phone-import-preview");
  });

  it("reads the help page", async () => {
    const { page } = phone;
    await page.goto(`${server.url}/help#thuat-ngu`);
    expect(await page.getByTestId("glossary").innerText()).toContain("Định danh mức 2");
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await page.goto(`${server.url}/help`);
    await screenshot(page, "ux-phone-help");
  });

  it("writes dates dd/MM/yyyy and answers in Vietnamese whatever the browser's language", async () => {
    const { page } = phone;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    // Hydrated once the charts have drawn: the picker's fields are React's from then on.
    await chartsDrawn(page);
    const picker = page.getByRole("form", { name: "Chọn kỳ báo cáo" });
    await picker.locator("select").first().selectOption("range");
    const from = picker.getByLabel("Từ ngày");
    expect(await from.inputValue()).toBe("01/03/2026");
    await from.fill("31/02/2026");
    expect(await from.evaluate((e) => (e as HTMLInputElement).validationMessage)).toMatch(/^Nhập ngày dạng dd\/mm\/yyyy/);
    await from.fill("05/03/2026");
    await picker.getByLabel("Đến ngày").fill("20/03/2026");
    await page.getByRole("button", { name: "Xem" }).click();
    await page.waitForURL((u) => u.searchParams.get("period") === "2026-03-05..2026-03-20");
    // The picker re-reads the URL after the navigation; choose the next mode after that.
    await expect.poll(() => picker.locator(".period-shown").innerText(), { timeout: 15_000 }).toBe("Từ 05/03/2026 đến 20/03/2026");
    // Any field the browser checks itself: its own message replaced by a Vietnamese one.
    await picker.locator("select").first().selectOption("year");
    const year = picker.locator("input[type=number]");
    await year.fill("");
    expect(await year.evaluate((e) => ((e as HTMLInputElement).checkValidity(), (e as HTMLInputElement).validationMessage))).toBe("Giá trị phải từ 2020 trở lên.");
  });

  it("writes the day fields of plain forms dd/MM/yyyy too, and posts them as days", async () => {
    const { page } = desktop; // the vice chair reads the audit log
    await page.goto(`${server.url}/audit`);
    const from = page.getByLabel("Từ ngày");
    expect(await from.getAttribute("placeholder")).toBe("dd/mm/yyyy");
    // An impossible day is told in Vietnamese (typed again until the page has hydrated).
    await expect.poll(async () => (await from.fill(""), await from.fill("31/11/2026"), from.evaluate((e) => (e as HTMLInputElement).validationMessage)))
      .toMatch(/^Nhập ngày dạng dd\/mm\/yyyy/);
    await from.fill("01/11/2026");
    await page.getByLabel("Đến ngày").fill("30/11/2026");
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.waitForURL((u) => u.searchParams.get("from") === "01/11/2026" && u.searchParams.get("to") === "30/11/2026");
    // Read back as days: the filter applies and the fields show them as typed.
    await expect.poll(() => page.getByLabel("Từ ngày").inputValue()).toBe("01/11/2026");
    expect(await page.getByRole("link", { name: "Tải Excel" }).getAttribute("href")).toBe("/audit.xlsx?from=2026-11-01&to=2026-11-30");
  });

  it("ran without a script error or a CSP violation", () => {
    expect(desktop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
