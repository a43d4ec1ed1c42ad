// `sskdt audit verify | prune` — the audit log's hash chain (app/server/audit.server.ts).
import { parseArgs } from "node:util";
import { openMigratedDatabase } from "../../app/server/db.server";
import { env } from "../../app/server/env.server";
import { pruneAudit, verifyAuditChain } from "../../app/server/audit.server";
import { formatNumber } from "../../app/domain/format";
import { maintenanceSettings } from "../../app/server/backup.server";

export const summary = "verify the audit log's hash chain, or prune entries past the retention";

export const help = `Usage:
  npx sskdt audit verify [--json]
  npx sskdt audit prune [--days N]

verify  walks every entry from the oldest kept to the newest and checks that each one
        follows the one before and matches its keyed hash. Exit code 0 when the chain
        is whole, 1 with the list of what is wrong. Needs the same SSKDT_SECRET as the
        server (a chain sealed with another secret does not verify).
prune   removes the entries older than N days (default SSKDT_AUDIT_RETENTION_DAYS; at
        least 365), after writing a checkpoint entry into the chain that records what
        was removed. The database refuses any other removal.`;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { json: { type: "boolean", default: false }, days: { type: "string" } },
    strict: true,
  });
  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    if (sub === "verify") {
      const report = await verifyAuditChain(db);
      if (values.json) {
        console.log(JSON.stringify(report, null, 2));
      } else if (report.ok) {
        console.log(`Chuỗi nhật ký nguyên vẹn: ${formatNumber(report.verified)} mục đã kiểm tra`
          + (report.legacy ? `, ${formatNumber(report.legacy)} mục ghi trước khi có chuỗi` : "")
          + (report.pruned ? `, ${formatNumber(report.pruned)} mục cũ đã xóa theo thời hạn lưu trữ` : "") + ".");
      } else {
        console.log(`Chuỗi nhật ký KHÔNG nguyên vẹn (${report.problems.length} vấn đề):`);
        for (const p of report.problems) console.log(`  mục ${p.seq ?? "—"}: ${p.reason}`);
      }
      return report.ok ? 0 : 1;
    }
    if (sub === "prune") {
      const days = values.days !== undefined ? Number(values.days) : maintenanceSettings().SSKDT_AUDIT_RETENTION_DAYS;
      if (!days) {
        console.error("No retention set: give --days N or SSKDT_AUDIT_RETENTION_DAYS (0 keeps everything).");
        return 2;
      }
      const result = await pruneAudit(db, { retentionDays: days, actor: "cli" });
      console.log(result.removed
        ? `Đã xóa ${formatNumber(result.removed)} mục cũ hơn ${days} ngày; mục lưu trữ số ${result.checkpointSeq} ghi lại việc này.`
        : `Không có mục nào cũ hơn ${days} ngày.`);
      return 0;
    }
    console.error(help);
    return 2;
  } finally {
    await db.destroy();
  }
}
