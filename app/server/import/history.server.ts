// The import history: one row per file imported or refused (who, when, which file, its
// hash, kind, counts, result) and the downloadable error report of one. A block committee
// sees only what its own block's accounts imported.
import type { DB } from "../db.server";
import type { CurrentUser } from "../guard.server";
import { isBlockScoped } from "../../domain/permissions";
import type { Issue } from "./issues";

export interface BatchView {
  id: number;
  at: number;
  who: string;
  channel: string;
  fileName: string;
  contentHash: string;
  kind: string | null;
  status: string;
  counts: { new: number; updated: number; unchanged: number; invalid: number };
  issues: number;
}

function visibleBatches(db: DB, user: CurrentUser) {
  let query = db
    .selectFrom("import_batch")
    .leftJoin("app_user", "app_user.id", "import_batch.user_id")
    .leftJoin("api_token", "api_token.id", "import_batch.token_id")
    .where("import_batch.ward_id", "=", user.wardId);
  if (isBlockScoped(user.role)) query = query.where("app_user.block_id", "=", user.blockId ?? -1);
  return query;
}

export async function listImportBatches(db: DB, user: CurrentUser, page: number, pageSize: number): Promise<{ batches: BatchView[]; total: number }> {
  const total = await visibleBatches(db, user).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const rows = await batchRows(db, user)
    .orderBy("import_batch.id", "desc")
    .limit(pageSize)
    .offset(Math.max(0, page - 1) * pageSize)
    .execute();
  return { total: Number(total.n), batches: rows.map(batchView) };
}

function batchRows(db: DB, user: CurrentUser) {
  return visibleBatches(db, user).select([
    "import_batch.id", "import_batch.created_at", "import_batch.channel", "import_batch.file_name", "import_batch.content_hash",
    "import_batch.kind", "import_batch.status", "import_batch.new_rows", "import_batch.updated_rows", "import_batch.unchanged_rows",
    "import_batch.invalid_rows", "import_batch.errors_json", "app_user.display_name", "api_token.name as tokenName",
  ]);
}

type BatchRow = Awaited<ReturnType<ReturnType<typeof batchRows>["execute"]>>[number];

function batchView(r: BatchRow): BatchView {
  return {
    id: r.id,
    at: r.created_at,
    who: r.display_name ?? (r.tokenName ? `API: ${r.tokenName}` : r.channel === "cli" ? "Dòng lệnh (máy chủ)" : "—"),
    channel: r.channel,
    fileName: r.file_name,
    contentHash: r.content_hash,
    kind: r.kind,
    status: r.status,
    counts: { new: r.new_rows, updated: r.updated_rows, unchanged: r.unchanged_rows, invalid: r.invalid_rows },
    issues: r.errors_json ? issueCount(r.errors_json) : 0,
  };
}

/** One upload (one run of the pipeline: same moment, person or token, channel) and its files. */
export interface UploadView {
  key: string;
  at: number;
  who: string;
  channel: string;
  files: BatchView[];
  counts: BatchView["counts"];
  refused: number;
}

/**
 * The history one row per upload, newest first: a .zip of 522 files is one row that opens
 * onto its files. An upload is what one pipeline run wrote (its upload_key); older rows
 * without one are grouped by creation second, account or token and channel.
 */
export async function listImportUploads(db: DB, user: CurrentUser, page: number, pageSize: number): Promise<{ uploads: UploadView[]; total: number }> {
  const groupColumns = ["import_batch.upload_key", "import_batch.created_at", "import_batch.user_id", "import_batch.token_id", "import_batch.channel"] as const;
  const grouped = () => visibleBatches(db, user).groupBy([...groupColumns]);
  const total = await db
    .selectFrom(grouped().select("import_batch.created_at").as("u"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const keys = await grouped()
    .select([...groupColumns, (eb) => eb.fn.max("import_batch.id").as("last_id")])
    .orderBy("last_id", "desc")
    .limit(pageSize)
    .offset(Math.max(0, page - 1) * pageSize)
    .execute();
  const uploads: UploadView[] = [];
  for (const k of keys) {
    const rows = await batchRows(db, user)
      .where((eb) => (k.upload_key === null ? eb("import_batch.upload_key", "is", null) : eb("import_batch.upload_key", "=", k.upload_key)))
      .where("import_batch.created_at", "=", k.created_at)
      .where("import_batch.channel", "=", k.channel)
      .where((eb) => (k.user_id === null ? eb("import_batch.user_id", "is", null) : eb("import_batch.user_id", "=", k.user_id)))
      .where((eb) => (k.token_id === null ? eb("import_batch.token_id", "is", null) : eb("import_batch.token_id", "=", k.token_id)))
      .orderBy("import_batch.id")
      .execute();
    const files = rows.map(batchView);
    const counts = { new: 0, updated: 0, unchanged: 0, invalid: 0 };
    for (const f of files) for (const c of ["new", "updated", "unchanged", "invalid"] as const) counts[c] += f.counts[c];
    uploads.push({
      key: k.upload_key ?? `${k.created_at}-${k.user_id ?? ""}-${k.token_id ?? ""}-${k.channel}`,
      at: k.created_at, who: files[0]?.who ?? "—", channel: k.channel, files, counts,
      refused: files.filter((f) => f.status === "refused" || f.status === "duplicate").length,
    });
  }
  return { uploads, total: Number(total.n) };
}

interface StoredIssues {
  errors: Issue[];
  warnings: Issue[];
  moreErrors: number;
  moreWarnings: number;
}

function issueCount(json: string): number {
  const s = JSON.parse(json) as StoredIssues;
  return s.errors.length + s.warnings.length + s.moreErrors + s.moreWarnings;
}

/** The error report of one batch as CSV (UTF-8 with BOM, for Excel), or null when not visible. */
export async function errorReportCsv(db: DB, user: CurrentUser, id: number): Promise<{ fileName: string; csv: string } | null> {
  const row = await visibleBatches(db, user)
    .select(["import_batch.id", "import_batch.file_name", "import_batch.errors_json"])
    .where("import_batch.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const stored: StoredIssues = row.errors_json ? JSON.parse(row.errors_json) : { errors: [], warnings: [], moreErrors: 0, moreWarnings: 0 };
  const lines = [["Tệp", "Dòng", "Cột", "Mức", "Lý do"]];
  for (const e of stored.errors) lines.push([row.file_name, e.line === null ? "" : String(e.line), e.field ?? "", "Lỗi", e.reason]);
  for (const w of stored.warnings) lines.push([row.file_name, w.line === null ? "" : String(w.line), w.field ?? "", "Cảnh báo", w.reason]);
  if (stored.moreErrors) lines.push([row.file_name, "", "", "Lỗi", `… và ${stored.moreErrors} lỗi khác không liệt kê`]);
  if (stored.moreWarnings) lines.push([row.file_name, "", "", "Cảnh báo", `… và ${stored.moreWarnings} cảnh báo khác không liệt kê`]);
  const csv = "\uFEFF" + lines.map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
  return { fileName: `bao-cao-loi-nhap-${row.id}.csv`, csv };
}

/**
 * Quoted when needed; a cell starting with =, +, -, @, a tab or a carriage return is
 * defused (OWASP's CSV injection list) so a spreadsheet does not run it as a formula.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
