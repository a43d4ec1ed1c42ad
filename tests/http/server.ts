// Starts the real production server (scripts/serve.mjs over the Remix build) on a free
// port with a temporary database, for tests that speak HTTP or drive a browser.
//
// The build is refreshed when a source file is newer than it (one build at a time across
// test processes), then copied with serve.mjs into a private folder: another engineer's
// `npm run build` in the shared tree cannot swap the files under a running test.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { createUser } from "~/server/users.server";
import { ensureWard } from "~/server/ward.server";
import type { Role } from "~/domain/permissions";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCES = ["app", "db", "public", "vite.config.ts", "package.json", "scripts/serve.mjs", "scripts/import-worker.mjs"];

export interface TestServer {
  url: string;
  /** The server's DATABASE_URL, for a command line run against the same database. */
  databaseUrl: string;
  /** The server process, for tests that kill it. */
  pid: number;
  /** The server's data folder (database, previews…). */
  dataDir: string;
  /** The test's own connection to the server's database, to arrange and inspect. */
  db: DB;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the server (SSKDT_DEMO=0 and a secret are set already). */
  env?: Record<string, string>;
  /** Runs on the migrated database, ward created, before the server starts; `dataDir` is the server's data folder. */
  setup?: (db: DB, dataDir: string) => Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  await ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-test-"));
  snapshotInstallation(dir);
  const databaseUrl = `file:${path.join(dir, "data", "sskdt.sqlite")}`;
  const db = await openMigratedDatabase(databaseUrl);
  await ensureWard(db);
  await options.setup?.(db, path.join(dir, "data"));

  const child = spawn(process.execPath, [path.join(dir, "scripts", "serve.mjs")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: "0",
      DATABASE_URL: databaseUrl,
      SSKDT_SECRET: crypto.randomBytes(32).toString("hex"),
      SSKDT_DEMO: "0",
      SSKDT_BACKUP_KEEP: "0", // no daily backup unless a test asks for it
      ...testDatabase(),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));

  const stop = async () => {
    await stopProcess(child);
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await waitForListening(child, () => output);
    return { url, databaseUrl, pid: child.pid!, dataDir: path.join(dir, "data"), db, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The suite on PostgreSQL (app/server/db.server.ts): a server or command a test starts uses it too. */
export const testDatabase = (): Record<string, string> => (process.env.TEST_DATABASE_URL ? { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL } : {});

/** The accounts most tests need, one per role; all share TEST_PASSWORD. */
export const TEST_PASSWORD = "mat-khau-thu-nghiem";
export const TEST_USERS: ReadonlyArray<{ username: string; displayName: string; role: Role; blockNumber?: number }> = [
  { username: "lanhdao", displayName: "Trần Thị Lãnh Đạo", role: "lanh_dao" },
  { username: "tramyte", displayName: "Nguyễn Văn Y Tế", role: "tram_y_te" },
  { username: "congan", displayName: "Lê Văn Công An", role: "cong_an" },
  { username: "vanhoa", displayName: "Phạm Thị Văn Hóa", role: "van_hoa" },
  { username: "taichinh", displayName: "Hoàng Văn Tài Chính", role: "tai_chinh" },
  { username: "khoi3", displayName: "Đỗ Thị Khối Ba", role: "ban_can_su_khoi", blockNumber: 3 },
  { username: "quantri", displayName: "Vũ Văn Quản Trị", role: "quan_tri" },
];

export async function createTestUsers(db: DB): Promise<void> {
  for (const u of TEST_USERS) await createUser(db, { ...u, password: TEST_PASSWORD });
}

function snapshotInstallation(dir: string) {
  fs.cpSync(path.join(ROOT, "build"), path.join(dir, "build"), { recursive: true });
  fs.mkdirSync(path.join(dir, "scripts"));
  for (const script of ["serve.mjs", "import-worker.mjs"]) fs.copyFileSync(path.join(ROOT, "scripts", script), path.join(dir, "scripts", script));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
}

function waitForListening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${output()}`)), 60_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+:\d+)/.exec(output());
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output()}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

let built: Promise<void> | undefined;

/** Runs `npm run build` when the build is missing or older than a source file. */
export function ensureBuilt(): Promise<void> {
  return (built ??= withBuildLock(async () => {
    if (!isStale()) return;
    try {
      // Without vitest's variables: vite.config.ts leaves the Remix plugin out under VITEST.
      const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
      const env: NodeJS.ProcessEnv = { ...inherited, NODE_ENV: "production" };
      await promisify(execFile)("npm", ["run", "build", "--silent"], { cwd: ROOT, env, maxBuffer: 20 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run build failed:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    }
  }));
}

function isStale(): boolean {
  const target = path.join(ROOT, "build", "server", "index.js");
  if (!fs.existsSync(target)) return true;
  const builtAt = fs.statSync(target).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > builtAt);
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

/** One builder at a time: test files run in parallel processes. A lock older than 5 minutes is abandoned. */
async function withBuildLock(work: () => Promise<void>): Promise<void> {
  const lock = path.join(os.tmpdir(), `sskdt-build-${crypto.createHash("sha256").update(ROOT).digest("hex").slice(0, 8)}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
