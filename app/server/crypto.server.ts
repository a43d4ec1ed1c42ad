// The installation secret and what is derived from it: keyed hashes of personal
// identifiers (HMAC-SHA-256), the session-cookie key, and API-token hashing.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "./env.server";

let secret: Buffer | undefined;

/** SSKDT_SECRET, or (outside production) a key generated once into the data folder, mode 0600. */
export function installationSecret(): Buffer {
  if (secret) return secret;
  const e = env();
  if (e.SSKDT_SECRET) return (secret = Buffer.from(e.SSKDT_SECRET, "utf8"));
  if (e.NODE_ENV === "production") {
    throw new Error("SSKDT_SECRET is not set: a production server will not start without its secret (see README, Configuration).");
  }
  // Beside the SQLite file; in ./data for an in-memory or a PostgreSQL database.
  const inFolder = e.DATABASE_URL.includes(":memory:") || /^postgres(ql)?:/.test(e.DATABASE_URL);
  const dataDir = inFolder ? path.resolve("data") : path.dirname(path.resolve(e.DATABASE_URL.replace(/^file:/, "")));
  const file = path.join(dataDir, "secret.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return (secret = Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8"));
}

/** For tests: use this secret instead of the environment's. */
export function setInstallationSecret(value: string) {
  secret = Buffer.from(value, "utf8");
}

const hmac = (purpose: string, value: string) =>
  crypto.createHmac("sha256", installationSecret()).update(purpose).update("\0").update(value).digest("base64url");

/** The stored form of a 12-digit personal ID. */
export const hashPersonalId = (pid: string) => hmac("pid", pid);

/** The stored form of an insurance card: its last 10 digits, which is what two cards are matched on. */
export const hashCardNumber = (socialNumber: string) => hmac("card", socialNumber.slice(-10));

export const hashApiToken = (token: string) => hmac("api-token", token);

/** The keyed hash chaining audit entries: without the secret nobody can re-seal an altered log. */
export const auditChainHash = (previousHash: string, payload: string) => hmac("audit-chain", `${previousHash}\n${payload}`);

export const sessionCookieSecret = () => hmac("session-cookie", "v1");

export const sha256Hex = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest("hex");

export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");

/**
 * A secret the server must read back (a TOTP key), sealed with AES-256-GCM under a key
 * derived from the installation secret: a copy of the database alone does not give it.
 */
const sealKey = () => crypto.createHmac("sha256", installationSecret()).update("seal\0v1").digest();

export function seal(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", sealKey(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), data.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The sealed text, or null when it was not sealed here (another secret, tampered). */
export function unseal(sealed: string): string | null {
  const [version, iv, data, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !data || !tag) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", sealKey(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
