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
    await writing.insertInto("audit_log").values({ at: 1, ward_id: ward.id, user_id: null, username: null, action: "import", target: "x", detail: null, ip: null }).execute();

    // Reads go on, and see only what is committed.
    const started = performance.now();
    const seen = await db.selectFrom("audit_log").select("action").execute();
    expect(seen.map((r) => r.action)).not.toContain("import");

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

    await new Promise((resolve) => setTimeout(resolve, 200)); // the deferred audit entry
    const actions = (await db.selectFrom("audit_log").select("action").orderBy("id").execute()).map((r) => r.action);
    expect(actions).toEqual(["import", "view"]);
    expect((await db.selectFrom("ward").select("name").where("id", "=", ward.id).executeTakeFirstOrThrow()).name).toBe("Phường Đổi Tên");
    await importer.destroy();
    await db.destroy();
  });
});
