// `sskdt demo` — loads the demo ward into the database of DATABASE_URL, through the same
// import pipeline as real files, and prints the demo accounts.
import { parseArgs } from "node:util";
import { openMigratedDatabase, printableUrl } from "../../app/server/db.server";
import { env, PUBLISHED_DEMO_PASSWORD } from "../../app/server/env.server";
import { DEFAULT_DEMO_SEED, DEFAULT_DEMO_VISITS, loadDemoWard } from "../../app/server/demo/demo.server";
import { ROLE_LABELS, isRole } from "../../app/domain/permissions";

const count = (n: number) => n.toLocaleString("en-US");

export const summary = "load the demo ward (synthetic data) and print its accounts";

export const help = `Usage: npx sskdt demo [--visits N] [--seed S] [--force]

Loads a synthetic ward — Phường Hòa Thạnh, 9 blocks, a health station and two
private clinics — with a year of data ending now: visits, gateway results, VNeID
display confirmations, onboarding, population, activities, a budget, targets and
the plan's tasks. Every file goes through the import pipeline, as real data does.

  --visits N   visits over the year (default ${count(DEFAULT_DEMO_VISITS)}; millions work, for benchmarks)
  --seed S     another seed gives another, equally plausible ward (default ${DEFAULT_DEMO_SEED})
  --force      load even though the database already holds imported data
               (meant for throwaway databases: the demo's records join what is there)

Accounts get the password in SSKDT_DEMO_PASSWORD (default sskdt-demo-2026);
an account that already exists is left as it is.`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { visits: { type: "string" }, seed: { type: "string" }, force: { type: "boolean", default: false } },
    strict: true,
  });
  const visits = values.visits === undefined ? DEFAULT_DEMO_VISITS : Number(values.visits);
  const seed = values.seed === undefined ? DEFAULT_DEMO_SEED : Number(values.seed);
  if (!Number.isInteger(visits) || visits < 1) {
    console.error("--visits takes a positive whole number, e.g. --visits 100000");
    return 2;
  }
  if (!Number.isInteger(seed)) {
    console.error("--seed takes a whole number");
    return 2;
  }

  const { DATABASE_URL, SSKDT_DEMO_PASSWORD, NODE_ENV } = env();
  if (!SSKDT_DEMO_PASSWORD || (NODE_ENV === "production" && SSKDT_DEMO_PASSWORD === PUBLISHED_DEMO_PASSWORD)) {
    console.error("In production the demo accounts need a password of your own: set SSKDT_DEMO_PASSWORD (10 characters or more).");
    return 2;
  }
  const db = await openMigratedDatabase(DATABASE_URL);
  try {
    const imported = await db.selectFrom("import_batch").select("id").limit(1).executeTakeFirst();
    if (imported && !values.force) {
      console.error(`${printableUrl(DATABASE_URL)} already holds imported data; the demo goes into an empty database.`);
      console.error("Point DATABASE_URL at a new file, or add --force to load it anyway.");
      return 1;
    }
    console.log(`Loading the demo ward into ${printableUrl(DATABASE_URL)}…`);
    const result = await loadDemoWard(db, { visits, seed, password: SSKDT_DEMO_PASSWORD, log: (line) => console.log(line) });
    const r = result.rows;
    console.log(
      `Imported ${count(r.visits_table)} visits, ${count(r.receipts)} gateway results, ${count(r.displays)} display confirmations, ` +
        `${count(r.onboarding)} onboarding rows, ${count(r.activities)} activities.`,
    );
    const perMillion = r.visits_table > 0 ? (result.seconds.total / r.visits_table) * 1e6 : 0;
    console.log(`Time: ${result.seconds.total.toFixed(1)} s (≈ ${perMillion.toFixed(0)} s per million visits).`);
    console.log(`\nDemo accounts, password ${SSKDT_DEMO_PASSWORD}:`);
    const blocks = new Map((await db.selectFrom("block").select(["id", "name"]).execute()).map((b) => [b.id, b.name]));
    for (const u of result.users) {
      const label = isRole(u.role) ? ROLE_LABELS[u.role] : u.role;
      const note = u.created ? "" : "  — existing account, its own password";
      console.log(`  ${u.username.padEnd(10)} ${label}${u.blockId !== null ? ` (${blocks.get(u.blockId)})` : ""}${note}`);
    }
    return 0;
  } finally {
    await db.destroy();
  }
}
