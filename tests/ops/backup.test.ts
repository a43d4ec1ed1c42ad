// Backups: `sskdt backup` while the real server serves, `sskdt restore` into a new
// database, and the figures must come out byte for byte the same. The secret is not in
// the backup, and a backup under another secret is refused.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupsToRemove, dailyMaintenance, isBackupDue } from "~/server/backup.server";
import { openMigratedDatabase } from "~/server/db.server";
import { localToEpoch } from "~/domain/time";
import { setInstallationSecret } from "~/server/crypto.server";
import { Client } from "../http/client";
import { TEST_PASSWORD, createTestUsers, startServer, type TestServer } from "../http/server";
import { ROOT, sskdt } from "./sskdt";

const SAMPLE = path.join(ROOT, "tests/fixtures/sample-ward");
const secret = crypto.randomBytes(32).toString("hex");
const METRICS = ["metrics", "--period", "2026-H1", "--as-of", "2026-07-05T08:00:00+07:00", "--json"];
let server: TestServer;
let dir: string;

// The file itself is backed up here, so on PostgreSQL (TEST_DATABASE_URL) postgres-backup.test.ts runs instead.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))("backups of the SQLite file", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-backup-"));
    setInstallationSecret(secret); // the accounts created here are audited under the server's secret
    server = await startServer({ env: { SSKDT_SECRET: secret }, setup: createTestUsers });
    // Part of the sample ward (its first half-year of visits and every table file): every indicator has figures.
    const files = ["co-so.csv", "thang-01-06.zip", "phong-kham.csv", "ket-qua-gui.csv", "hien-thi.csv", "dan-so.csv", "ho-tro.csv", "hoat-dong.csv"];
    const imported = await sskdt(["import", ...files.map((f) => `data/${f}`)], { DATABASE_URL: server.databaseUrl, SSKDT_SECRET: secret }, SAMPLE);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("sskdt backup and restore", () => {
    it("backs up while the server serves, restores into a new database with the same figures", async () => {
      const file = path.join(dir, "sao-luu.sqlite");
      const client = new Client(server.url);
      expect((await client.signIn("lanhdao", TEST_PASSWORD)).status).toBe(302);
      // Pages are served (and audited) all the while the backup runs.
      let serving = true;
      const traffic = (async () => {
        let n = 0;
        while (serving) {
          expect((await client.get("/dashboard?period=2026-H1")).status).toBe(200);
          n++;
        }
        return n;
      })();
      const backup = await sskdt(["backup", file], { DATABASE_URL: server.databaseUrl, SSKDT_SECRET: secret });
      serving = false;
      expect(await traffic).toBeGreaterThan(0);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/Đã sao lưu vào .*SHA-256 [0-9a-f]{64}/);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);

      const restoredUrl = `file:${path.join(dir, "moi", "sskdt.sqlite")}`;
      const restored = await sskdt(["restore", file], { DATABASE_URL: restoredUrl, SSKDT_SECRET: secret });
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain("chuỗi nhật ký nguyên vẹn");

      const [before, after] = await Promise.all([
        sskdt(METRICS, { DATABASE_URL: server.databaseUrl, SSKDT_SECRET: secret }),
        sskdt(METRICS, { DATABASE_URL: restoredUrl, SSKDT_SECRET: secret }),
      ]);
      expect(before.code).toBe(0);
      expect(JSON.parse(before.stdout).i1.total).toBeGreaterThan(0);
      expect(after.stdout).toBe(before.stdout);

      const verify = await sskdt(["audit", "verify"], { DATABASE_URL: restoredUrl, SSKDT_SECRET: secret });
      expect(verify.code, verify.stdout).toBe(0);
      const db = await openMigratedDatabase(restoredUrl);
      try {
        const last = await db.selectFrom("audit_log").select(["action", "detail"]).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
        expect(last.action).toBe("restore");
        expect(JSON.parse(last.detail!).file).toBe("sao-luu.sqlite");
      } finally {
        await db.destroy();
      }
    }, 120_000);

    it("refuses a backup whose audit chain does not verify with this secret, and leaves the database alone", async () => {
      const file = path.join(dir, "khac.sqlite");
      expect((await sskdt(["backup", file], { DATABASE_URL: server.databaseUrl, SSKDT_SECRET: secret })).code).toBe(0);
      const target = path.join(dir, "khac-moi.sqlite");
      const refused = await sskdt(["restore", file], { DATABASE_URL: `file:${target}`, SSKDT_SECRET: "another-secret-".repeat(4) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("does not verify with this installation's secret");
      expect(fs.existsSync(target)).toBe(false);
    }, 60_000);
  });

  describe("the daily backup", () => {
    it("is due once a day from the configured hour, and keeps the newest", () => {
      const at = (h: number) => localToEpoch(2026, 3, 15, h);
      expect(isBackupDue(at(1), 2, [])).toBe(false);
      expect(isBackupDue(at(2), 2, [])).toBe(true);
      expect(isBackupDue(at(23), 2, ["sskdt-2026-03-14.sqlite"])).toBe(true);
      expect(isBackupDue(at(23), 2, ["sskdt-2026-03-15.sqlite"])).toBe(false);
      expect(backupsToRemove(["sskdt-2026-03-13.sqlite", "ghi-chu.txt", "sskdt-2026-03-15.sqlite", "sskdt-2026-03-14.sqlite"], 2))
        .toEqual(["sskdt-2026-03-13.sqlite"]);
    });

    it("writes today's backup in the server's process, removes the oldest beyond the count, and audits it", async () => {
      setInstallationSecret(secret);
      const work = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-daily-"));
      const url = `file:${path.join(work, "sskdt.sqlite")}`;
      const db = await openMigratedDatabase(url);
      try {
        const backups = path.join(work, "backups");
        fs.mkdirSync(backups);
        for (const d of ["10", "11", "12"]) fs.writeFileSync(path.join(backups, `sskdt-2026-03-${d}.sqlite`), "old");
        const e = { DATABASE_URL: url, SSKDT_BACKUP_DIR: undefined, SSKDT_BACKUP_HOUR: 2, SSKDT_BACKUP_KEEP: 3, SSKDT_AUDIT_RETENTION_DAYS: 0 };
        const lines: string[] = [];
        await dailyMaintenance(db, e, localToEpoch(2026, 3, 15, 3), (l) => lines.push(l));
        await dailyMaintenance(db, e, localToEpoch(2026, 3, 15, 9), (l) => lines.push(l)); // not twice a day
        expect(fs.readdirSync(backups).sort()).toEqual(["sskdt-2026-03-11.sqlite", "sskdt-2026-03-12.sqlite", "sskdt-2026-03-15.sqlite"]);
        expect(lines).toHaveLength(1);
        const entries = await db.selectFrom("audit_log").select(["action", "username"]).execute();
        expect(entries).toEqual([{ action: "backup", username: "daily" }]);
      } finally {
        await db.destroy();
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  });
});
