// Sign-in throttling. Each attempt reserves one failure, before the password is checked,
// on three counters: the account from this address, the address, and the account from
// anywhere. One upsert per counter makes the reservation atomic, so a parallel burst gets
// no more tries than the limit. Counters run in fixed windows from their first failure:
// attempts refused while locked cannot push the end further away.
//
// Why three: the account-from-address lock (5) stops guessing one password from one
// machine without letting that machine lock the account for everyone else — the
// administrator at their own desk still signs in; the address lock (20) stops one
// machine trying many usernames; the account lock (100) stops guessing one account from
// many machines, and is what the unlock page and `sskdt user unlock` lift.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { THROTTLE, type LockKind } from "../domain/access-limits";

type Db = Kysely<Database> | Transaction<Database>;

export { THROTTLE, type LockKind };

interface Counter {
  key: string;
  kind: LockKind;
  max: number;
}

const accountKey = (username: string) => `u:${username}`;
const countersFor = (username: string, ip: string | null): Counter[] => [
  { key: `ua:${username}|${ip ?? "-"}`, kind: "account_from_address", max: THROTTLE.accountFromAddress },
  { key: `a:${ip ?? "-"}`, kind: "address", max: THROTTLE.address },
  { key: accountKey(username), kind: "account", max: THROTTLE.account },
];

export interface Reservation {
  /** The first counter over its limit, with the seconds until its window ends; null: the attempt may go on. */
  locked: { kind: LockKind; max: number; retryAfter: number } | null;
  /** The attempt succeeded (or did not count): gives back what it reserved. */
  release(kind: "success" | "not_a_failure"): Promise<void>;
}

export async function reserveAttempt(db: Db, username: string, ip: string | null, t = Math.floor(Date.now() / 1000)): Promise<Reservation> {
  const counters = countersFor(username, ip);
  let locked: Reservation["locked"] = null;
  for (const c of counters) {
    await db.deleteFrom("login_throttle").where("key", "=", c.key).where("window_start", "<=", t - THROTTLE.windowSeconds).execute();
    const row = await db
      .insertInto("login_throttle")
      .values({ key: c.key, failures: 1, window_start: t })
      .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ failures: eb("login_throttle.failures", "+", 1) })))
      .returning(["failures", "window_start"])
      .executeTakeFirstOrThrow();
    if (!locked && row.failures > c.max) locked = { kind: c.kind, max: c.max, retryAfter: Math.max(1, Number(row.window_start) + THROTTLE.windowSeconds - t) };
  }
  return {
    locked,
    async release(kind) {
      for (const c of counters) {
        if (kind === "success" && c.kind !== "address") await db.deleteFrom("login_throttle").where("key", "=", c.key).execute();
        else await db.updateTable("login_throttle").set((eb) => ({ failures: eb("failures", "-", 1) })).where("key", "=", c.key).where("failures", ">", 0).execute();
      }
    },
  };
}

/** Lifts every lock on an account (from every address). Returns how many counters were cleared. */
export async function unlockAccount(db: Db, username: string): Promise<number> {
  return deleteKeys(db, (key) => key === accountKey(username) || key.startsWith(`ua:${username}|`));
}

/** Lifts the lock on an address (every account tried from it included). */
export async function unlockAddress(db: Db, ip: string): Promise<number> {
  return deleteKeys(db, (key) => key === `a:${ip}` || (key.startsWith("ua:") && key.endsWith(`|${ip}`)));
}

/** The table holds only recent failures: read its keys, pick, delete (no LIKE and its wildcards). */
async function deleteKeys(db: Db, pick: (key: string) => boolean): Promise<number> {
  const keys = (await db.selectFrom("login_throttle").select("key").execute()).map((r) => r.key).filter(pick);
  if (keys.length === 0) return 0;
  await db.deleteFrom("login_throttle").where("key", "in", keys).execute();
  return keys.length;
}

export interface LockView {
  kind: LockKind;
  username: string | null;
  ip: string | null;
  failures: number;
  until: number;
}

/** The counters over their limit now: what the unlock page lists. */
export async function currentLocks(db: Db, t = Math.floor(Date.now() / 1000)): Promise<LockView[]> {
  const rows = await db.selectFrom("login_throttle").selectAll().where("window_start", ">", t - THROTTLE.windowSeconds).orderBy("key").execute();
  const locks: LockView[] = [];
  for (const r of rows) {
    const until = Number(r.window_start) + THROTTLE.windowSeconds;
    if (r.key.startsWith("ua:") && r.failures >= THROTTLE.accountFromAddress) {
      const [username, ip] = r.key.slice(3).split("|");
      locks.push({ kind: "account_from_address", username, ip: ip === "-" ? null : ip, failures: r.failures, until });
    } else if (r.key.startsWith("u:") && r.failures >= THROTTLE.account) {
      locks.push({ kind: "account", username: r.key.slice(2), ip: null, failures: r.failures, until });
    } else if (r.key.startsWith("a:") && r.failures >= THROTTLE.address) {
      const ip = r.key.slice(2);
      locks.push({ kind: "address", username: null, ip: ip === "-" ? null : ip, failures: r.failures, until });
    }
  }
  return locks;
}
