import { describe, expect, it } from "vitest";
import { bootstrap } from "./bootstrap.server";
import { openMigratedDatabase } from "./db.server";
import { listUsers, verifyPassword } from "./users.server";

describe("bootstrap without demo data", () => {
  it("creates the ward and only the administrator, printing its password once", async () => {
    const db = await openMigratedDatabase(":memory:");
    const lines: string[] = [];
    const options = { db, env: { SSKDT_DEMO: "0" as const, SSKDT_DEMO_PASSWORD: "sskdt-demo-2026" }, log: (l: string) => lines.push(l) };
    await bootstrap(options);
    expect((await listUsers(db)).map((u) => [u.username, u.role])).toEqual([["quantri", "quan_tri"]]);
    const password = /username: quantri\s+password: (\S+)/.exec(lines.join("\n"))?.[1];
    const { password_hash } = await db.selectFrom("app_user").select("password_hash").executeTakeFirstOrThrow();
    expect(await verifyPassword(password_hash, password!)).toBe(true);
    expect(await db.selectFrom("block").select("id").execute()).toHaveLength(9);

    lines.length = 0;
    await bootstrap(options);
    expect(await listUsers(db)).toHaveLength(1);
    expect(lines.join("\n")).not.toContain("password");
  });
});
