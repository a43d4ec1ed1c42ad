// The data folder (beside the database file) and the private folders inside it that hold
// what must not sit in a shared temporary folder: uploads waiting for confirmation and
// archive entries being read, which carry identifiers in clear.
import fs from "node:fs";
import path from "node:path";
import { env } from "./env.server";

/** The folder of the database file; ./data for an in-memory or a PostgreSQL database. */
export function dataDirectory(databaseUrl = env().DATABASE_URL): string {
  const file = databaseUrl.replace(/^file:/, "");
  const elsewhere = file === "" || file.includes(":memory:") || /^postgres(ql)?:/.test(file);
  return elsewhere ? path.resolve("data") : path.dirname(path.resolve(file));
}

/** data/<name>, created readable by this account only (0700), and made so if it was not. */
export function privateDirectory(name: string): string {
  const dir = path.join(dataDirectory(), name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}
