// The dashboard's first load on a throttled connection, measured in Chromium: a cold
// profile signs in, then loads /dashboard with the network held to a slow mobile link
// (CDP Network.emulateNetworkConditions: 400 ms round trip, 1,6 Mbit/s down, 750 kbit/s
// up). Prints the time to the load event and the bytes that crossed the wire, once with
// compression off (SSKDT_COMPRESSION=0) and once with it on.
//   npx tsx scripts/bench-first-load.ts
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDashboardServer } from "../tests/http/dashboard-fixture";
import { TEST_PASSWORD } from "../tests/http/server";

const CONDITIONS = { offline: false, latency: 400, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const RUNS = 3;

async function measure(compression: boolean): Promise<{ ms: number[]; bytes: number }> {
  process.env.SSKDT_COMPRESSION = compression ? "1" : "0";
  const server = await startDashboardServer({ SSKDT_COMPRESSION: compression ? "1" : "0" });
  const ms: number[] = [];
  let bytes = 0;
  try {
    for (let run = 0; run < RUNS; run++) {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-load-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}/login`);
      await page.getByLabel("Tên đăng nhập").fill("lanhdao");
      await page.getByLabel("Mật khẩu").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.waitForURL((u) => u.pathname !== "/login");
      // A cold cache for the measured load: the sign-in page's assets do not count.
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.clearBrowserCache");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", CONDITIONS);
      let transferred = 0;
      cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => (transferred += e.encodedDataLength));
      const started = Date.now();
      await page.goto(`${server.url}/dashboard?period=2026-03`, { waitUntil: "load" });
      ms.push(Date.now() - started);
      bytes = transferred;
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  } finally {
    await server.stop();
  }
  return { ms, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const compression of [false, true]) {
  const { ms, bytes } = await measure(compression);
  console.log(`compression ${compression ? "on " : "off"}: load ${median(ms)} ms (runs ${ms.join(", ")} ms), ${(bytes / 1024).toFixed(0)} KiB transferred`);
}
