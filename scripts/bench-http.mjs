#!/usr/bin/env node
// End-to-end timing of a running server: signs in, then requests the dashboard page
// (full server rendering, session check and audit included) and GET /api/v1/metrics for
// a month, a quarter, a year and the current month, and prints p50 / p95. With --pid, it
// also prints the server's peak resident memory (VmHWM, Linux).
//
// Then the freeze case: a second user (--uploader, the health station by default) uploads
// a generated gateway-receipts CSV of --import-rows rows (200,000 by default, about 10 MB;
// 0 skips the case) on the upload page, previews it and confirms it, while the vice chair
// asks for the dashboard every --every ms (0: not at all, to time the import alone); it
// prints the dashboard's p50 / p95 / max for 10 s without an import, during the preview and
// during the import, and how long each took.
//
//   DATABASE_URL=file:bench-data/dashboard-10m.sqlite PORT=3333 npm run serve &
//   node scripts/bench-http.mjs --url http://localhost:3333 --password bench-password-123 --pid $(pgrep -f serve.mjs)
// (the bench wards of bench:dashboard have the password bench-password-123)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    username: { type: "string", default: "lanhdao" },
    password: { type: "string", default: process.env.SSKDT_DEMO_PASSWORD ?? "sskdt-demo-2026" },
    runs: { type: "string", default: "30" },
    pid: { type: "string" },
    uploader: { type: "string", default: "tramyte" },
    "import-rows": { type: "string", default: "200000" },
    facility: { type: "string", default: "56214" },
    every: { type: "string", default: "500" },
  },
});
const runs = Number(opts.runs);
const PERIODS = [["month", "2026-05"], ["quarter", "2026-Q1"], ["year", "2026"], ["this month", "this-month"]];

async function signIn(username = opts.username) {
  const body = new URLSearchParams({ username, password: opts.password });
  const response = await fetch(new URL("/login", opts.url), { method: "POST", body, redirect: "manual" });
  if (response.status !== 302) throw new Error(`sign-in as ${username} failed: HTTP ${response.status}`);
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
// ---- The freeze case: the dashboard while a large upload is previewed and confirmed ----

const pad = (n, width) => String(n).padStart(width, "0");

/** A gateway-receipts CSV (FORMATS.md §3) of `rows` synthetic receipts, four per record, one in ten rejected. */
function writeReceipts(file, rows) {
  const run = Date.now().toString(36).toUpperCase(); // new records and receipts at every run
  const out = fs.openSync(file, "w");
  let chunk = "ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep\n";
  const start = Date.UTC(2026, 3, 1);
  for (let i = 0; i < rows; i++) {
    const t = new Date(start + i * 30_000);
    const at = `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1, 2)}${pad(t.getUTCDate(), 2)}${pad(t.getUTCHours(), 2)}${pad(t.getUTCMinutes(), 2)}${pad(t.getUTCSeconds(), 2)}`;
    const code = i % 10 === 0 ? "E101" : "200";
    chunk += `${opts.facility},BH${run}${pad(Math.floor(i / 4), 7)},BH${run}${pad(i, 9)},${at},${code},${code === "200" ? "Thành công" : "Sai mã thẻ BHYT"}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = "";
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

/** Reads an upload answer's NDJSON lines to the end; the last one is the result. */
async function lastLine(response) {
  const text = await response.text();
  const lines = text.trim().split("\n").map((l) => JSON.parse(l));
  const last = lines[lines.length - 1];
  if (response.status !== 200 || last.type !== "result") throw new Error(`upload: HTTP ${response.status} ${text.slice(0, 300)}`);
  return last;
}

/**
 * Asks for the dashboard every --every ms (500 by default) (whether or not the previous answer came: a frozen
 * server shows as many slow requests, not one) until `done` resolves; the time of each, in ms.
 */
async function pollDashboard(cookie, done) {
  const pending = [];
  let finished = false;
  done.finally(() => (finished = true));
  while (!finished && Number(opts.every) > 0) {
    const start = performance.now();
    pending.push(
      fetch(new URL("/dashboard?period=2026-05", opts.url), { headers: { cookie } }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`dashboard during the import: HTTP ${response.status}`);
        return performance.now() - start;
      }),
    );
    await Promise.race([done.catch(() => {}), new Promise((resolve) => setTimeout(resolve, Number(opts.every)))]);
  }
  return Promise.all(pending);
}

const stats = (times) => {
  if (times.length === 0) return "not asked (--every 0)";
  const sorted = [...times].sort((a, b) => a - b);
  return `${sorted.length} requests, p50 ${quantile(sorted, 0.5).toFixed(0)} ms p95 ${quantile(sorted, 0.95).toFixed(0)} ms max ${sorted[sorted.length - 1].toFixed(0)} ms`;
};

async function freezeCase(rows) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-bench-http-"));
  try {
    const file = path.join(dir, "ket-qua-gui.csv");
    writeReceipts(file, rows);
    const uploader = await signIn(opts.uploader);
    const headers = { cookie: uploader, origin: new URL(opts.url).origin };
    const form = new FormData();
    form.append("files", await fs.openAsBlob(file, { type: "text/csv" }), "ket-qua-gui.csv");
    console.log(`\nFreeze case: ${opts.uploader} uploads ${rows.toLocaleString("en")} receipts (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MB CSV) while ${opts.username} reads the dashboard (2026-05)`);

    const idle = await pollDashboard(cookie, new Promise((resolve) => setTimeout(resolve, 10_000)));
    console.log(`  no import, 10 s: dashboard ${stats(idle)}`);

    let started = performance.now();
    const preview = fetch(new URL("/import/upload?intent=preview", opts.url), { method: "POST", body: form, headers }).then(lastLine);
    const duringPreview = await pollDashboard(cookie, preview);
    const previewed = await preview;
    const previewSeconds = (performance.now() - started) / 1000;
    console.log(`  preview  ${previewSeconds.toFixed(1)} s (${JSON.stringify(previewed.totals)}); dashboard meanwhile: ${stats(duringPreview)}`);

    started = performance.now();
    const confirm = fetch(new URL(`/import/upload?intent=confirm&preview=${previewed.previewId}`, opts.url), { method: "POST", headers }).then(lastLine);
    const duringImport = await pollDashboard(cookie, confirm);
    const confirmed = await confirm;
    const importSeconds = (performance.now() - started) / 1000;
    console.log(`  import   ${importSeconds.toFixed(1)} s (${JSON.stringify(confirmed.totals)}); dashboard meanwhile: ${stats(duringImport)}`);
    console.log(`  both     dashboard ${stats([...duringPreview, ...duringImport])}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const importRows = Number(opts["import-rows"]);
if (importRows > 0) await freezeCase(importRows);

if (opts.pid) {
  const status = fs.readFileSync(`/proc/${opts.pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  console.log(`server memory: RSS ${Math.round(kb("VmRSS") / 1024)} MB, peak ${Math.round(kb("VmHWM") / 1024)} MB`);
}
