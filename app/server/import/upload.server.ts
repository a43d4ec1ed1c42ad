// The upload page's server side: uploaded files are kept in a private folder of the data
// directory (0700, data/previews) under a preview id that belongs to the user who sent
// them; a dry run previews them, Confirm imports them for real, Cancel deletes them. Each
// run also writes there the error report of every file with rows in error (its rows
// as sent, plus the reasons). All of it holds identifiers in clear, so nothing is left
// longer than needed: once nothing is left to confirm (every file refused, or imported)
// the uploads are deleted at once and only the error reports stay, until the hour is
// over (a timer sweeps); Cancel deletes everything; whatever a crash left is deleted at
// start-up. Both runs stream their progress as NDJSON
// lines so the page can show a processing bar.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable, Transform } from "node:stream";
import busboy from "busboy";
import { maskDigitRuns } from "../../domain/redact";
import { randomToken } from "../crypto.server";
import { privateDirectory } from "../data-dir.server";
import type { DB } from "../db.server";
import type { CurrentUser } from "../guard.server";
import { RefusedError } from "./issues";
import { formatBytes, importLimits } from "./limits.server";
import { groupIssues, type IssueGroup } from "../../domain/issue-groups";
import type { FileOutcome, ImportActor, ImportProgress } from "./pipeline.server";
import { runImport } from "./worker.server";

const PREVIEW_SECONDS = 3600;
const SWEEP_EVERY_MS = 5 * 60_000;
const previewRoot = () => process.env.SSKDT_PREVIEW_DIR || privateDirectory("previews");

export interface Preview {
  id: string;
  userId: number;
  createdAt: number;
  /** The uploads, until they are imported or found to hold nothing to import. */
  files: Array<{ name: string; file: string; size: number }>;
  /** The error reports kept once the uploads are gone (error-report.server.ts): file, and the upload's name. */
  reports?: Array<{ file: string; of: string }>;
}

const ID = /^[A-Za-z0-9_-]{24}$/;
const now = () => Math.floor(Date.now() / 1000);

/** Files in one upload; the form has no other field worth more than a few bytes. */
const MAX_FILES = 1000;
const MAX_FIELD_BYTES = 1000;

/**
 * Receives the files of a multipart upload ("files" parts) into a new preview folder.
 * busboy parses the body as it streams in, with bounds on parts and fields; each file
 * and all of them together are held to the import limits while they are written.
 */
export async function receiveUpload(request: Request, user: CurrentUser): Promise<Preview> {
  sweepPreviews();
  const id = randomToken(18);
  const dir = path.join(previewRoot(), id);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Preview["files"] = [];
  try {
    await receiveFiles(request, dir, files);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error instanceof RefusedError ? error : new RefusedError(`Không nhận được tệp tải lên: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (files.length === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new RefusedError("Chưa chọn tệp nào.");
  }
  const preview: Preview = { id, userId: user.id, createdAt: now(), files };
  fs.writeFileSync(path.join(dir, "preview.json"), JSON.stringify(preview), { mode: 0o600 });
  return preview;
}

async function receiveFiles(request: Request, dir: string, files: Preview["files"]): Promise<void> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType) || !request.body) throw new RefusedError("Yêu cầu tải lên không đúng dạng (multipart/form-data).");
  const { maxFileBytes, maxUnpackedBytes } = importLimits();
  let total = 0; // all the files of this upload, held by the limit on an archive's unpacked size
  const parser = busboy({
    headers: { "content-type": contentType },
    limits: { files: MAX_FILES, fields: 20, fieldSize: MAX_FIELD_BYTES, parts: MAX_FILES + 20, headerPairs: 20 },
    defParamCharset: "utf8",
  });
  const writes: Promise<void>[] = [];
  const done = new Promise<void>((resolve, reject) => {
    parser.on("file", (field, data, info) => {
      if (field !== "files" || !info.filename) return void data.resume();
      const file = path.join(dir, String(files.length + 1).padStart(4, "0"));
      const entry = { name: storedName(info.filename), file, size: 0 };
      files.push(entry);
      const limit = new Transform({
        transform(chunk: Buffer, _enc, next) {
          entry.size += chunk.length;
          total += chunk.length;
          if (entry.size > maxFileBytes) return next(new RefusedError(`Tệp "${entry.name}" vượt giới hạn ${formatBytes(maxFileBytes)}.`));
          if (total > maxUnpackedBytes) return next(new RefusedError(`Các tệp tải lên một lần vượt giới hạn ${formatBytes(maxUnpackedBytes)} tổng cộng.`));
          next(null, chunk);
        },
      });
      const write = pipeline(data, limit, fs.createWriteStream(file, { mode: 0o600 }));
      write.catch(reject);
      writes.push(write);
    });
    for (const event of ["filesLimit", "fieldsLimit", "partsLimit"] as const) {
      parser.on(event, () => reject(new RefusedError(`Tải lên quá nhiều tệp một lần (tối đa ${MAX_FILES}).`)));
    }
    parser.on("error", reject);
    parser.on("close", resolve);
  });
  const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  body.on("error", (error) => parser.destroy(error));
  body.pipe(parser);
  try {
    await done;
    await Promise.all(writes);
  } finally {
    // What is left of a refused upload is read and dropped (nothing is kept), so the
    // connection stays whole and the sender gets the refusal rather than a reset.
    body.unpipe(parser);
    body.resume();
  }
}

/** What is kept of an uploaded file's name: its last path segment, digit runs masked. */
const storedName = (filename: string) => maskDigitRuns(path.basename(filename.replace(/\\/g, "/"))).slice(0, 200) || "tep";

/** The user's own, unexpired preview; null otherwise. */
export function readPreview(id: string, user: CurrentUser): Preview | null {
  if (!ID.test(id)) return null;
  try {
    const preview = JSON.parse(fs.readFileSync(path.join(previewRoot(), id, "preview.json"), "utf8")) as Preview;
    if (preview.userId !== user.id || preview.createdAt < now() - PREVIEW_SECONDS) return null;
    return preview;
  } catch {
    return null;
  }
}

export function discardPreview(preview: Preview) {
  fs.rmSync(path.join(previewRoot(), preview.id), { recursive: true, force: true });
}

/**
 * After a run: the error reports it wrote are recorded. Once nothing is left to confirm
 * the uploads go at once, and the folder stays only for its error reports (with the
 * preview's owner and time, for the download to check) until the hour is over.
 */
function settlePreview(preview: Preview, outcomes: FileOutcome[], confirmable: boolean) {
  const reports = outcomes.flatMap((o) => (o.errorReport ? [{ file: o.errorReport, of: o.name }] : []));
  if (!confirmable && reports.length === 0) return discardPreview(preview);
  if (!confirmable) for (const f of preview.files) fs.rmSync(f.file, { force: true });
  const settled: Preview = { ...preview, files: confirmable ? preview.files : [], reports };
  fs.writeFileSync(path.join(previewRoot(), preview.id, "preview.json"), JSON.stringify(settled), { mode: 0o600 });
}

/**
 * One of the preview's error reports: its path, and the name of the file it reports on;
 * null unless the name is one the run recorded (so no other path is ever read).
 */
export function errorReportOf(preview: Preview, name: string): { path: string; of: string } | null {
  const report = preview.reports?.find((r) => r.file === name);
  const file = report && path.join(previewRoot(), preview.id, report.file);
  return file && fs.existsSync(file) ? { path: file, of: report.of } : null;
}

/** Deletes previews older than an hour; with `all`, every one (at start-up, when no preview can be in use). */
export function sweepPreviews(opts: { all?: boolean } = {}) {
  const root = previewRoot();
  if (!fs.existsSync(root)) return;
  for (const id of fs.readdirSync(root)) {
    const dir = path.join(root, id);
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat && (opts.all || stat.mtimeMs < Date.now() - PREVIEW_SECONDS * 1000)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

let sweeper: NodeJS.Timeout | undefined;

/** At start-up: deletes every preview a previous run left, then expired ones every 5 minutes. */
export function startPreviewSweeper() {
  sweepPreviews({ all: true });
  sweeper ??= setInterval(() => {
    try {
      sweepPreviews();
    } catch (error) {
      console.error("sweeping expired upload previews failed:", error);
    }
  }, SWEEP_EVERY_MS).unref();
}

export const uploadActor = (user: CurrentUser, ip: string | null): ImportActor => ({
  wardId: user.wardId, userId: user.id, tokenId: null, channel: "upload", role: user.role, blockId: user.blockId, username: user.username, ip,
});

/** What the page shows of one file: its outcome with at most a screenful of issues. */
export type ScreenOutcome = Omit<FileOutcome, "contentHash"> & {
  /** Every listed issue grouped by reason (issue-groups.ts), so the screen reads one line per problem. */
  errorGroups: IssueGroup[];
  warningGroups: IssueGroup[];
};

export interface ScreenResult {
  /** The preview to confirm or cancel; null once there is nothing to confirm. */
  previewId: string | null;
  /** The preview whose error reports (`errorReport` of a file) can be downloaded. */
  reportsOf: string | null;
  dryRun: boolean;
  totals: FileOutcome["counts"] & { files: number; refused: number };
  /** Every file when few; otherwise those with problems (the rest are counted in `quietFiles`). */
  files: ScreenOutcome[];
  quietFiles: number;
}

const LISTED_FILES = 300;
const ISSUES_SHOWN = 50;

export function forScreen(outcomes: FileOutcome[], previewId: string | null, dryRun: boolean, reportsOf: string | null = null): ScreenResult {
  const totals = { files: outcomes.length, refused: 0, new: 0, updated: 0, unchanged: 0, invalid: 0 };
  for (const o of outcomes) {
    if (o.status === "refused" || o.status === "duplicate") totals.refused++;
    for (const k of ["new", "updated", "unchanged", "invalid"] as const) totals[k] += o.counts[k];
  }
  const noteworthy = (o: FileOutcome) => o.errors.length > 0 || o.warnings.length > 0 || o.status === "refused" || o.status === "duplicate";
  const shown = outcomes.length <= LISTED_FILES ? outcomes : outcomes.filter(noteworthy).slice(0, LISTED_FILES);
  return {
    previewId,
    reportsOf,
    dryRun,
    totals,
    quietFiles: outcomes.length - shown.length,
    files: shown.map(({ contentHash: _, ...o }) => ({
      ...o,
      errorGroups: groupIssues(o.errors),
      warningGroups: groupIssues(o.warnings),
      errors: o.errors.slice(0, ISSUES_SHOWN),
      warnings: o.warnings.slice(0, ISSUES_SHOWN),
      moreErrors: o.moreErrors + Math.max(0, o.errors.length - ISSUES_SHOWN),
      moreWarnings: o.moreWarnings + Math.max(0, o.warnings.length - ISSUES_SHOWN),
    })),
  };
}

export type StreamLine = ({ type: "progress" } & ImportProgress) | ({ type: "result" } & ScreenResult) | { type: "error"; message: string };

/** Runs an import of a preview's files, answering with NDJSON progress lines and then the result. */
export function streamImport(db: DB, actor: ImportActor, preview: Preview, dryRun: boolean): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: StreamLine) => controller.enqueue(encoder.encode(JSON.stringify(line) + "\n"));
      let lastSent = 0;
      try {
        const outcomes = await runImport(db, actor, preview.files.map((f) => ({ name: f.name, path: f.file })), {
          dryRun,
          errorReports: path.join(previewRoot(), preview.id),
          onProgress: (p) => {
            if (Date.now() - lastSent < 100 && p.done < p.total) return;
            lastSent = Date.now();
            send({ type: "progress", ...p });
          },
        });
        // A preview with nothing to confirm (every file refused) is not kept either.
        const keep = dryRun && outcomes.some((o) => o.status !== "refused" && o.status !== "duplicate");
        settlePreview(preview, outcomes, keep);
        const reportsOf = outcomes.some((o) => o.errorReport) ? preview.id : null;
        send({ type: "result", ...forScreen(outcomes, keep ? preview.id : null, dryRun, reportsOf) });
      } catch (error) {
        discardPreview(preview);
        console.error("import failed:", error);
        send({ type: "error", message: "Lỗi hệ thống khi nhập dữ liệu; không có dữ liệu nào của tệp đang xử lý được ghi. Hãy thử lại hoặc báo quản trị." });
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
}
