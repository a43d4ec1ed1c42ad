// Accounts: who may sign in, with which role, for which block. Passwords are stored as
// `scrypt$N$r$p$salt$hash` (node:crypto scrypt, a random salt per user) and compared in
// constant time. The web admin page, the CLI and the demo loader all come through here.
import crypto from "node:crypto";
import { promisify } from "node:util";
import type { DB } from "./db.server";
import { audit } from "./audit.server";
import { defaultWardId } from "./ward.server";
import type { CurrentUser } from "./guard.server";
import { passwordProblem } from "../domain/passwords";
import { isBlockScoped, isRole, type Role } from "../domain/permissions";
import { storedSessionId } from "./session.server";
import { unlockAccount } from "./throttle.server";

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

// About 50 ms on this class of machine: slow for a guesser, quick enough for a sign-in.
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  try {
    const actual = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
      N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r),
    });
    return crypto.timingSafeEqual(actual, expected);
  } catch {
    return false; // a damaged hash (bad parameters) never matches
  }
}

/** Spends the time of a real check when the username is unknown, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNobody(password: string): Promise<false> {
  await verifyPassword(await (dummyHash ??= hashPassword("no such user")), password);
  return false;
}

/** A password to hand over once: 16 characters from an alphabet without look-alikes. */
export function generatePassword(length = 16): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from(crypto.randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

export class UserError extends Error {}

export interface Actor {
  userId?: number | null;
  username: string;
  ip?: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  /** The block's number (1…9); required for a block committee, refused for others. */
  blockNumber?: number | null;
  password: string;
  wardId?: number;
  /** A password made for the user (generated, or set by the administrator): changed at the first sign-in. */
  mustChangePassword?: boolean;
}

/** An account as the admin page lists it: who it is (as the guards see it) and its state. */
export interface UserSummary extends CurrentUser {
  blockNumber: number | null;
  blockName: string | null;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export const normalizeUsername = (username: string) => username.trim().toLowerCase();

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export async function createUser(db: DB, input: NewUser, actor?: Actor): Promise<UserSummary> {
  const username = normalizeUsername(input.username);
  if (!USERNAME.test(username)) throw new UserError(`Tên đăng nhập không hợp lệ: "${input.username}" (2–32 ký tự a-z, 0-9, . _ -).`);
  if (!isRole(input.role)) throw new UserError(`Vai trò không hợp lệ: ${String(input.role)}`);
  if (!input.displayName.trim()) throw new UserError("Thiếu họ tên.");
  checkPasswordStrength(input.password, username);
  const wardId = input.wardId ?? (await defaultWardId(db));
  const blockId = await blockIdFor(db, wardId, input.role, input.blockNumber ?? null);
  const existing = await db.selectFrom("app_user").select("id").where("username", "=", username).executeTakeFirst();
  if (existing) throw new UserError(`Tên đăng nhập đã tồn tại: ${username}`);
  const now = Math.floor(Date.now() / 1000);
  await db
    .insertInto("app_user")
    .values({
      ward_id: wardId,
      username,
      display_name: input.displayName.trim(),
      password_hash: await hashPassword(input.password),
      role: input.role,
      block_id: blockId,
      disabled: 0,
      created_at: now,
      password_changed_at: now,
      must_change_password: input.mustChangePassword ? 1 : 0,
    })
    .execute();
  await audit(db, { action: "create", wardId, ...actorFields(actor), target: `user:${username}`, detail: { role: input.role, block: input.blockNumber ?? null } });
  return (await findUser(db, username))!;
}

export async function listUsers(db: DB, wardId?: number): Promise<UserSummary[]> {
  let query = userQuery(db).orderBy("app_user.username");
  if (wardId !== undefined) query = query.where("app_user.ward_id", "=", wardId);
  return (await query.execute()).map(toSummary);
}

export async function findUser(db: DB, username: string): Promise<UserSummary | undefined> {
  const row = await userQuery(db).where("app_user.username", "=", normalizeUsername(username)).executeTakeFirst();
  return row && toSummary(row);
}

/** Disables an account and ends its sessions. False when there is no such user. */
export async function disableUser(db: DB, username: string, actor?: Actor): Promise<boolean> {
  const user = await findUser(db, username);
  if (!user) return false;
  await db.updateTable("app_user").set({ disabled: 1 }).where("id", "=", user.id).execute();
  await db.deleteFrom("session").where("user_id", "=", user.id).execute();
  await audit(db, { action: "disable", wardId: user.wardId, ...actorFields(actor), target: `user:${user.username}` });
  return true;
}

/**
 * Sets a new password, ends the account's sessions and lifts any sign-in lock on it (the
 * administrator who reset it has vouched for the person). A password handed over by
 * someone else (`mustChange`) is to be changed at the next sign-in. False when there is no such user.
 */
export async function resetPassword(db: DB, username: string, password: string, actor?: Actor, opts: { mustChange?: boolean } = {}): Promise<boolean> {
  const user = await findUser(db, username);
  if (!user) return false;
  checkPasswordStrength(password, user.username);
  await db
    .updateTable("app_user")
    .set({ password_hash: await hashPassword(password), password_changed_at: Math.floor(Date.now() / 1000), must_change_password: opts.mustChange ? 1 : 0 })
    .where("id", "=", user.id)
    .execute();
  await db.deleteFrom("session").where("user_id", "=", user.id).execute();
  await unlockAccount(db, user.username);
  await audit(db, { action: "update", wardId: user.wardId, ...actorFields(actor), target: `user:${user.username}`, detail: { password: "reset" } });
  return true;
}

/**
 * The user changes their own password: the current one proves it is them. Their other
 * sessions end (`keepSession`, the one in use, stays). False when the current password is wrong.
 */
export async function changeOwnPassword(
  db: DB, user: CurrentUser, current: string, next: string, opts: { keepSession: string | null; ip?: string | null },
): Promise<boolean> {
  const row = await db.selectFrom("app_user").select("password_hash").where("id", "=", user.id).executeTakeFirst();
  if (!row || !(await verifyPassword(row.password_hash, current))) return false;
  checkPasswordStrength(next, user.username);
  if (current === next) throw new UserError("Mật khẩu mới phải khác mật khẩu đang dùng.");
  await db
    .updateTable("app_user")
    .set({ password_hash: await hashPassword(next), password_changed_at: Math.floor(Date.now() / 1000), must_change_password: 0 })
    .where("id", "=", user.id)
    .execute();
  let others = db.deleteFrom("session").where("user_id", "=", user.id);
  if (opts.keepSession) others = others.where("id", "!=", storedSessionId(opts.keepSession));
  await others.execute();
  await audit(db, { action: "update", wardId: user.wardId, userId: user.id, username: user.username, ip: opts.ip ?? null, target: `user:${user.username}`, detail: { password: "changed_by_owner" } });
  return true;
}

function checkPasswordStrength(password: string, username: string) {
  const problem = passwordProblem(password, username);
  if (problem) throw new UserError(problem);
}

async function blockIdFor(db: DB, wardId: number, role: Role, blockNumber: number | null): Promise<number | null> {
  if (!isBlockScoped(role)) {
    if (blockNumber !== null) throw new UserError("Chỉ tài khoản Ban cán sự khối mới gắn với một khối.");
    return null;
  }
  if (blockNumber === null) throw new UserError("Tài khoản Ban cán sự khối phải chọn khối (--block N).");
  const block = await db.selectFrom("block").select("id").where("ward_id", "=", wardId).where("number", "=", blockNumber).executeTakeFirst();
  if (!block) throw new UserError(`Không có khối số ${blockNumber}.`);
  return block.id;
}

const actorFields = (actor?: Actor) => ({ userId: actor?.userId ?? null, username: actor?.username ?? null, ip: actor?.ip ?? null });

const userQuery = (db: DB) =>
  db
    .selectFrom("app_user")
    .leftJoin("block", "block.id", "app_user.block_id")
    .select([
      "app_user.id", "app_user.ward_id", "app_user.username", "app_user.display_name", "app_user.role", "app_user.block_id",
      "block.number as block_number", "block.name as block_name", "app_user.disabled", "app_user.created_at", "app_user.last_login_at",
    ]);

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>["executeTakeFirstOrThrow"]>>;

function toSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    wardId: row.ward_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    blockId: row.block_id,
    blockNumber: row.block_number,
    blockName: row.block_name,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}
