// The upload page in a real browser: choose files (including a .zip), watch upload and
// checking, read the preview with its invalid rows, confirm, then find the import in the
// history; Cancel writes nothing. No CSP violation or script error on the way.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sheetsOf } from "../import/helpers";
import { screenshot, serverWithBrowser, signIn } from "./helpers";

const WARD = path.resolve(__dirname, "../fixtures/sample-ward/data");

const shared = serverWithBrowser();

const count = async (table: "visit" | "gateway_receipt") =>
  Number((await shared.server.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("upload page", () => {
  it("previews files, shows invalid rows with their line, and imports on Confirm", async () => {
    const { page, errors } = shared.browser;
    await signIn(page, shared.server.url, "tramyte");
    await page.goto(`${shared.server.url}/import`);
    await expect.poll(() => page.getByRole("heading", { name: "Nhập dữ liệu" }).count()).toBe(1);
    const broken = path.join(WARD, "..", "..", "..", "..", "tmp-upload-broken.csv");
    fs.writeFileSync(broken, "ma_cskcb,ma_lk,thoi_gian_tiep_nhan,ma_ket_qua\n38120,TYT000001,20260304100000,200\n38120,,20260304100000,200\n");
    try {
      await page.locator('input[type="file"]').setInputFiles([path.join(WARD, "thang-01-06.zip"), path.join(WARD, "checkin.xml"), broken]);
      await expect.poll(() => page.locator(".file-list li").count()).toBe(3);
      await page.getByRole("button", { name: /Tải lên và kiểm tra/ }).click();
      await page.getByRole("heading", { name: "Kết quả kiểm tra (chưa ghi gì)" }).waitFor({ timeout: 60_000 });
      const summary = await page.getByRole("status").innerText();
      expect(summary).toMatch(/524 tệp: 530 dòng mới, 0 cập nhật, 0 không đổi, 1 dòng lỗi/);
      expect(await page.locator("tr", { hasText: "tmp-upload-broken.csv" }).getByTestId("issue-groups-error").innerText()).toMatch(/^Dòng 3: Thiếu "Mã lượt KCB" \(ma_lk\)/);
      await screenshot(page, "import-preview");
      expect(await count("visit")).toBe(0);

      // The rows in error come back as an .xlsx in the file's own columns, plus "Lỗi".
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("tr", { hasText: "tmp-upload-broken.csv" }).getByTestId("error-report").click(),
      ]);
      expect(download.suggestedFilename()).toBe("loi-tmp-upload-broken.xlsx");
      const [sheet] = await sheetsOf(fs.readFileSync((await download.path())!));
      expect(sheet.rows).toEqual([
        ["ma_cskcb", "ma_lk", "thoi_gian_tiep_nhan", "ma_ket_qua", "Lỗi"],
        ["38120", undefined, "20260304100000", "200", expect.stringMatching(/^Dòng 3: Thiếu "Mã lượt KCB"/)],
      ]);

      await page.getByRole("button", { name: "Xác nhận nhập" }).click();
      await page.getByRole("heading", { name: "Đã nhập" }).waitFor({ timeout: 60_000 });
      expect(await count("visit")).toBe(529);
      expect(await count("gateway_receipt")).toBe(1);
      expect(await page.locator("tr", { hasText: "tmp-upload-broken.csv" }).getByTestId("error-report").count()).toBe(1);
      await screenshot(page, "import-done");

      await page.getByRole("link", { name: "Xem lịch sử nhập" }).click();
      await page.waitForURL("**/imports");
      // The history itself, not the page being left: one row for the upload, opening onto its files.
      await page.getByRole("heading", { name: "Lịch sử nhập dữ liệu" }).waitFor();
      const upload = page.getByTestId("upload").first();
      await upload.locator("summary").click();
      expect(await upload.getByTestId("upload-files").innerText()).toContain("tmp-upload-broken.csv");
      await screenshot(page, "import-history");
    } finally {
      fs.rmSync(broken, { force: true });
    }
    expect(errors).toEqual([]);
  });

  it("writes nothing on Cancel", async () => {
    const { page, errors } = shared.browser;
    await page.goto(`${shared.server.url}/import`);
    await page.locator('input[type="file"]').setInputFiles([path.join(WARD, "ket-qua-gui.csv")]);
    await page.getByRole("button", { name: /Tải lên và kiểm tra/ }).click();
    await page.getByRole("button", { name: "Hủy (không ghi gì)" }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Hủy (không ghi gì)" }).click();
    await expect.poll(() => page.locator('input[type="file"]').count()).toBe(1);
    expect(await count("gateway_receipt")).toBe(1);
    expect(errors).toEqual([]);
  });

  it("deletes an import's error reports at once on request", async () => {
    const { page, errors } = shared.browser;
    const previews = path.join(shared.server.dataDir, "previews");
    const before = new Set(fs.readdirSync(previews)); // the first test's reports are still within their hour
    const added = () => fs.readdirSync(previews).filter((id) => !before.has(id));
    await page.goto(`${shared.server.url}/import`);
    await page.locator('input[type="file"]').setInputFiles({
      name: "ket-qua-loi.csv", mimeType: "text/csv",
      buffer: Buffer.from("ma_cskcb,ma_lk,thoi_gian_tiep_nhan,ma_ket_qua\n38120,TYT000002,20260304100000,200\n38120,,20260304100000,200\n"),
    });
    await page.getByRole("button", { name: /Tải lên và kiểm tra/ }).click();
    await page.getByRole("button", { name: "Xác nhận nhập" }).click({ timeout: 60_000 });
    await page.getByRole("heading", { name: "Đã nhập" }).waitFor({ timeout: 60_000 });
    const [kept] = added();
    expect(fs.readdirSync(path.join(previews, kept)).sort()).toEqual(["loi-0001.xlsx", "preview.json"]); // the upload is gone, its report kept
    await page.getByRole("button", { name: "Xóa tệp lỗi ngay" }).click();
    await expect.poll(() => page.locator('input[type="file"]').count()).toBe(1);
    await expect.poll(() => added()).toEqual([]);
    expect(errors).toEqual([]);
  });
});
