// Signing in with a real browser: each role lands on its home with its own menu, the
// page hydrates under the CSP (no violation), and signing out works.
import { describe, expect, it } from "vitest";
import { launchBrowser, navLabels, PHONE, screenshot, serverWithBrowser, signIn } from "./helpers";

const shared = serverWithBrowser();

describe("sign-in in the browser", () => {
  it("shows the sign-in page and refuses a wrong password in Vietnamese", async () => {
    const { page } = shared.browser;
    await page.goto(`${shared.server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Tên đăng nhập").fill("lanhdao");
    await page.getByLabel("Mật khẩu").fill("khong-dung");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toBe("Tên đăng nhập hoặc mật khẩu không đúng.");
    await screenshot(page, "login");
  });

  it("lands the vice chair on the dashboard with the leadership menu", async () => {
    const { page } = shared.browser;
    await signIn(page, shared.server.url, "lanhdao");
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    expect(await navLabels(page)).toEqual(["Tổng quan", "Hồ sơ cần xử lý", "Lịch sử nhập", "Kế hoạch", "Cần đôn đốc", "Tình hình gửi số liệu", "Hạ tầng", "Chỉ tiêu", "Kinh phí", "Báo cáo", "Nhật ký"]);
    await expect.poll(() => page.locator(".who").innerText()).toContain("Lãnh đạo UBND");
    await screenshot(page, "signin-lanhdao");

    // Client-side navigation works once hydrated, then sign-out ends the session.
    await page.getByRole("link", { name: "Nhật ký" }).click();
    await page.waitForURL("**/audit");
    await expect.poll(() => page.locator("table.data").innerText()).toContain("lanhdao");
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL("**/login?signedOut=1");
    await page.goto(`${shared.server.url}/audit`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("lands a block committee on the dashboard with only its sections, and refuses the others", async () => {
    const { page } = shared.browser;
    await signIn(page, shared.server.url, "khoi3");
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    expect(await navLabels(page)).toEqual(["Tổng quan", "Nhập dữ liệu", "Lịch sử nhập", "Ghi nhận hỗ trợ", "Hoạt động", "Kế hoạch", "Cần đôn đốc"]);
    expect(await page.locator(".who").innerText()).toContain("Ban cán sự khối · Khối 3");
    await screenshot(page, "signin-khoi3");

    const response = await page.goto(`${shared.server.url}/audit`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Bạn không có quyền truy cập trang này");
    await screenshot(page, "forbidden-khoi3");
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL("**/login?signedOut=1");
  });

  it("fits a phone screen", async () => {
    const phone = await launchBrowser(PHONE);
    try {
      await signIn(phone.page, shared.server.url, "quantri");
      expect(new URL(phone.page.url()).pathname).toBe("/admin/users");
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone.page, "phone-admin-users");
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it("ran without a script error or a CSP violation", () => {
    expect(shared.browser.errors.filter((e) => !e.includes("401") && !e.includes("403"))).toEqual([]);
  });
});
