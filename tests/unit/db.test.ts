import { describe, expect, it } from "vitest";
import { openMigratedDatabase } from "~/server/db.server";

describe("database", () => {
  it("applies every migration to an empty in-memory database, with foreign keys on", async () => {
    const db = await openMigratedDatabase(":memory:");
    const tables = await db.introspection.getTables();
    const names = tables.map((t) => t.name);
    for (const t of ["ward", "block", "visit", "gateway_receipt", "display_confirmation", "onboarding_record", "audit_log", "app_user"]) {
      expect(names).toContain(t);
    }
    await expect(
      db.insertInto("block").values({ ward_id: 999, number: 1, name: "Khối 1" }).execute(),
    ).rejects.toThrow(/foreign key/i);
    await db.destroy();
  });
});
