// The optional second factor: a 6-digit TOTP code (RFC 6238, 30-second steps, SHA-1 — what
// every authenticator app reads) from the otpauth library, which is small, has no
// dependency but @noble/hashes, is maintained, and does the constant-time comparison and
// the clock-drift window for us. The key is stored sealed (crypto.server.ts seal), and the
// last time step accepted is kept so that a code seen over a shoulder cannot be used again.
import { Secret, TOTP } from "otpauth";
import type { DB } from "./db.server";
import { seal, unseal } from "./crypto.server";

const ISSUER = "SSKĐT";
/** One step either side: a phone clock 30 s off still works. */
const DRIFT_STEPS = 1;

const totpOf = (base32: string, label = "") => new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(base32) });

/** A new key to show while the user sets up their app: the base32 text and the otpauth:// address. */
export function newTotpKey(username: string): { base32: string; uri: string; sealed: string } {
  const base32 = new Secret({ size: 20 }).base32;
  return { base32, uri: totpOf(base32, username).toString(), sealed: seal(base32) };
}

/** The time step a code belongs to, or null when it is not a current code of the key. */
export function stepOfCode(base32: string, code: string, nowMs = Date.now()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(base32).validate({ token, timestamp: nowMs, window: DRIFT_STEPS });
  return delta === null ? null : Math.floor(nowMs / 1000 / 30) + delta;
}

/** Turns the second factor on, once a code from the user's app proves the key is in it. */
export async function enableTotp(db: DB, userId: number, sealed: string, code: string): Promise<boolean> {
  const base32 = unseal(sealed);
  const step = base32 ? stepOfCode(base32, code) : null;
  if (step === null) return false;
  await db.updateTable("app_user").set({ totp_secret: sealed, totp_last_step: step }).where("id", "=", userId).execute();
  return true;
}

export async function disableTotp(db: DB, userId: number): Promise<void> {
  await db.updateTable("app_user").set({ totp_secret: null, totp_last_step: null }).where("id", "=", userId).execute();
}

/**
 * Checks a sign-in code. Taking the step is one conditional UPDATE: two requests with the
 * same code cannot both succeed.
 */
export async function acceptTotpCode(db: DB, user: { id: number; totp_secret: string }, code: string): Promise<boolean> {
  const base32 = unseal(user.totp_secret);
  const step = base32 ? stepOfCode(base32, code) : null;
  if (step === null) return false;
  const { numUpdatedRows } = await db
    .updateTable("app_user")
    .set({ totp_last_step: step })
    .where("id", "=", user.id)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}
