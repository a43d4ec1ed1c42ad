// `sskdt backup FILE` — a consistent copy of the database, online (app/server/backup.server.ts).
import { parseArgs } from "node:util";
import { env } from "../../app/server/env.server";
import { openMigratedDatabase } from "../../app/server/db.server";
import { audit } from "../../app/server/audit.server";
import { backupDatabase } from "../../app/server/backup.server";
import path from "node:path";

export const summary = "write a consistent backup of the database to FILE, while the server runs";

export const help = `Usage:
  npx sskdt backup FILE

Copies the database in DATABASE_URL to FILE (mode 0600) as one consistent state, while
the server keeps serving and importing: SQLite's online backup API, or pg_dump's
custom format for a postgres:// URL. The copy is checked (integrity_check) before it
takes FILE's name. The installation secret (SSKDT_SECRET or data/secret.key) is NOT in
the backup: keep it apart, see SECURITY.md. Restore with \`npx sskdt restore FILE\`.`;

export async function run(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) {
    console.error(help);
    return 2;
  }
  const url = env().DATABASE_URL;
  const db = await openMigratedDatabase(url); // migrated first, like every command
  try {
    const started = Date.now();
    const result = await backupDatabase(url, positionals[0]);
    await audit(db, { action: "backup", username: "cli", target: "database", detail: { file: path.basename(result.file), bytes: result.bytes, sha256: result.sha256 } });
    console.log(`Đã sao lưu vào ${result.file}: ${Math.round(result.bytes / 1024)} KB trong ${Date.now() - started} ms, SHA-256 ${result.sha256}.`);
    return 0;
  } finally {
    await db.destroy();
  }
}
