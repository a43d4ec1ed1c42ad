// `sskdt restore FILE` — puts a backup back (app/server/backup.server.ts).
import { parseArgs } from "node:util";
import { env } from "../../app/server/env.server";
import { restoreDatabase } from "../../app/server/backup.server";

export const summary = "replace the database with a backup made by `sskdt backup`";

export const help = `Usage:
  npx sskdt restore FILE [--force]

Replaces the database in DATABASE_URL with FILE. Stop the server first. The backup is
checked (integrity_check), migrated to this version in a private copy, and its audit
log's hash chain verified with this installation's secret before anything is replaced:
a backup whose chain does not verify (made under another SSKDT_SECRET, or altered) is
refused unless --force. The restore itself is written to the audit log. Afterwards,
\`npx sskdt metrics --rebuild\` is not needed: the roll-ups are in the backup.`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { force: { type: "boolean", default: false } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) {
    console.error(help);
    return 2;
  }
  const result = await restoreDatabase(positionals[0], env().DATABASE_URL, { force: values.force });
  console.log(`Đã khôi phục từ ${positionals[0]} (SHA-256 ${result.sha256})${result.chainOk ? "; chuỗi nhật ký nguyên vẹn" : "; CẢNH BÁO: chuỗi nhật ký không kiểm tra được với khóa bí mật này"}.`);
  return 0;
}
