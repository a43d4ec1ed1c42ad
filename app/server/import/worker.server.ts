// Imports off the request event loop: the production server (scripts/serve.mjs) runs the
// upload page's previews and imports in one worker thread (scripts/import-worker.mjs)
// with its own database connection, so parsing, validating and writing a large file never
// hold up a page. Jobs run one after another, in the order they came. Where no worker is
// set up (the dev server, tests, the command line) `runImport` imports in this thread.
import { Worker, parentPort } from "node:worker_threads";
import { getDb, isPostgresUrl, sqlitePathOf, type DB } from "../db.server";
import { env } from "../env.server";
import { importFiles, type FileInput, type FileOutcome, type ImportActor, type ImportOptions, type ImportProgress } from "./pipeline.server";

interface Job {
  id: number;
  actor: ImportActor;
  files: FileInput[];
  dryRun: boolean;
  errorReports?: string;
}

type Message =
  | { id: number; type: "progress"; progress: ImportProgress }
  | { id: number; type: "result"; outcomes: FileOutcome[] }
  | { id: number; type: "error"; message: string };

interface Pending {
  onProgress?: (p: ImportProgress) => void;
  resolve: (outcomes: FileOutcome[]) => void;
  reject: (error: Error) => void;
}

const holder = globalThis as unknown as { __sskdtImportWorker?: { script: string; worker?: Worker; pending: Map<number, Pending>; next: number } };

/**
 * Called once by the production server: imports run in a worker thread started from
 * `script` — unless the database is in memory, which another thread cannot share.
 */
export function useImportWorker(script: string) {
  const url = env().DATABASE_URL;
  if (!isPostgresUrl(url) && sqlitePathOf(url) === ":memory:") return;
  holder.__sskdtImportWorker = { script, pending: new Map(), next: 1 };
}

/** Imports the files, in the worker thread (on its own connection to the same database) when there is one, else on `db`. */
export function runImport(db: DB, actor: ImportActor, files: FileInput[], opts: Pick<ImportOptions, "dryRun" | "onProgress" | "errorReports"> = {}): Promise<FileOutcome[]> {
  const pool = holder.__sskdtImportWorker;
  if (!pool) return importFiles(db, actor, files, opts);
  const worker = (pool.worker ??= startWorker(pool.script));
  const id = pool.next++;
  return new Promise((resolve, reject) => {
    pool.pending.set(id, { onProgress: opts.onProgress, resolve, reject });
    worker.postMessage({ id, actor, files, dryRun: Boolean(opts.dryRun), errorReports: opts.errorReports } satisfies Job);
  });
}

function startWorker(script: string): Worker {
  const pool = holder.__sskdtImportWorker!;
  const worker = new Worker(script);
  worker.unref();
  worker.on("message", (m: Message) => {
    const job = pool.pending.get(m.id);
    if (!job) return;
    if (m.type === "progress") return job.onProgress?.(m.progress);
    pool.pending.delete(m.id);
    if (m.type === "result") job.resolve(m.outcomes);
    else job.reject(new Error(m.message));
  });
  // A worker that dies fails its jobs; the next import starts a new one.
  const fail = (error: Error) => {
    pool.worker = undefined;
    for (const job of pool.pending.values()) job.reject(error);
    pool.pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`import worker exited with code ${code}`)));
  return worker;
}

/** The worker thread's side: runs the jobs it is sent, one at a time, on its own connection. */
export function serveImportJobs() {
  const port = parentPort;
  if (!port) throw new Error("serveImportJobs runs in a worker thread");
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (job: Job) => {
    queue = queue.then(async () => {
      try {
        const db = await getDb();
        const outcomes = await importFiles(db, job.actor, job.files, {
          dryRun: job.dryRun,
          errorReports: job.errorReports,
          onProgress: (progress) => port.postMessage({ id: job.id, type: "progress", progress } satisfies Message),
        });
        port.postMessage({ id: job.id, type: "result", outcomes } satisfies Message);
      } catch (error) {
        console.error("import failed:", error);
        port.postMessage({ id: job.id, type: "error", message: error instanceof Error ? error.message : String(error) } satisfies Message);
      }
    });
  });
}
