#!/usr/bin/env node
// End-to-end timing of a running server: signs in, then requests the dashboard page
// (full server rendering, session check and audit included) and GET /api/v1/metrics for
// a month, a quarter, a year and the current month, and prints p50 / p95. With --pid, it
// also prints the server's peak resident memory (VmHWM, Linux).
//
//   DATABASE_URL=file:bench-data/dashboard-10m.sqlite PORT=3333 npm run serve &
//   node scripts/bench-http.mjs --url http://localhost:3333 --password bench-password-123 --pid $(pgrep -f serve.mjs)
// (the bench wards of bench:dashboard have the password bench-password-123)
import fs from "node:fs";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    username: { type: "string", default: "lanhdao" },
    password: { type: "string", default: process.env.SSKDT_DEMO_PASSWORD ?? "sskdt-demo-2026" },
    runs: { type: "string", default: "30" },
    pid: { type: "string" },
  },
});
const runs = Number(opts.runs);
const PERIODS = [["month", "2026-05"], ["quarter", "2026-Q1"], ["year", "2026"], ["this month", "this-month"]];

async function signIn() {
  const body = new URLSearchParams({ username: opts.username, password: opts.password });
  const response = await fetch(new URL("/login", opts.url), { method: "POST", body, redirect: "manual" });
  if (response.status !== 302) throw new Error(`sign-in as ${opts.username} failed: HTTP ${response.status}`);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** p-quantile by nearest rank of sorted times. */
const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

async function time(path, cookie) {
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const response = await fetch(new URL(path, opts.url), { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    if (i >= 2) times.push(performance.now() - start); // two warm-up requests
  }
  times.sort((a, b) => a - b);
  return `p50 ${quantile(times, 0.5).toFixed(1)} ms p95 ${quantile(times, 0.95).toFixed(1)} ms`;
}

const cookie = await signIn();
console.log(`${opts.url}, ${runs} requests each, signed in as ${opts.username}`);
for (const [label, period] of PERIODS) {
  const page = await time(`/dashboard?period=${period}`, cookie);
  const api = await time(`/api/v1/metrics?period=${period}`, cookie);
  console.log(`  ${`${label} (${period})`.padEnd(24)} page ${page} · API ${api}`);
}
if (opts.pid) {
  const status = fs.readFileSync(`/proc/${opts.pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  console.log(`server memory: RSS ${Math.round(kb("VmRSS") / 1024)} MB, peak ${Math.round(kb("VmHWM") / 1024)} MB`);
}
