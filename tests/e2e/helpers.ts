// Shared pieces of the browser tests: the real server (tests/http/server.ts), Debian's
// Chromium driven by playwright-core, signing in through the form, screenshots.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "../http/server";
import { defaultWardId } from "~/server/ward.server";
import { registerFacilities } from "../import/helpers";

const SAMPLE_WARD_FACILITIES = ["38120", "38A15"];

export { createTestUsers, startServer, TEST_PASSWORD, TEST_USERS, type TestServer } from "../http/server";

export const CHROMIUM = "/usr/bin/chromium";

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

export const PHONE = { width: 390, height: 844 };

/** A fresh headless Chromium profile; `viewport` defaults to a desktop screen. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form and waits until the app has left /login and shows the signed-in frame. */
export async function signIn(page: Page, baseUrl: string, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(new URL("/login", baseUrl).href);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  // The URL changes before the new page is on screen: wait for the signed-in frame.
  await page.locator(".who").waitFor();
}

/** The labels of the main menu, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  return page.locator("nav.mainnav a").allInnerTexts();
}

/** Saves a full-page screenshot to /tmp/sskdt-<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(os.tmpdir(), `sskdt-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The set-up most browser test files share: the built app on a fresh database with one
 * account per role, and one browser; both stopped after the file. Read the fields inside
 * the tests (they are filled in beforeAll).
 */
export function serverWithBrowser(): { server: TestServer; browser: Browser } {
  const shared = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    shared.server = await startServer({
      setup: async (db) => {
        await createTestUsers(db);
        // The sample ward's facilities (its co-so.csv): a file naming an unknown code is refused.
        await registerFacilities(db, await defaultWardId(db), SAMPLE_WARD_FACILITIES);
      },
    });
    shared.browser = await launchBrowser();
  });
  afterAll(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}
