// One estimate from draft to approval in a real browser, by its three roles: the health
// station drafts it in the page and from the Excel template, the finance officer returns
// it with a comment on a line, then forwards it, the vice chair approves it; then the
// finance officer records spending (warned before over-spending a line) and downloads
// the R3, frozen at approval. No script error or CSP violation on the way.
import ExcelJS from "exceljs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, serverWithBrowser, signIn } from "./helpers";

const shared = serverWithBrowser();

async function as(username: string, path: string): Promise<Page> {
  await shared.browser.context.clearCookies();
  await signIn(shared.browser.page, shared.server.url, username);
  await shared.browser.page.goto(`${shared.server.url}${path}`);
  return shared.browser.page;
}

const status = (page: Page) => page.getByTestId("estimate-status").innerText();

describe("budget loop", () => {
  it("takes an estimate from draft to approval with three users, then records spending and downloads the R3", async () => {
    // The health station starts the year's estimate and types a line.
    let page = await as("tramyte", "/budget");
    await page.getByRole("button", { name: "Lập dự toán" }).click();
    await page.waitForURL(/\/budget\/\d+$/);
    const estimateUrl = page.url();
    expect(await status(page)).toBe("Đang soạn");
    await page.getByLabel("Nội dung dòng 1").fill("Máy tính để bàn");
    await page.getByLabel("Đơn vị tính dòng 1").fill("bộ");
    await page.getByLabel("Số lượng dòng 1").fill("2");
    await page.getByLabel("Đơn giá dòng 1").fill("15.800.000");
    expect(await page.getByTestId("editor-total").innerText()).toBe("31.600.000 đ");
    await page.getByRole("button", { name: "Lưu dự toán" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu dự toán." }).waitFor();

    // …then fills the rest in the Excel template: download, fill, upload, preview, confirm.
    const template = await page.request.get(`${estimateUrl}/template.xlsx`);
    expect(template.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await template.body()) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    let internetRow = 0;
    sheet.eachRow((r) => {
      if (r.getCell(2).value === "Kết nối Internet") internetRow = r.number;
    });
    sheet.getRow(internetRow + 1).values = ["", "Cước Internet cáp quang", "tháng", 12, 480000, null, "Hợp đồng số 15/2026"];
    const filled = path.join(os.tmpdir(), `du-toan-${process.pid}.xlsx`);
    fs.writeFileSync(filled, new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    try {
      await page.getByLabel("Tệp dự toán đã điền").setInputFiles(filled);
      await page.getByRole("button", { name: "Tải lên và xem trước" }).click();
      await page.getByTestId("upload-preview").waitFor();
      expect(await page.getByTestId("preview-total").innerText()).toBe("37.360.000 đ");
      await screenshot(page, "budget-upload-preview");
      await page.getByRole("button", { name: /Xác nhận: thay các dòng bằng 2 dòng này/ }).click();
      await page.getByRole("status").filter({ hasText: "2 dòng từ tệp Excel" }).waitFor();
    } finally {
      fs.rmSync(filled, { force: true });
    }
    await expect.poll(() => page.getByTestId("editor-total").innerText(), { timeout: 20_000 }).toBe("37.360.000 đ");
    await page.getByRole("button", { name: "Gửi thẩm định" }).click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Đã gửi, chờ thẩm định");
    expect(await page.getByRole("button", { name: "Phê duyệt", exact: true }).count()).toBe(0);

    // The finance officer returns it, with a comment on one line.
    page = await as("taichinh", new URL(estimateUrl).pathname);
    expect(await page.getByRole("button", { name: "Phê duyệt", exact: true }).count()).toBe(0);
    await page.getByLabel("Ý kiến về dòng Máy tính để bàn").fill("Bổ sung 03 báo giá");
    await page.getByRole("button", { name: "Trả lại (thẩm định)" }).click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Bị trả lại để sửa");
    expect(await page.getByTestId("history").innerText()).toMatch(/Ý kiến về dòng · Hoàng Văn Tài Chính · dòng “Máy tính để bàn”: “?Bổ sung 03 báo giá/);

    // The station fixes it and sends it again; the finance officer forwards it.
    page = await as("tramyte", new URL(estimateUrl).pathname);
    await page.getByLabel("Căn cứ dòng 1").fill("Báo giá của 03 nhà cung cấp");
    await page.getByRole("button", { name: "Lưu dự toán" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu dự toán." }).waitFor();
    await page.getByRole("button", { name: "Gửi thẩm định" }).click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Đã gửi, chờ thẩm định");
    page = await as("taichinh", new URL(estimateUrl).pathname);
    await page.getByLabel(/Ý kiến chung/).fill("Nội dung và định mức phù hợp.");
    await page.getByRole("button", { name: "Thẩm định xong, trình phê duyệt" }).click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Đã thẩm định, chờ phê duyệt");

    // The vice chair approves; the estimate is locked.
    page = await as("lanhdao", new URL(estimateUrl).pathname);
    await page.getByRole("button", { name: "Phê duyệt", exact: true }).click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe("Đã phê duyệt");
    expect(await page.getByRole("button", { name: "Lưu dự toán" }).count()).toBe(0);
    expect(await page.getByTestId("estimate-total").innerText()).toBe("37.360.000 đ");
    const history = await page.getByTestId("history").innerText();
    for (const step of ["Lập dự toán", "Gửi thẩm định", "Trả lại (thẩm định)", "Thẩm định xong, trình phê duyệt", "Phê duyệt · Trần Thị Lãnh Đạo"]) expect(history).toContain(step);
    await screenshot(page, "budget-approved");

    // The finance officer records spending: within the line, then past it after the warning.
    page = await as("taichinh", "/budget/spending");
    const record = async (amount: string, ref: string) => {
      const line = page.getByLabel("Dòng dự toán");
      await line.selectOption((await line.locator("option", { hasText: "Máy tính để bàn" }).getAttribute("value"))!);
      await page.getByLabel("Số tiền (đồng)").fill(amount);
      await page.getByLabel("Số chứng từ").fill(ref);
      await page.getByLabel("Nội dung chi").fill("Mua máy tính");
      await page.getByRole("button", { name: "Ghi khoản chi" }).click();
    };
    await record("31.000.000", "PC 001/2026");
    await page.getByRole("status").filter({ hasText: "Đã ghi khoản chi 31.000.000 đ." }).waitFor();
    await expect.poll(() => page.getByLabel("Dòng dự toán").locator("option", { hasText: "Máy tính để bàn" }).innerText(), { timeout: 20_000 })
      .toBe("Máy tính để bàn (còn 600.000 đ)");
    await record("700.000", "PC 002/2026");
    await page.getByRole("alert").filter({ hasText: "vượt dự toán" }).waitFor();
    expect(await page.getByTestId("spent-total").innerText()).toBe("31.000.000 đ");
    await page.getByLabel("Tôi đã xem cảnh báo và vẫn ghi khoản chi này").check();
    await page.getByRole("button", { name: "Ghi khoản chi" }).click();
    await page.getByRole("status").filter({ hasText: "vượt dự toán của dòng 100.000 đ" }).waitFor();
    // The totals come with the page's revalidation, which may land just after the message.
    await expect.poll(() => page.getByTestId("spent-total").innerText(), { timeout: 20_000 }).toBe("31.700.000 đ");
    await screenshot(page, "budget-spending");

    // The R3 approved is frozen: two downloads, the same bytes, spending or not.
    const r3 = async () => (await page.request.get(`${estimateUrl}/r3.xlsx`)).body();
    const [a, b] = [await r3(), await r3()];
    expect(a.equals(b)).toBe(true);
    const year = await page.request.get(`${shared.server.url}/budget/r3.xlsx?year=${new Date().getFullYear()}`);
    expect(year.status()).toBe(200);
    expect(shared.browser.errors).toEqual([]);
  });
});
