// The ward an installation serves, its blocks, and its settings (signer, recipients,
// visit-type mapping). Settings are JSON rows in `setting`, read through zod so a
// hand-edited or older value falls back to the default instead of breaking a report.
import { z } from "zod";
import type { DB } from "./db.server";
import { VISIT_TYPE_GROUPS } from "../domain/codes";

export const DEFAULT_WARD = { code: "00000", name: "Phường Thí Điểm", placeName: "Thí Điểm" } as const;
export const DEFAULT_BLOCK_COUNT = 9;

export type VisitTypeGroupKey = (typeof VISIT_TYPE_GROUPS)[number]["key"];

const recipient = z.object({ name: z.string().min(1), shortName: z.string().min(1) });

const SETTINGS = {
  // The signature block of a report: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name (REPORTS.md).
  signer: z.object({ onBehalf: z.string(), title: z.string().min(1), name: z.string() }),
  // "Nơi nhận" of a report, before the closing "- Lưu: VT, VH."
  recipients: z.array(recipient),
  // R2: which MA_LOAI_KCB codes fall in each visit-type row.
  // FORMATS.md §8: register a facility code first seen in a file (a first load of history).
  facilityAutoRegister: z.boolean(),
  visitTypeGroups: z.record(z.enum(VISIT_TYPE_GROUPS.map((g) => g.key) as [VisitTypeGroupKey, ...VisitTypeGroupKey[]]), z.array(z.string())),
  // The symbol after a report's number ("Số: 07/BC-UBND"), per report kind; numbers run per year and symbol.
  reportSymbols: z.object({ R1: z.string().min(1), R2: z.string().min(1), R4: z.string().min(1) }),
  // The first month the report calendar lists ('yyyy-MM'); null: the last twelve months.
  reportCalendarStart: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).nullable(),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;

// Defaults from the ward's plan (seed): it is signed by the vice chair on behalf of the
// chair, and its superiors are the town People's Committee and the town health center.
export const SETTING_DEFAULTS: { [K in SettingKey]: SettingValue<K> } = {
  signer: { onBehalf: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH", name: "Hồ Xuân Hùng" },
  recipients: [
    { name: "UBND thị xã", shortName: "UBND thị xã" },
    { name: "Trung tâm Y tế thị xã", shortName: "TTYT thị xã" },
  ],
  facilityAutoRegister: false,
  visitTypeGroups: Object.fromEntries(VISIT_TYPE_GROUPS.map((g) => [g.key, [...g.codes]])) as SettingValue<"visitTypeGroups">,
  reportSymbols: { R1: "BC-UBND", R2: "BC-UBND", R4: "BC-UBND" },
  reportCalendarStart: null,
};

export interface Ward {
  id: number;
  code: string;
  name: string;
  placeName: string;
}

export interface Block {
  id: number;
  number: number;
  name: string;
}

/** Creates the default ward and its blocks "Khối 1"…"Khối 9" when the database has no ward. */
export async function ensureWard(db: DB): Promise<Ward> {
  const existing = await db.selectFrom("ward").select("id").orderBy("id").executeTakeFirst();
  if (existing) return getWard(db, existing.id);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("ward")
      .values({ code: DEFAULT_WARD.code, name: DEFAULT_WARD.name, place_name: DEFAULT_WARD.placeName, created_at: Math.floor(Date.now() / 1000) })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (let n = 1; n <= DEFAULT_BLOCK_COUNT; n++) {
      await trx.insertInto("block").values({ ward_id: id, number: n, name: `Khối ${n}` }).execute();
    }
    for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) {
      await trx.insertInto("setting").values({ ward_id: id, key, value: JSON.stringify(SETTING_DEFAULTS[key]) }).execute();
    }
    return { id, code: DEFAULT_WARD.code, name: DEFAULT_WARD.name, placeName: DEFAULT_WARD.placeName };
  });
}

/** The installation's ward when it serves one (the default case): the first one created. */
export async function defaultWardId(db: DB): Promise<number> {
  const row = await db.selectFrom("ward").select("id").orderBy("id").executeTakeFirst();
  if (!row) throw new Error("No ward yet: start the server once or run a command that creates it.");
  return row.id;
}

export async function getWard(db: DB, wardId: number): Promise<Ward> {
  const w = await db.selectFrom("ward").select(["id", "code", "name", "place_name"]).where("id", "=", wardId).executeTakeFirstOrThrow();
  return { id: w.id, code: w.code, name: w.name, placeName: w.place_name };
}

export async function updateWard(db: DB, wardId: number, changes: Omit<Ward, "id">): Promise<void> {
  await db
    .updateTable("ward")
    .set({ code: changes.code, name: changes.name, place_name: changes.placeName })
    .where("id", "=", wardId)
    .execute();
}

export async function listBlocks(db: DB, wardId: number): Promise<Block[]> {
  return db.selectFrom("block").select(["id", "number", "name"]).where("ward_id", "=", wardId).orderBy("number").execute();
}

export async function getSetting<K extends SettingKey>(db: DB, wardId: number, key: K): Promise<SettingValue<K>> {
  const row = await db.selectFrom("setting").select("value").where("ward_id", "=", wardId).where("key", "=", key).executeTakeFirst();
  if (!row) return SETTING_DEFAULTS[key];
  const parsed = SETTINGS[key].safeParse(safeJson(row.value));
  return parsed.success ? (parsed.data as SettingValue<K>) : SETTING_DEFAULTS[key];
}

export async function setSetting<K extends SettingKey>(db: DB, wardId: number, key: K, value: SettingValue<K>): Promise<void> {
  const json = JSON.stringify(SETTINGS[key].parse(value));
  await db
    .insertInto("setting")
    .values({ ward_id: wardId, key, value: json })
    .onConflict((oc) => oc.columns(["ward_id", "key"]).doUpdateSet({ value: json }))
    .execute();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
