// Dashboard benchmark (issue #4): builds demo wards of 10 thousand, 1 million and 10 million
// visits through the import pipeline (loadDemoWard; cached under bench-data/), then times the
// indicator engine, the /api/v1/metrics handler and the dashboard page's loader for a past
// month, a past quarter, the current year and the current month, against the reference
// engine that reads the base tables. Prints p50/p95 in milliseconds and the process's RSS.
//
//   npm run bench:dashboard -- [--sizes 10k,1m,10m] [--runs 30] [--reference-runs 3] [--rebuild]
//                              [--reference-max 2000000] [--build-only] [--postgres postgres://…]
// With --postgres, the wards are built and measured on that PostgreSQL database instead
// (one schema per size, as the tests use it: app/server/db.server.ts), for a side-by-side
// comparison with a SQLite run.
// The reference engine holds a period's visits in memory; it is skipped (and the roll-up
// result not cross-checked) for periods with more visits than --reference-max.
import fs from "node:fs";
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import path from "node:path";
import { parseArgs } from "node:util";
import { openMigratedDatabase, type DB } from "../app/server/db.server";
import { setInstallationSecret } from "../app/server/crypto.server";
import { loadDemoWard } from "../app/server/demo/demo.server";
import { createApiToken } from "../app/server/tokens.server";
import { metricsApi } from "../app/server/metrics/api.server";
import { computeMetrics, computeMetricsWith, type MetricsQuery } from "../app/server/metrics/engine.server";
import { dashboardView, defaultTrendBy } from "../app/server/dashboard/dashboard.server";
import { referenceSource } from "../tests/reference/engine";
import { defaultAsOf, parsePeriod } from "../app/domain/periods";
import { localToEpoch, toIsoLocal } from "../app/domain/time";

// The demo's data ends at this instant, so every run builds and measures the same ward.
const NOW = localToEpoch(2026, 6, 15, 14, 0);
const PERIODS = [
  { label: "month (2026-05)", key: "2026-05" },
  { label: "quarter (2026-Q1)", key: "2026-Q1" },
  { label: "year (2026, as of now)", key: "2026" },
  { label: "this month (as of now)", key: "2026-06" },
];
const SIZES: Record<string, number> = { "10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000 };

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10k,1m" },
    runs: { type: "string", default: "30" },
    "reference-runs": { type: "string", default: "3" },
    "reference-max": { type: "string", default: "2000000" },
    rebuild: { type: "boolean", default: false },
    "build-only": { type: "boolean", default: false },
    postgres: { type: "string" },
  },
});
// Every ward "file" below becomes a schema of this database.
if (values.postgres) process.env.TEST_DATABASE_URL = values.postgres;
const runs = Number(values.runs);
const referenceRuns = Number(values["reference-runs"]);
const referenceMax = Number(values["reference-max"]);
const sizes = values.sizes!.split(",").map((s) => s.trim().toLowerCase());
for (const s of sizes) if (!SIZES[s]) throw new Error(`Unknown size ${s}: use ${Object.keys(SIZES).join(", ")}`);

setInstallationSecret("bench-dashboard-secret-0123456789abcdef0123");
const BENCH_DIR = path.resolve("bench-data");
// The API's per-token limit (60 a minute) would answer 429 after the first period: this times the API, not its limiter.
process.env.SSKDT_API_RATE_PER_MINUTE = "1000000";
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

async function wardOf(size: string): Promise<DB> {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `dashboard-${size}.${values.postgres ? "postgres" : "sqlite"}`);
  const done = `${file}.done`;
  if (values.rebuild || !fs.existsSync(done)) {
    for (const f of [file, `${file}-wal`, `${file}-shm`, done]) fs.rmSync(f, { force: true });
    const db = await openMigratedDatabase(`file:${file}`);
    const started = performance.now();
    console.log(`Building the ${size} ward (${SIZES[size].toLocaleString("en")} visits)…`);
    await loadDemoWard(db, { visits: SIZES[size], password: "bench-password-123", now: NOW, log: (s) => console.log(`  ${s}`) });
    const seconds = (performance.now() - started) / 1000;
    fs.writeFileSync(done, JSON.stringify({ visits: SIZES[size], seconds, builtAt: new Date().toISOString() }));
    console.log(`  built in ${seconds.toFixed(0)} s`);
    return db;
  }
  return openMigratedDatabase(`file:${file}`);
}

/** Run times in ms; `rss`: count the process's memory (not for the reference engine, which holds a period in memory). */
async function time(n: number, fn: () => Promise<unknown>, rss = true): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
    if (rss) sampleRss();
  }
  return out;
}

function quantile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);
const fmtOr = (ms: number[]) => (ms.length ? fmt(quantile(ms, 0.5)) : "skipped");

/** The dashboard page's loader for the ward's leadership (everything shown), less sign-in and audit. */
async function dashboardData(db: DB, q: MetricsQuery) {
  const user = { id: 0, wardId: q.wardId, username: "bench", displayName: "bench", role: "lanh_dao" as const, blockId: null };
  await dashboardView(db, user, { period: q.period, asOf: q.asOf, asOfParam: null }, defaultTrendBy(q.period));
}

/** Counts the statements sent through it: on PostgreSQL each is a round trip and a plan. */
class StatementCounter implements KyselyPlugin {
  n = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.n++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The statements one page view sends. */
async function pageStatements(db: DB, q: MetricsQuery): Promise<number> {
  const counter = new StatementCounter();
  await dashboardData(db.withPlugin(counter), q);
  return counter.n;
}

interface Row {
  size: string;
  period: string;
  engine: number[];
  api: number[];
  page: number[];
  statements: number;
  reference: number[];
}

async function bench(size: string): Promise<Row[]> {
  const db = await wardOf(size);
  const ward = await db.selectFrom("ward").select("id").executeTakeFirstOrThrow();
  const { n: visits } = await db.selectFrom("visit").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const token = (await createApiToken(db, { wardId: ward.id, name: `bench ${Date.now()}`, scope: "read" }, { userId: null, username: "bench" })).token;
  console.log(`\n${size}: ${Number(visits).toLocaleString("en")} visits in ${values.postgres ? "PostgreSQL" : "SQLite"}`);
  const rows: Row[] = [];
  const queries: MetricsQuery[] = [];
  for (const p of PERIODS) {
    const period = parsePeriod(p.key);
    const q: MetricsQuery = { wardId: ward.id, period, asOf: defaultAsOf(period, NOW) };
    const url = `http://bench/api/v1/metrics?period=${p.key}&asOf=${encodeURIComponent(toIsoLocal(q.asOf))}`;
    const api = async () => {
      const response = await metricsApi(db, new Request(url, { headers: { Authorization: `Bearer ${token}` } }), NOW);
      if (response.status !== 200) throw new Error(`API answered ${response.status}: ${await response.text()}`);
      await response.text();
    };
    await time(2, () => computeMetrics(db, q)); // warm-up
    const row: Row = {
      size,
      period: p.label,
      engine: await time(runs, () => computeMetrics(db, q)),
      api: await time(runs, api),
      page: await time(runs, () => dashboardData(db, q)),
      statements: await pageStatements(db, q),
      reference: [],
    };
    queries.push(q);
    rows.push(row);
  }
  // The reference engine last: it holds a period's visits in memory, which would count in the RSS.
  for (const [i, q] of queries.entries()) {
    const fast = await computeMetrics(db, q);
    if (fast.i1.total + fast.i2.ended > referenceMax) continue;
    // Same figures from both engines, or the timings mean nothing.
    if (JSON.stringify(fast) !== JSON.stringify(await computeMetricsWith(db, q, referenceSource))) {
      throw new Error(`Roll-up and reference disagree for ${q.period.key}`);
    }
    rows[i].reference = await time(referenceRuns, () => computeMetricsWith(db, q, referenceSource), false);
  }
  for (const row of rows) {
    console.log(
      `  ${row.period.padEnd(24)} engine p50 ${fmt(quantile(row.engine, 0.5))} p95 ${fmt(quantile(row.engine, 0.95))} · ` +
        `API p95 ${fmt(quantile(row.api, 0.95))} · page p50 ${fmt(quantile(row.page, 0.5))} p95 ${fmt(quantile(row.page, 0.95))} ` +
        `(${row.statements} statements) · reference p50 ${fmtOr(row.reference)}`,
    );
  }
  await db.destroy();
  return rows;
}

if (values["build-only"]) {
  for (const size of sizes) await (await wardOf(size)).destroy();
  process.exit(0);
}
const all: Row[] = [];
for (const size of sizes) all.push(...(await bench(size)));

console.log("\n| visits | period | engine p50 | engine p95 | API p50 | API p95 | page p50 | page p95 | page statements | reference p50 | speed-up |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of all) {
  const speedUp = r.reference.length ? `×${(quantile(r.reference, 0.5) / quantile(r.engine, 0.5)).toFixed(0)}` : "—";
  console.log(
    `| ${r.size} | ${r.period} | ${fmt(quantile(r.engine, 0.5))} | ${fmt(quantile(r.engine, 0.95))} | ${fmt(quantile(r.api, 0.5))} | ` +
      `${fmt(quantile(r.api, 0.95))} | ${fmt(quantile(r.page, 0.5))} | ${fmt(quantile(r.page, 0.95))} | ${r.statements} | ${fmtOr(r.reference)} | ${speedUp} |`,
  );
}
if (sizes.length > 1) {
  const [smallest, largest] = [sizes[0], sizes[sizes.length - 1]];
  console.log(`\np95, ${largest} over ${smallest}:`);
  for (const p of PERIODS) {
    const a = all.find((r) => r.size === smallest && r.period === p.label)!;
    const b = all.find((r) => r.size === largest && r.period === p.label)!;
    const ratio = (k: "api" | "page") => `×${(quantile(b[k], 0.95) / quantile(a[k], 0.95)).toFixed(2)}`;
    console.log(`  ${p.label.padEnd(24)} API ${ratio("api")} · page ${ratio("page")}`);
  }
}
console.log(`\nPeak RSS while serving (engine, API handler and SQLite in one process; reference runs and builds excluded only if the wards were cached): ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
