// A long write (an import) on one connection must not hold up the rest of the process:
// other connections read the last committed state, a page view's audit entry does not
// wait for the write lock, and a write that must wait does so without stopping the event loop.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { audit } from "~/server/audit.server";
import { openDatabase, openMigratedDatabase } from "~/server/db.server";
import { ensureWard } from "~/server/ward.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-db-concurrency-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("connections of one process", () => {
  it("read, audit and wait asynchronously while another connection holds a write transaction", async () => {
    const url = `file:${path.join(dir, "db.sqlite")}`;
    const db = await openMigratedDatabase(url);
    const ward = await ensureWard(db);
    const importer = openDatabase(url); // as the import worker's own connection

    const writing = await importer.startTransaction().execute();
    await writing.updateTable("ward").set({ place_name: "đang nhập" }).where("id", "=", ward.id).execute();

    // Reads go on, and see only what is committed.
    const started = performance.now();
    const seen = await db.selectFrom("ward").select("place_name").where("id", "=", ward.id).executeTakeFirstOrThrow();
    expect(seen.place_name).not.toBe("đang nhập");

    // An audit entry of a page view returns at once (it is written when the lock is free).
    await audit(db, { action: "view", wardId: ward.id, target: "dashboard" });
    expect(performance.now() - started).toBeLessThan(1000);

    // A write that must wait for the lock waits without blocking the event loop.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const waiting = db.updateTable("ward").set({ name: "Phường Đổi Tên" }).where("id", "=", ward.id).execute();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ticks).toBeGreaterThan(5);
    await writing.commit().execute();
    await waiting;
    clearInterval(ticker);

    // The audit entry, kept back while the lock was held, is written once it is free.
    const viewed = async () => (await db.selectFrom("audit_log").select("action").where("action", "=", "view").execute()).length;
    for (let i = 0; i < 50 && (await viewed()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await viewed()).toBe(1);
    expect((await db.selectFrom("ward").select("name").where("id", "=", ward.id).executeTakeFirstOrThrow()).name).toBe("Phường Đổi Tên");
    await importer.destroy();
    await db.destroy();
  });
});
