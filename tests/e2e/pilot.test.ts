// A block committee on a 390 px phone records a resident and an activity of its block
// (and is refused another block's), then the vice chair sees them: on the dashboard (the
// block no longer "has no data last month", the activity counted) and in Cần đôn đốc.
// Screenshots go to /tmp/sskdt-pilot-*.png.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDayOf, makeDay } from "~/domain/time";
import { monthWords, previousMonth } from "~/domain/pilot";
import { createPlanTask } from "~/server/plan.server";
import { defaultWardId } from "~/server/ward.server";
import { registerFacilities } from "../import/helpers";
import { createTestUsers, launchBrowser, PHONE, screenshot, signIn, startServer, type Browser, type TestServer } from "./helpers";

let server: TestServer;
let phone: Browser;
let leader: Browser;
let block4: number;
const now = Math.floor(Date.now() / 1000);
const lastMonth = previousMonth(localDayOf(now).slice(0, 7));
const dayLastMonth = `${lastMonth}-15`;
const lastMonthWords = monthWords(lastMonth, now);

beforeAll(async () => {
  server = await startServer({
    setup: async (db) => {
      await createTestUsers(db);
      const wardId = await defaultWardId(db);
      await registerFacilities(db, wardId, ["38120"]);
      block4 = (await db.selectFrom("block").select("id").where("number", "=", 4).executeTakeFirstOrThrow()).id;
      // A block committees' task that ran out yesterday (Vietnam time): to be urged.
      const [y, m, d] = localDayOf(now - 86400).split("-").map(Number);
      await createPlanTask(db, { wardId, phase: 2, title: "Rà soát hộ dân chưa cài VNeID", responsibleUnit: "ban_can_su_khoi", dueDate: makeDay(y, m, d) });
    },
  });
  phone = await launchBrowser(PHONE);
  leader = await launchBrowser();
});
afterAll(async () => {
  await phone?.close();
  await leader?.close();
  await server?.stop();
});

const overflow = (b: Browser) => b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("entering data on a phone, followed up by the vice chair", () => {
  it("the block committee records a resident of its block", async () => {
    const { page } = phone;
    await signIn(page, server.url, "khoi3");
    await page.goto(`${server.url}/entry/onboarding`);
    await page.getByLabel("Số định danh cá nhân (12 chữ số)").fill("040090001234");
    await page.getByLabel("Ngày cài đặt VNeID").fill(dayLastMonth);
    await page.getByLabel("Ngày kích hoạt định danh mức 2").fill(dayLastMonth);
    await page.getByRole("button", { name: "Ghi nhận" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("Đã ghi nhận.");
    await expect.poll(() => page.getByTestId("onboarding-week").innerText()).toContain("…1234");
    expect(await page.getByTestId("onboarding-week").innerText()).toContain("Khối 3");
    const button = await page.getByRole("button", { name: "Ghi nhận" }).boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(44); // a thumb-sized target
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(page, "pilot-onboarding-phone");
  });

  it("and an activity of its block, and is refused another block's", async () => {
    const { page } = phone;
    await page.goto(`${server.url}/activities`);
    await page.getByLabel("Loại hoạt động").selectOption("loa_fm");
    await page.getByLabel("Ngày", { exact: true }).fill(dayLastMonth);
    await page.getByLabel("Nội dung").fill("Phát thanh về Sổ sức khỏe điện tử");
    await page.getByLabel("Số người tham dự / tiếp cận").fill("250");
    await page.getByRole("button", { name: "Ghi nhận" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("Đã ghi nhận hoạt động.");
    await expect.poll(() => page.getByTestId("activity-list").innerText()).toContain("Phát thanh về Sổ sức khỏe điện tử");
    expect(await page.locator('select[name="blockId"] option').allInnerTexts()).toEqual(["Khối 3"]);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(page, "pilot-activities-phone");
    // Another block's data, posted from the same signed-in page: refused on the server.
    const statuses = await page.evaluate(async (other) => {
      const post = (path: string, form: Record<string, string>) => fetch(path, { method: "POST", body: new URLSearchParams(form) }).then((r) => r.status);
      return [
        await post("/entry/onboarding", { blockId: String(other), pid: "040090005678", vneid: "2026-03-02", supportUnit: "ban_can_su_khoi" }),
        await post("/activities", { intent: "create", type: "hoi_nghi", date: "2026-03-02", unit: "ban_can_su_khoi", blockId: String(other), content: "Khối khác" }),
      ];
    }, block4);
    expect(statuses).toEqual([403, 403]);
    expect(await server.db.selectFrom("onboarding_record").select("block_id").execute()).toHaveLength(1);
    expect(await server.db.selectFrom("activity").select("content").execute()).toEqual([{ content: "Phát thanh về Sổ sức khỏe điện tử" }]);
  });

  it("the vice chair sees them on the dashboard", async () => {
    const { page } = leader;
    await signIn(page, server.url, "lanhdao");
    await page.goto(`${server.url}/dashboard?period=${lastMonth}`);
    const gaps = await page.getByTestId("reporting-gaps").innerText();
    expect(gaps).toContain(`Khối 4 chưa có số liệu ${lastMonthWords}`);
    expect(gaps).not.toContain(`Khối 3 chưa có số liệu ${lastMonthWords}`);
    expect(await page.getByTestId("i5-panel").innerText()).toMatch(/Tổng số hoạt động\s+1\s+Lượt người tham dự \/ tiếp cận\s+250[\s\S]*Ban cán sự khối\s+1/);
    expect(await page.getByTestId("onboarding-panel").innerText()).toContain("Khối 3");
    await screenshot(page, "pilot-dashboard-lanhdao");
  });

  it("and in Cần đôn đốc, with the block committees' overdue task", async () => {
    const { page } = leader;
    await page.goto(`${server.url}/urge`);
    expect(await page.getByTestId("urge-ban_can_su_khoi").innerText()).toMatch(/Quá hạn \(1\)[\s\S]*Rà soát hộ dân chưa cài VNeID[\s\S]*quá 1 ngày/);
    const gaps = await page.getByTestId("reporting-gaps").innerText();
    expect(gaps).toContain(`Khối 4 chưa có số liệu ${lastMonthWords}`);
    expect(gaps).not.toContain(`Khối 3 chưa có số liệu ${lastMonthWords}`);
    await screenshot(page, "pilot-urge-lanhdao");
  });

  it("ran without a script error or a CSP violation", () => {
    // The two refusals above are the only failed loads.
    const refusals = phone.errors.filter((e) => /status of 403/.test(e));
    expect(refusals).toHaveLength(2);
    expect(phone.errors.filter((e) => !refusals.includes(e))).toEqual([]);
    expect(leader.errors).toEqual([]);
  });
});
