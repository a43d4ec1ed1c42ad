// Loads the demo ward: names and settings, facilities, one account per role (and per
// block), a year of data fed file by file through the same import pipeline as real data,
// then the budget, targets, plan and checklist the ward keeps by hand.
import type { DB } from "../db.server";
import { importRows, type ImportActor } from "../import/pipeline.server";
import { createEstimate, recordExpenditure, transition } from "../budget.server";
import { freezeR3 } from "../reports/r3.server";
import { addInfrastructureItem, createPlanTask } from "../plan.server";
import { createTarget } from "../targets.server";
import { createUser, findUser } from "../users.server";
import { DEFAULT_WARD, ensureWard, listBlocks, setSetting, updateWard } from "../ward.server";
import { startOfLocalDay } from "~/domain/time";
import type { EstimateAction } from "~/domain/budget";
import type { Role } from "~/domain/permissions";
import type { Timeline } from "./calendar";
import { demoFiles, planDemo, type DemoFile, type DemoOptions } from "./generate";
import { DEMO_FACILITIES, DEMO_USERS, DEMO_WARD } from "./profile";
import { unitOf } from "./random";
import { demoEstimates, demoExpenditures, demoInfrastructure, demoPlanTasks, demoTargets } from "./records";

/** English log lines group thousands with commas. */
const count = (n: number) => n.toLocaleString("en-US");

export const DEFAULT_DEMO_VISITS = 30_000;
export const DEFAULT_DEMO_SEED = 2025;

export interface DemoLoadOptions {
  visits?: number;
  password: string;
  seed?: number;
  log?: (s: string) => void;
  now?: number;
  maxRowsPerFile?: number;
}

export interface DemoUserLogin {
  username: string;
  role: string;
  blockId: number | null;
  /** False for an account that existed already and kept its own password. */
  created: boolean;
}

export interface DemoLoadResult {
  users: DemoUserLogin[];
  /** Rows imported per source kind. */
  rows: Record<DemoFile["kind"], number>;
  files: number;
  seconds: { generate: number; import: number; total: number };
}

/** The demo ward's name, code and signer — unless the installation already has its own ward. */
async function setUpWard(db: DB, log: (s: string) => void): Promise<number> {
  const ward = await ensureWard(db);
  if (ward.code === DEFAULT_WARD.code) {
    await updateWard(db, ward.id, { code: DEMO_WARD.code, name: DEMO_WARD.name, placeName: DEMO_WARD.placeName });
    await setSetting(db, ward.id, "signer", { onBehalf: "KT. CHỦ TỊCH", title: DEMO_WARD.signerTitle.toUpperCase(), name: DEMO_WARD.signerName });
  } else {
    log(`Keeping the ward's own name and settings (${ward.name}).`);
  }
  // The ward's facility list comes first (FORMATS.md §8): visits of a code not in it are refused.
  const known = new Set((await db.selectFrom("facility").select("code").execute()).map((f) => f.code));
  const missing = DEMO_FACILITIES.filter((f) => !known.has(f.code));
  if (missing.length) {
    const actor: ImportActor = { wardId: ward.id, userId: null, tokenId: null, channel: "cli", role: null, blockId: null };
    const rows = missing.map((f) => ({ ma_cskcb: f.code, ten_co_so: f.name, loai: f.kind }));
    const result = await importRows(db, actor, "facilities", "danh-muc-co-so.csv", rows);
    if (result.status !== "committed") throw new Error(`The demo facility list did not import: ${result.errors[0]?.reason ?? result.status}`);
  }
  return ward.id;
}

/** One account per demo user; an existing account keeps its password. */
async function createDemoUsers(db: DB, wardId: number, password: string, log: (s: string) => void): Promise<Map<string, DemoUserLogin & { id: number }>> {
  const users = new Map<string, DemoUserLogin & { id: number }>();
  for (const u of DEMO_USERS) {
    const existing = await findUser(db, u.username);
    if (existing) log(`Account ${u.username} already exists: left as it is.`);
    const user = existing ?? (await createUser(db, { username: u.username, displayName: u.displayName, role: u.role, blockNumber: u.blockNumber, password, wardId }, { username: "demo" }));
    users.set(u.username, { id: user.id, username: user.username, role: user.role, blockId: user.blockId, created: !existing });
  }
  return users;
}

/** Feeds every demo file through the import pipeline, logging progress by visits. */
async function importDemoFiles(db: DB, wardId: number, opts: DemoOptions, log: (s: string) => void) {
  const plan = planDemo(opts);
  const actor: ImportActor = { wardId, userId: null, tokenId: null, channel: "cli", role: null, blockId: null };
  const rows = { visits_table: 0, receipts: 0, displays: 0, onboarding: 0, population: 0, activities: 0 };
  const seconds = { generate: 0, import: 0 };
  let files = 0;
  let nextReport = 0.1;
  const files$ = demoFiles(opts, plan);
  for (;;) {
    let started = performance.now();
    const next = files$.next();
    seconds.generate += (performance.now() - started) / 1000;
    if (next.done) break;
    const file = next.value;
    started = performance.now();
    const result = await importRows(db, actor, file.kind, file.name, file.rows, { dryRun: false });
    seconds.import += (performance.now() - started) / 1000;
    if (result.counts.invalid > 0 || result.status !== "committed") {
      const first = result.errors[0];
      throw new Error(`Demo file ${file.name} did not import cleanly: ${result.status}, ${result.counts.invalid} invalid row(s)${first ? ` — line ${first.line}: ${first.reason}` : ""}.`);
    }
    rows[file.kind] += file.rows.length;
    files++;
    if (file.kind === "visits_table" && rows.visits_table >= nextReport * plan.totalVisits) {
      const elapsed = seconds.generate + seconds.import;
      log(`  ${count(rows.visits_table)} / ${count(plan.totalVisits)} visits (up to ${file.month}) — ${elapsed.toFixed(1)} s`);
      while (nextReport * plan.totalVisits <= rows.visits_table) nextReport += 0.1;
    }
  }
  return { plan, rows, files, seconds };
}

/** Budget, targets, plan tasks and checklist; each only when the ward has none yet. */
async function keepRecords(db: DB, wardId: number, t: Timeline, users: Map<string, { id: number }>, seed: number) {
  const idOf = (username: string) => users.get(username)?.id ?? null;
  const at = (day: string, hour: number) => startOfLocalDay(day) + hour * 3600;
  const hasAny = async (table: "budget_estimate" | "target" | "plan_task" | "infrastructure_item") =>
    !!(await db.selectFrom(table).select("id").where("ward_id", "=", wardId).limit(1).executeTakeFirst());

  if (!(await hasAny("budget_estimate"))) {
    for (const e of demoEstimates(t)) {
      const id = await createEstimate(db, { wardId, year: e.year, title: e.title, createdBy: idOf("tramyte"), lines: e.lines, at: at(e.createdOn, 9) });
      const step = (role: Role, username: string, action: EstimateAction, on: string, hour: number, comment?: string) =>
        transition(db, { wardId, estimateId: id, actor: { id: idOf(username), role }, action, comment, at: at(on, hour), freeze: freezeR3 });
      await step("tram_y_te", "tramyte", "submit", e.submittedOn, 10);
      await step("tai_chinh", "taichinh", e.review.decision, e.review.on, 15, e.review.comment);
      // A returned estimate comes back the next morning, waiting for the finance officer again.
      if (e.review.decision === "return_review") await step("tram_y_te", "tramyte", "submit", e.review.on, 24 + 9, "Đã bổ sung báo giá và phụ lục hợp đồng.");
      if (!e.approvedOn) continue;
      await step("lanh_dao", "lanhdao", "approve", e.approvedOn, 16, "Đồng ý phê duyệt.");
      const lines = await db.selectFrom("budget_line").select(["id", "position"]).where("estimate_id", "=", id).execute();
      const lineId = new Map(lines.map((l) => [l.position, l.id]));
      const spending = demoExpenditures(t, e, (n) => unitOf(seed, "budget", e.year, n));
      for (const [i, x] of spending.entries()) {
        await recordExpenditure(db, {
          wardId, budgetLineId: lineId.get(x.linePosition)!, date: x.date, amount: x.amount, content: x.content,
          documentRef: `Phiếu chi số ${String(i + 1).padStart(3, "0")}/${e.year}`, createdBy: idOf("taichinh"), at: at(x.date, 14),
          confirmOverspend: true,
        });
      }
    }
  }
  if (!(await hasAny("target"))) {
    const blocks = new Map((await listBlocks(db, wardId)).map((b) => [b.number, b.id]));
    for (const target of demoTargets(t)) {
      await createTarget(db, wardId, { indicator: target.indicator, blockId: target.block === null ? null : blocks.get(target.block)!, period: target.period, threshold: target.threshold });
    }
  }
  if (!(await hasAny("plan_task"))) {
    for (const task of demoPlanTasks(t)) await createPlanTask(db, { wardId, ...task });
  }
  if (!(await hasAny("infrastructure_item"))) {
    const station = await db.selectFrom("facility").select("id").where("code", "=", DEMO_FACILITIES[0].code).executeTakeFirstOrThrow();
    for (const item of demoInfrastructure(t)) {
      await addInfrastructureItem(db, { wardId, facilityId: station.id, ...item, checkedBy: idOf("tramyte") });
    }
  }
}

/**
 * Loads the demo ward into `db`. Deterministic for a seed and a `now`; the data ends at
 * `now` (default: the current time), so the current month has live figures.
 */
export async function loadDemoWard(db: DB, opts: DemoLoadOptions): Promise<DemoLoadResult> {
  const log = opts.log ?? (() => undefined);
  const started = performance.now();
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const generatorOptions: DemoOptions = {
    seed,
    visits: opts.visits ?? DEFAULT_DEMO_VISITS,
    now: opts.now ?? Math.floor(Date.now() / 1000),
    maxRowsPerFile: opts.maxRowsPerFile,
  };
  const wardId = await setUpWard(db, log);
  const users = await createDemoUsers(db, wardId, opts.password, log);
  log(`Importing the demo ward's files (seed ${seed}, ${count(generatorOptions.visits)} visits)…`);
  const imported = await importDemoFiles(db, wardId, generatorOptions, log);
  await keepRecords(db, wardId, imported.plan.timeline, users, seed);
  const total = (performance.now() - started) / 1000;
  log(`Demo ward loaded: ${imported.files} files in ${total.toFixed(1)} s (generating ${imported.seconds.generate.toFixed(1)} s, importing ${imported.seconds.import.toFixed(1)} s).`);
  return {
    users: [...users.values()].map(({ id: _id, ...login }) => login),
    rows: imported.rows,
    files: imported.files,
    seconds: { ...imported.seconds, total },
  };
}
