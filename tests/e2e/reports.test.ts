// Reports in a real browser: the vice chair makes March's R1 from the calendar, reviews
// and submits it in three clicks, then prints the page to PDF with Chromium (page.pdf,
// the print stylesheet and its @page A4 box) and finds the title and the figures in it.
// The dashboard shows the vice chair what is due this week.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboardWard } from "../http/dashboard-fixture";
import { createTestUsers, launchBrowser, screenshot, signIn, startServer, type Browser, type TestServer } from "./helpers";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ setup: async (db) => { await createTestUsers(db); await loadDashboardWard(db); } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("reports in the browser", () => {
  it("makes, reviews and submits R1 in three clicks, and prints it on A4 with its title and figures", async () => {
    const { page } = browser;
    await signIn(page, server.url, "lanhdao");
    await page.goto(`${server.url}/reports`);
    await page.locator('tr[data-report="R1 2026-03"]').getByRole("button", { name: "Lập báo cáo" }).click();
    await page.waitForURL(/\/reports\/\d+$/);
    await page.getByRole("button", { name: "Xác nhận đã rà soát" }).click();
    await expect.poll(() => page.getByRole("status").innerText(), { timeout: 15_000 }).toContain("Đã xác nhận rà soát");
    await page.getByRole("button", { name: "Ký, gửi báo cáo" }).click();
    await expect.poll(() => page.getByRole("status").innerText(), { timeout: 15_000 }).toContain("Đã gửi báo cáo số 01");
    await screenshot(page, "report-r1");

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const file = path.join(os.tmpdir(), `sskdt-report-r1-${process.pid}.pdf`);
    fs.writeFileSync(file, pdf);
    // A4 portrait: 595 × 842 points on every page.
    const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
    expect(boxes.length).toBeGreaterThan(0);
    for (const [, w, h] of boxes) {
      expect(Math.abs(Number(w) - 595.28)).toBeLessThan(1);
      expect(Math.abs(Number(h) - 841.89)).toBeLessThan(1.5);
    }
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    fs.rmSync(file);
    for (const t of [
      "ỦY BAN NHÂN DÂN", "PHƯỜNG THÍ ĐIỂM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 01/BC-UBND", "BÁO CÁO",
      "Kết quả triển khai thí điểm Sổ sức khỏe điện tử tháng 3 năm 2026", "Nơi nhận:", "PHÓ CHỦ TỊCH", "Trang 1/",
    ]) expect(text, t).toContain(t);
    // The ward's March figures (tests/http/dashboard-fixture.ts): I1 5 of 6 = 83,3 %, I2 4 of 6 = 66,7 %, I3 2 on time = 50,0 %.
    // (pdftotext -layout keeps a table row's cells in order; a long label may wrap around them,
    // at a point that moves with the browser build's fonts.)
    expect(text).toMatch(/Toàn phường Lượt KCB tiếp nhận bằng (?:định danh )?6 5 83,3 % 80,0 % Đạt/);
    expect(text).toMatch(/6 4 66,7 %/);
    expect(text).toMatch(/Khối 3 100 3 2 1 1 1,0 % 1 5,0 %/);
    expect(text).toMatch(/Tỷ lệ giải ngân 20,0 %/);
    // The app's menu and buttons are not printed.
    expect(text).not.toContain("Ký, gửi báo cáo");
    expect(text).not.toContain("Nhập dữ liệu");
    expect(browser.errors).toEqual([]);
  });

  it("shows the vice chair the reports due this week on the dashboard", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/dashboard?period=2026-03`);
    const panel = page.getByTestId("reports-due-panel");
    await expect.poll(() => panel.count(), { timeout: 15_000 }).toBe(1); // it loads after hydration
    await expect.poll(() => panel.innerText()).toMatch(/hạn \d{2}\/\d{2}\/\d{4}|Không có báo cáo nào đến hạn/);
  });
});
