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

export const sessionCookieSecret = () => hmac("session-cookie", "v1");

export const sha256Hex = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest("hex");

export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");
