// What the phone forms list and change: the residents a block recorded this week, and
// the activities (list with filters, a monthly count, edit and delete). Creating goes
// through the import pipeline (entry.server.ts); editing an activity re-validates it with
// the import's own row validation, and block scope is checked here on the server.
import { addDays, localDayOf } from "../domain/time";
import { isBlockScoped } from "../domain/permissions";
import type { DB } from "./db.server";
import { requireBlockScope, type CurrentUser } from "./guard.server";
import { validateActivity, type ActivityRow } from "./import/kinds/activities.server";
import { BlockDirectory } from "./import/references.server";

/** Monday of the local (Vietnam) week of `day`. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export interface OnboardingEntry {
  id: number;
  block: string;
  last4: string;
  vneid: string | null;
  level2: string | null;
  bhyt: string | null;
  supportUnit: string | null;
  enteredAt: number;
  enteredBy: string | null;
}

/** Onboarding rows imported or entered since Monday (local), in the user's block when it has one. */
export async function onboardingThisWeek(db: DB, user: CurrentUser, now: number): Promise<OnboardingEntry[]> {
  const since = startOfWeekEpoch(now);
  let q = db
    .selectFrom("onboarding_record as o")
    .innerJoin("block as b", "b.id", "o.block_id")
    .innerJoin("import_batch as ib", "ib.id", "o.batch_id")
    .leftJoin("app_user as u", "u.id", "ib.user_id")
    .select(["o.id", "b.name as block", "o.pid_last4", "o.vneid_installed_on", "o.level2_activated_on", "o.bhyt_linked_on", "o.support_unit", "ib.created_at", "u.display_name"])
    .where("b.ward_id", "=", user.wardId)
    .where("ib.created_at", ">=", since)
    .orderBy("o.id", "desc")
    .limit(200);
  if (isBlockScoped(user.role)) q = q.where("o.block_id", "=", user.blockId ?? -1);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id, block: r.block, last4: r.pid_last4, vneid: r.vneid_installed_on, level2: r.level2_activated_on, bhyt: r.bhyt_linked_on,
    supportUnit: r.support_unit, enteredAt: r.created_at, enteredBy: r.display_name,
  }));
}

const startOfWeekEpoch = (now: number) => {
  const monday = weekStart(localDayOf(now));
  const [y, m, d] = monday.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 1000 - 7 * 3600;
};

export interface ActivityFilter {
  month?: string | null; // yyyy-MM
  type?: string | null;
  blockId?: number | null;
}

export interface ActivityListing {
  id: number;
  date: string;
  type: string;
  unit: string;
  blockId: number | null;
  content: string;
  participants: number | null;
}

/** A block committee's list is its own block's, whatever filter it asks for. */
export async function listActivities(db: DB, user: CurrentUser, filter: ActivityFilter): Promise<ActivityListing[]> {
  let q = db
    .selectFrom("activity")
    .select(["id", "date", "type", "unit", "block_id", "content", "participants"])
    .where("ward_id", "=", user.wardId)
    .orderBy("date", "desc")
    .orderBy("id", "desc")
    .limit(500);
  if (isBlockScoped(user.role)) q = q.where("block_id", "=", user.blockId ?? -1);
  else if (filter.blockId) q = q.where("block_id", "=", filter.blockId);
  if (filter.month) q = q.where("date", ">=", `${filter.month}-01`).where("date", "<=", `${filter.month}-31`);
  if (filter.type) q = q.where("type", "=", filter.type);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, date: r.date, type: r.type, unit: r.unit, blockId: r.block_id, content: r.content, participants: r.participants }));
}

/** Activities and people reached per month over the last `months` months (the chart). */
export async function activitiesByMonth(db: DB, user: CurrentUser, now: number, months = 12): Promise<Array<{ month: string; count: number; reach: number }>> {
  const today = localDayOf(now);
  const keys: string[] = [];
  let [y, m] = today.split("-").map(Number);
  for (let i = 0; i < months; i++) {
    keys.unshift(`${y}-${String(m).padStart(2, "0")}`);
    if (--m === 0) [y, m] = [y - 1, 12];
  }
  let q = db.selectFrom("activity").select(["date", "participants"]).where("ward_id", "=", user.wardId).where("date", ">=", `${keys[0]}-01`);
  if (isBlockScoped(user.role)) q = q.where("block_id", "=", user.blockId ?? -1);
  const totals = new Map(keys.map((k) => [k, { month: k, count: 0, reach: 0 }]));
  for (const r of await q.execute()) {
    const t = totals.get(r.date.slice(0, 7));
    if (!t) continue;
    t.count++;
    t.reach += r.participants ?? 0;
  }
  return [...totals.values()];
}

export type ActivityEdit = { ok: true; row: ActivityRow } | { ok: false; errors: string[] };

/** The activity, if the user may change it: a block committee only its own block's. */
async function ownedActivity(db: DB, user: CurrentUser, id: number) {
  const row = await db.selectFrom("activity").select(["id", "block_id"]).where("id", "=", id).where("ward_id", "=", user.wardId).executeTakeFirst();
  if (!row) throw new Response("Không có hoạt động này", { status: 404 });
  requireBlockScope(user, row.block_id);
  return row;
}

/** Edits an activity with the import's validation; a block committee may not move it out of its block. */
export async function updateActivity(db: DB, user: CurrentUser, id: number, raw: Record<string, string>): Promise<ActivityEdit> {
  await ownedActivity(db, user, id);
  const blocks = await BlockDirectory.load(db, user.wardId);
  const ownBlockId = isBlockScoped(user.role) ? user.blockId : null;
  const result = validateActivity(raw, null, { blocks, visitSource: "form", ownBlockId });
  if (!result.row) return { ok: false, errors: result.errors.map((e) => e.reason) };
  requireBlockScope(user, result.row.blockId);
  const r = result.row;
  await db
    .updateTable("activity")
    .set({ date: r.date, type: r.type, unit: r.unit, block_id: r.blockId, content: r.content, participants: r.participants, updated_at: Math.floor(Date.now() / 1000) })
    .where("id", "=", id)
    .execute();
  return { ok: true, row: r };
}

export async function deleteActivity(db: DB, user: CurrentUser, id: number): Promise<void> {
  await ownedActivity(db, user, id);
  await db.deleteFrom("activity").where("id", "=", id).execute();
}

export async function getActivity(db: DB, user: CurrentUser, id: number): Promise<ActivityListing> {
  await ownedActivity(db, user, id);
  const r = await db.selectFrom("activity").select(["id", "date", "type", "unit", "block_id", "content", "participants"]).where("id", "=", id).executeTakeFirstOrThrow();
  return { id: r.id, date: r.date, type: r.type, unit: r.unit, blockId: r.block_id, content: r.content, participants: r.participants };
}
