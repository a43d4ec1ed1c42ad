import { beforeEach, describe, expect, it } from "vitest";
import { openMigratedDatabase, type DB } from "./db.server";
import { createUser, disableUser, hashPassword, listUsers, resetPassword, UserError, verifyPassword } from "./users.server";
import { ensureWard } from "./ward.server";

let db: DB;
beforeEach(async () => {
  db = await openMigratedDatabase(":memory:");
  await ensureWard(db);
});

describe("passwords", () => {
  it("stores scrypt$N$r$p$salt$hash with a fresh salt each time, and verifies only the right password", async () => {
    const a = await hashPassword("mat-khau-dung");
    const b = await hashPassword("mat-khau-dung");
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "mat-khau-dung")).toBe(true);
    expect(await verifyPassword(a, "mat-khau-sai")).toBe(false);
    expect(await verifyPassword("plain-text", "plain-text")).toBe(false);
    expect(await verifyPassword("scrypt$0$8$1$AAAA$AAAA", "x")).toBe(false);
  });
});

describe("accounts", () => {
  it("creates a block committee tied to its block, and other roles without one", async () => {
    const khoi = await createUser(db, { username: " Khoi3 ", displayName: "Ban cán sự khối 3", role: "ban_can_su_khoi", blockNumber: 3, password: "mot-cau-du-dai" });
    expect(khoi).toMatchObject({ username: "khoi3", blockNumber: 3, blockName: "Khối 3", disabled: false });
    await expect(createUser(db, { username: "khoi", displayName: "X", role: "ban_can_su_khoi", password: "mot-cau-du-dai" })).rejects.toThrow(/phải chọn khối/);
    await expect(createUser(db, { username: "khoi10", displayName: "X", role: "ban_can_su_khoi", blockNumber: 10, password: "mot-cau-du-dai" })).rejects.toThrow(/Không có khối số 10/);
    await expect(createUser(db, { username: "lanhdao", displayName: "X", role: "lanh_dao", blockNumber: 1, password: "mot-cau-du-dai" })).rejects.toThrow(UserError);
    await expect(createUser(db, { username: "khoi3", displayName: "X", role: "lanh_dao", password: "mot-cau-du-dai" })).rejects.toThrow(/đã tồn tại/);
    await expect(createUser(db, { username: "ngan", displayName: "X", role: "lanh_dao", password: "123456789" })).rejects.toThrow(/ít nhất 10/);
    await expect(createUser(db, { username: "a b", displayName: "X", role: "lanh_dao", password: "mot-cau-du-dai" })).rejects.toThrow(/không hợp lệ/);
    expect((await listUsers(db)).map((u) => u.username)).toEqual(["khoi3"]);
  });

  it("disabling or resetting a password ends the account's sessions and is audited", async () => {
    const user = await createUser(db, { username: "tramyte", displayName: "Trạm Y tế", role: "tram_y_te", password: "mat-khau-cu" }, { username: "cli" });
    const session = (id: string) => ({ id, user_id: user.id, created_at: 0, last_seen_at: 0, expires_at: 0, ip: null, user_agent: null });
    await db.insertInto("session").values(session("s1")).execute();
    expect(await resetPassword(db, "tramyte", "mat-khau-moi", { username: "cli" })).toBe(true);
    const { password_hash } = await db.selectFrom("app_user").select("password_hash").executeTakeFirstOrThrow();
    expect(await verifyPassword(password_hash, "mat-khau-moi")).toBe(true);
    expect(await db.selectFrom("session").selectAll().execute()).toEqual([]);

    await db.insertInto("session").values(session("s2")).execute();
    expect(await disableUser(db, "tramyte")).toBe(true);
    expect(await disableUser(db, "khongco")).toBe(false);
    expect((await listUsers(db))[0].disabled).toBe(true);
    expect(await db.selectFrom("session").selectAll().execute()).toEqual([]);
    const audit = await db.selectFrom("audit_log").select(["action", "target", "username"]).orderBy("id").execute();
    expect(audit).toEqual([
      { action: "create", target: "user:tramyte", username: "cli" },
      { action: "update", target: "user:tramyte", username: "cli" },
      { action: "disable", target: "user:tramyte", username: null },
    ]);
  });
});
