// `npm run bench:load` — the production build under load, on loopback only.
//
// A demo ward (BENCH_DEMO_VISITS, 20,000 visits) goes into a temporary database; 50
// accounts (tram_y_te, lanh_dao and block committees) sign in to the production server
// (scripts/serve.mjs over the build); for BENCH_SECONDS (60) each of the BENCH_USERS (50)
// users loops without pause over a mix of the dashboard page (several periods), the
// metrics API and downloads (the work list .xlsx, an import template), while
// `sskdt import` writes a CSV of BENCH_IMPORT_VISITS (100,000) visits into the same
// database. Prints requests/s, p50/p95/p99 per kind and overall, errors (any status
// other than 200, or a failed request), the server's memory, and the import's time.
// Bounded: the run stops at BENCH_SECONDS or BENCH_MAX_REQUESTS (1,000,000), whichever
// comes first, and talks to 127.0.0.1 only.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openMigratedDatabase } from "../app/server/db.server";
import { setInstallationSecret } from "../app/server/crypto.server";
import { createUser } from "../app/server/users.server";
import { loadDemoWard } from "../app/server/demo/demo.server";
import type { Role } from "../app/domain/permissions";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.BENCH_SECONDS) || 60;
const USERS = Number(process.env.BENCH_USERS) || 50;
const IMPORT_VISITS = Number(process.env.BENCH_IMPORT_VISITS ?? 100_000);
const DEMO_VISITS = Number(process.env.BENCH_DEMO_VISITS) || 20_000;
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS) || 1_000_000;
/** BENCH_TRACE=1 prints each request slower than 1 s with its start time in the run. */
const TRACE = Boolean(process.env.BENCH_TRACE);
/** A user's pause between two requests, on average (0: none, the closed loop of "50 concurrent users"); each pause is 0.5–1.5× it. */
const THINK_MS = Number(process.env.BENCH_THINK_MS) || 0;
const PASSWORD = `bench-${crypto.randomBytes(9).toString("hex")}`;
const SECRET = crypto.randomBytes(32).toString("hex");

type Kind = "dashboard" | "metrics" | "download";
const PERIODS = ["this-month", "last-month", "this-quarter", "year-to-date", "last-quarter"];

interface BenchUser { username: string; role: Role; blockNumber?: number; cookie?: string }

function benchUsers(): BenchUser[] {
  return Array.from({ length: USERS }, (_, i) => {
    const slot = i % 5;
    if (slot < 2) return { username: `tyt${i}`, role: "tram_y_te" as const };
    if (slot === 2) return { username: `ld${i}`, role: "lanh_dao" as const };
    return { username: `bck${i}`, role: "ban_can_su_khoi" as const, blockNumber: (i % 9) + 1 };
  });
}

/** The request a user makes next: half dashboard pages, a third metrics calls, the rest downloads. */
function nextRequest(user: BenchUser, n: number): { kind: Kind; path: string } {
  const period = PERIODS[n % PERIODS.length];
  const r = (n * 7) % 20; // 7 is prime to 20: every user goes round the whole mix
  if (r < 10) return { kind: "dashboard", path: `/dashboard?period=${period}` };
  if (r < 17) return { kind: "metrics", path: `/api/v1/metrics?period=${period}` };
  // The downloads people make every day: last month's work list, an import template.
  return user.role === "ban_can_su_khoi"
    ? { kind: "download", path: "/import-templates/onboarding" }
    : { kind: "download", path: "/worklist.xlsx?period=last-month" };
}

function visitsCsv(file: string, n: number) {
  const out = fs.openSync(file, "w");
  fs.writeSync(out, "ma_cskcb,ma_lk,ngay_vao,ngay_ra,hinh_thuc\n");
  const start = Date.UTC(2026, 0, 1);
  let chunk = "";
  for (let i = 0; i < n; i++) {
    const t = new Date(start + i * 4 * 60_000);
    const stamp = (d: Date) => `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    chunk += `56214,LOAD${String(i).padStart(7, "0")},${stamp(t)},${stamp(new Date(t.getTime() + 20 * 60_000))},khong\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = "";
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

const quantile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN);
const ms = (v: number) => `${v.toFixed(1)} ms`;

function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

let output = "";

function startServer(databaseUrl: string, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/serve.mjs")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: databaseUrl,
      SSKDT_SECRET: SECRET, SSKDT_DEMO: "0", SSKDT_BACKUP_KEEP: "0", SSKDT_API_RATE_PER_MINUTE: "1000000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      output += c;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c) => (output += c));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

async function signIn(url: string, user: BenchUser): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST", redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
    body: new URLSearchParams({ username: user.username, password: PASSWORD }),
  });
  if (response.status !== 302) throw new Error(`sign-in as ${user.username}: HTTP ${response.status}`);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, "build/server/index.js")) || process.argv.includes("--build")) {
    console.log("Building the production bundle…");
    execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-load-"));
  const databaseUrl = `file:${path.join(dir, "data", "sskdt.sqlite")}`;
  let server: ChildProcess | undefined;
  try {
    setInstallationSecret(SECRET);
    const started = performance.now();
    const db = await openMigratedDatabase(databaseUrl);
    await loadDemoWard(db, { visits: DEMO_VISITS, password: PASSWORD });
    const users = benchUsers();
    for (const u of users) await createUser(db, { username: u.username, displayName: `Người dùng ${u.username}`, role: u.role, blockNumber: u.blockNumber, password: PASSWORD });
    await db.destroy();
    const csv = path.join(dir, "luot-kham.csv");
    if (IMPORT_VISITS > 0) visitsCsv(csv, IMPORT_VISITS);
    console.log(`Demo ward of ${DEMO_VISITS.toLocaleString("en")} visits and ${USERS} accounts ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`);

    const s = await startServer(databaseUrl, dir);
    server = s.child;
    const pid = server.pid!;
    for (const u of users) u.cookie = await signIn(s.url, u);
    // One of each request per user first (compiling, caches), not counted.
    await Promise.all(users.map(async (u) => {
      for (const n of [0, 2, 11]) await (await fetch(s.url + nextRequest(u, n).path, { headers: { Cookie: u.cookie! } })).arrayBuffer();
    }));
    console.log(`Server ${s.url} (pid ${pid}), ${USERS} users signed in; driving it for ${SECONDS} s…`);

    const times: Record<Kind, number[]> = { dashboard: [], metrics: [], download: [] };
    const errors: Record<string, number> = {};
    let rssPeak = 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid, "VmRSS") ?? 0)), 250);

    // The import, through the same command line an officer uses, beside the load.
    let importSeconds: number | null = null;
    let importOutput = "";
    const importStarted = performance.now();
    const importer = IMPORT_VISITS > 0
      ? spawn(process.execPath, [path.join(ROOT, "scripts/sskdt.mjs"), "import", csv], {
          env: { ...process.env, DATABASE_URL: databaseUrl, SSKDT_SECRET: SECRET, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"],
        })
      : null;
    importer?.stdout!.on("data", (c) => (importOutput += c));
    importer?.stderr!.on("data", (c) => (importOutput += c));
    const importDone = importer
      ? new Promise<void>((resolve) => importer.once("exit", (code) => {
          importSeconds = (performance.now() - importStarted) / 1000;
          if (code !== 0) errors[`import exited ${code}`] = 1;
          resolve();
        }))
      : Promise.resolve();

    const deadline = Date.now() + SECONDS * 1000;
    let total = 0;
    const loadStarted = performance.now();
    await Promise.all(users.map(async (user, i) => {
      // With pauses, users arrive spread over one pause, as people do, not all in the same millisecond.
      if (THINK_MS) await new Promise((resolve) => setTimeout(resolve, THINK_MS * Math.random()));
      for (let n = i; Date.now() < deadline && total < MAX_REQUESTS; n++) {
        const { kind, path: p } = nextRequest(user, n);
        total++;
        const t0 = performance.now();
        try {
          const response = await fetch(s.url + p, { headers: { Cookie: user.cookie! } });
          await response.arrayBuffer();
          if (response.status !== 200) errors[`${kind} HTTP ${response.status}`] = (errors[`${kind} HTTP ${response.status}`] ?? 0) + 1;
        } catch (error) {
          errors[`${kind} ${(error as Error).message}`] = (errors[`${kind} ${(error as Error).message}`] ?? 0) + 1;
        }
        times[kind].push(performance.now() - t0);
        if (TRACE && performance.now() - t0 > 1000) console.log(`slow ${kind} ${((t0 - loadStarted) / 1000).toFixed(1)}s +${((performance.now() - t0) / 1000).toFixed(1)}s`);
        if (THINK_MS) await new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));
      }
    }));
    const wall = (performance.now() - loadStarted) / 1000;
    const importFinishedInWindow = importSeconds !== null;
    await importDone;
    clearInterval(sampler);
    const hwm = rssMb(pid, "VmHWM");

    const all = Object.values(times).flat().sort((a, b) => a - b);
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
    console.log("");
    console.log(`requests: ${all.length.toLocaleString("en")} in ${wall.toFixed(1)} s = ${(all.length / wall).toFixed(1)} requests/s, ${USERS} concurrent users${THINK_MS ? `, each pausing ${THINK_MS} ms on average between requests` : ", none pausing"}`);
    console.log(`latency, all: p50 ${ms(quantile(all, 0.5))}, p95 ${ms(quantile(all, 0.95))}, p99 ${ms(quantile(all, 0.99))}, max ${ms(all.at(-1) ?? NaN)}`);
    for (const [kind, list] of Object.entries(times)) {
      const sorted = list.sort((a, b) => a - b);
      console.log(`  ${kind.padEnd(9)} ${String(sorted.length).padStart(7)} req  p50 ${ms(quantile(sorted, 0.5))}  p95 ${ms(quantile(sorted, 0.95))}  p99 ${ms(quantile(sorted, 0.99))}`);
    }
    console.log(`errors: ${errorCount}${errorCount ? ` (${Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join(", ")})` : ""}`);
    console.log(`server memory: peak RSS ${rssPeak.toFixed(0)} MB sampled, VmHWM ${hwm?.toFixed(0) ?? "?"} MB`);
    if (importer) {
      console.log(`import of ${IMPORT_VISITS.toLocaleString("en")} visits: ${importSeconds!.toFixed(1)} s (${(IMPORT_VISITS / importSeconds!).toFixed(0)} visits/s)${importFinishedInWindow ? ", within the load window" : ", finished after the load window"}`);
      console.log(`  ${importOutput.trim().split("\n").at(-1)}`);
    }
    const problems = [...new Set(output.split("\n").filter((l) => /error/i.test(l)))].slice(0, 5);
    if (problems.length) console.log(`server errors (first ${problems.length} distinct):\n  ${problems.join("\n  ")}`);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, load average before the end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, Node ${process.version}`);
    process.exitCode = errorCount ? 1 : 0;
  } finally {
    server?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
