// The import history: one row per file imported or refused (who, when, which file, its
// hash, kind, counts, result) and the downloadable error report of one. A block committee
// sees only what its own block's accounts imported.
import type { DB } from "../db.server";
import type { CurrentUser } from "../guard.server";
import { isBlockScoped } from "../../domain/permissions";
import { formatDateTime } from "../../domain/format";
import type { XlsxCell, XlsxList } from "../xlsx.server";
import { LISTED_ISSUES, type Issue } from "./issues";

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

/**
 * The error list of one batch, for its .xlsx (null when not visible): each error and
 * warning kept with the history, by line. The history keeps no cell of the file (it
 * would hold identifiers in clear): the rows themselves, every one, are in the error
 * report the upload page offers while its preview is kept (error-report.server.ts).
 */
export async function errorReportList(db: DB, user: CurrentUser, id: number): Promise<XlsxList | null> {
  const row = await visibleBatches(db, user)
    .select(["import_batch.id", "import_batch.file_name", "import_batch.created_at", "import_batch.errors_json"])
    .where("import_batch.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const stored: StoredIssues = row.errors_json ? JSON.parse(row.errors_json) : { errors: [], warnings: [], moreErrors: 0, moreWarnings: 0 };
  const rows: XlsxCell[][] = [
    ...stored.errors.map((e) => [e.line, e.field ?? "", "Lỗi", e.reason]),
    ...stored.warnings.map((w) => [w.line, w.field ?? "", "Cảnh báo", w.reason]),
  ];
  if (stored.moreErrors) rows.push([null, "", "Lỗi", `… và ${stored.moreErrors} lỗi khác không liệt kê (lịch sử giữ ${LISTED_ISSUES} lỗi đầu)`]);
  if (stored.moreWarnings) rows.push([null, "", "Cảnh báo", `… và ${stored.moreWarnings} cảnh báo khác không liệt kê`]);
  return {
    sheet: "Báo cáo lỗi",
    title: `Báo cáo lỗi nhập tệp ${row.file_name} (lô nhập số ${row.id})`,
    subtitle: `Nhập lúc ${formatDateTime(row.created_at)}. Không có dữ liệu gốc của tệp: tệp lỗi đủ các dòng gốc chỉ tải được ở trang Nhập dữ liệu, trong 1 giờ sau khi tải lên.`,
    columns: [
      { header: "Dòng", width: 8, type: "number" },
      { header: "Cột", width: 22, type: "text" },
      { header: "Mức", width: 10, type: "text" },
      { header: "Lý do", width: 90, type: "text" },
    ],
    rows,
  };
}
