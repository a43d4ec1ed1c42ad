// Accounts and tokens without a server: the password policy, the throttle's atomic
// counters, TOTP codes taken once, and repeated failures aggregated in the audit log.
import { Secret, TOTP } from "otpauth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { passwordProblem } from "~/domain/passwords";
import { auditRepeated, flushRepeatedAudits } from "~/server/audit.server";
import { setInstallationSecret, seal, unseal } from "~/server/crypto.server";
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { reserveAttempt, unlockAccount } from "~/server/throttle.server";
import { acceptTotpCode, enableTotp, newTotpKey } from "~/server/totp.server";
import { createUser, findUser, resetPassword, UserError } from "~/server/users.server";
import { ensureWard } from "~/server/ward.server";

let db: DB;
beforeEach(async () => {
  setInstallationSecret("accounts-tests-secret-0123456789abcdef");
  db = await openMigratedDatabase(":memory:");
  await ensureWard(db);
});
afterEach(() => db.destroy());

describe("password policy", () => {
  it.each([
    ["password", "ít nhất 10"],
    ["        ", "ít nhất 10"],
    [" ".repeat(12), "khoảng trắng"],
    ["aaaaaaaaaaaa", "quá đơn giản"],
    ["1234567890", "quá phổ biến"],
    ["Matkhau 123", "quá phổ biến"],
    ["QWERTYUIOP", "quá phổ biến"],
    ["abcdefghijkl", "quá phổ biến"],
    ["lanhdao-2026-moi", "tên đăng nhập"],
    ["x".repeat(120) + "abcdefghi", "dài quá"],
  ])("refuses %j", (password, reason) => {
    expect(passwordProblem(password, "lanhdao")).toContain(reason);
  });

  it("takes a long sentence, Vietnamese letters and all, counting characters rather than bytes", () => {
    expect(passwordProblem("mùa thu hà nội lá vàng rơi", "lanhdao")).toBeNull();
    const long = "đường về quê hương ".repeat(7).slice(0, 128);
    expect(Buffer.byteLength(long)).toBeGreaterThan(128);
    expect(passwordProblem(long, "lanhdao")).toBeNull(); // 128 characters
    expect(passwordProblem(long + "x", "lanhdao")).toContain("dài quá");
  });

  it("is what accounts are created and reset with", async () => {
    await expect(createUser(db, { username: "moi", displayName: "Mới", role: "van_hoa", password: "password" })).rejects.toThrow(UserError);
    await createUser(db, { username: "moi", displayName: "Mới", role: "van_hoa", password: "mot cau rat dai" });
    await expect(resetPassword(db, "moi", "1234567890")).rejects.toThrow(/phổ biến/);
  });
});

describe("sign-in throttle", () => {
  it("reserves atomically: a burst of parallel attempts gets exactly the limit", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => reserveAttempt(db, "quantri", "10.0.0.1")));
    expect(results.filter((r) => r.locked === null)).toHaveLength(5);
    // Another address is not concerned; an unlock lifts the account's locks everywhere.
    expect((await reserveAttempt(db, "quantri", "10.0.0.2")).locked).toBeNull();
    expect(await unlockAccount(db, "quantri")).toBeGreaterThan(0);
    expect((await reserveAttempt(db, "quantri", "10.0.0.1")).locked).toBeNull();
  });

  it("gives back a success's reservation, and a reset password lifts the lock", async () => {
    await createUser(db, { username: "khoi_3", displayName: "Khối Ba", role: "ban_can_su_khoi", blockNumber: 3, password: "mot cau rat dai" });
    for (let i = 0; i < 4; i++) await reserveAttempt(db, "khoi_3", "10.0.0.1");
    await (await reserveAttempt(db, "khoi_3", "10.0.0.1")).release("success");
    expect((await reserveAttempt(db, "khoi_3", "10.0.0.1")).locked).toBeNull(); // counting starts again
    for (let i = 0; i < 5; i++) await reserveAttempt(db, "khoi_3", "10.0.0.1");
    expect((await reserveAttempt(db, "khoi_3", "10.0.0.1")).locked?.kind).toBe("account_from_address");
    await resetPassword(db, "khoi_3", "mot mat khau moi hon");
    expect((await reserveAttempt(db, "khoi_3", "10.0.0.1")).locked).toBeNull();
  });
});

describe("TOTP", () => {
  it("seals the key, and takes each code once", async () => {
    const user = await createUser(db, { username: "lanhdao", displayName: "Lãnh Đạo", role: "lanh_dao", password: "mot cau rat dai" });
    const key = newTotpKey("lanhdao");
    expect(key.sealed).not.toContain(key.base32);
    expect(unseal(key.sealed)).toBe(key.base32);
    const sealed = seal("x");
    // Tampered in the middle: the last base64 character may carry only padding bits, which decode to the same bytes.
    const mid = Math.floor(sealed.length / 2);
    expect(unseal(sealed.slice(0, mid) + (sealed[mid] === "A" ? "B" : "A") + sealed.slice(mid + 1))).toBeNull();
    const totp = new TOTP({ secret: Secret.fromBase32(key.base32), digits: 6, period: 30, algorithm: "SHA1" });
    expect(await enableTotp(db, user.id, key.sealed, "123")).toBe(false);
    expect(await enableTotp(db, user.id, key.sealed, totp.generate())).toBe(true);
    const stored = await db.selectFrom("app_user").select("totp_secret").where("id", "=", user.id).executeTakeFirstOrThrow();
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const results = await Promise.all([1, 2, 3].map(() => acceptTotpCode(db, { id: user.id, totp_secret: stored.totp_secret! }, next)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await findUser(db, "lanhdao")).toBeDefined();
  });
});

describe("repeated failures in the audit log", () => {
  it("writes the first five of a minute, then one row counting the rest", async () => {
    const t0 = Date.now();
    for (let i = 0; i < 40; i++) await auditRepeated(db, { action: "login_failed", ip: "10.0.0.9", username: `u${i}` }, "k", t0 + i);
    expect(await db.selectFrom("audit_log").select("id").execute()).toHaveLength(5);
    await auditRepeated(db, { action: "login_failed", ip: "10.0.0.9", username: "late" }, "k", t0 + 61_000);
    const rows = await db.selectFrom("audit_log").select(["username", "detail"]).orderBy("id").execute();
    expect(rows).toHaveLength(7);
    expect(JSON.parse(rows[5].detail!)).toMatchObject({ repeated: 35 });
    expect(rows[5].username).toBe("u39");
    await flushRepeatedAudits();
    expect(await db.selectFrom("audit_log").select("id").execute()).toHaveLength(7);
  });
});
