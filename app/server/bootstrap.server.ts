// What the server does once at start-up, after migrations: make sure the ward exists,
// and on a brand-new database create the first accounts — the demo ward (SSKDT_DEMO=1)
// or just the administrator with a one-time password (SSKDT_DEMO=0).
import type { DB } from "./db.server";
import type { Env } from "./env.server";
import { createUser, generatePassword, verifyPassword } from "./users.server";
import { DEFAULT_WARD, ensureWard, getWard } from "./ward.server";
import { ROLE_LABELS, ROLES } from "../domain/permissions";

export interface BootstrapOptions {
  db: DB;
  env: Pick<Env, "SSKDT_DEMO" | "SSKDT_DEMO_PASSWORD">;
  log: (line: string) => void;
}

interface DemoModule {
  loadDemoWard(db: DB, opts: { visits?: number; password: string; log?: (s: string) => void }): Promise<{ users: Array<{ username: string; role: string }> }>;
}

// A glob rather than a plain import: the build must not fail while the demo loader
// does not exist yet, and an installation without it still starts.
const demoModules = import.meta.glob<DemoModule>("./demo/demo.server.ts");

export const ADMIN_USERNAME = "quantri";

export async function bootstrap({ db, env, log }: BootstrapOptions): Promise<void> {
  const ward = await ensureWard(db);
  const isNew = !(await db.selectFrom("app_user").select("id").limit(1).executeTakeFirst())
    && !(await db.selectFrom("visit").select("id").limit(1).executeTakeFirst());

  const demoPassword = env.SSKDT_DEMO === "1" ? env.SSKDT_DEMO_PASSWORD : undefined;
  if (isNew && demoPassword) {
    const load = demoModules["./demo/demo.server.ts"];
    if (load) {
      log("New database: loading the demo ward (SSKDT_DEMO=1)…");
      await (await load()).loadDemoWard(db, { password: demoPassword, log });
    } else {
      log("Demo data not available in this build; creating the administrator only.");
      await createAdministrator(db, log);
    }
  } else if (isNew) {
    await createAdministrator(db, log);
  }

  if (demoPassword) await printDemoLogins(db, demoPassword, log);
  const { code, name } = await getWard(db, ward.id); // the demo names its ward
  if (code === DEFAULT_WARD.code) log(`Ward "${name}" has the placeholder code ${code}: set its name and code under Cấu hình (/admin/settings).`);
}

async function createAdministrator(db: DB, log: (line: string) => void) {
  const password = generatePassword();
  await createUser(db, { username: ADMIN_USERNAME, displayName: "Quản trị hệ thống", role: "quan_tri", password, mustChangePassword: true }, { username: "bootstrap" });
  log(`Administrator account created — username: ${ADMIN_USERNAME}  password: ${password}`);
  log("This password is shown only once; it must be changed at the first sign-in.");
}

/**
 * One account per role, so whoever tries the demo can sign in as each. Only accounts
 * that still have the demo password are shown: what is printed works.
 */
async function printDemoLogins(db: DB, password: string, log: (line: string) => void) {
  const lines: string[] = [];
  for (const role of ROLES) {
    const candidates = await db
      .selectFrom("app_user")
      .leftJoin("block", "block.id", "app_user.block_id")
      .select(["app_user.username", "app_user.password_hash", "block.name as block_name"])
      .where("app_user.role", "=", role)
      .where("app_user.disabled", "=", 0)
      .orderBy("app_user.username")
      .execute();
    for (const user of candidates) {
      if (!(await verifyPassword(user.password_hash, password))) continue;
      lines.push(`  ${user.username.padEnd(10)} ${ROLE_LABELS[role]}${user.block_name ? ` (${user.block_name})` : ""}`);
      break;
    }
  }
  if (lines.length === 0) return;
  log(`Demo accounts, password ${password}:`);
  for (const line of lines) log(line);
}
