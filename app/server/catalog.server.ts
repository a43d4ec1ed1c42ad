// The ward's catalogue (Danh mục), kept by the administrator: facilities (add, rename,
// merge a stray code into the right one), blocks (rename, how many) and the eligible
// population per block. Figures stay right through a merge: the stray code's visits,
// receipts and confirmations move to the facility they belong to and the roll-ups of
// every record touched are recomputed in the same transaction.
import { FACILITY_KIND_LABELS, type FacilityKind } from "../domain/codes";
import type { DB } from "./db.server";
import { FACILITY_LIST_CODE } from "./import/kinds/facilities.server";
import { lockWard, updateDerived } from "./metrics/derived.server";

export class CatalogError extends Error {}

export interface FacilityListing {
  id: number;
  code: string;
  name: string;
  kind: string;
  visits: number;
  receipts: number;
  displays: number;
}

export async function listFacilities(db: DB, wardId: number): Promise<FacilityListing[]> {
  const rows = await db.selectFrom("facility").select(["id", "code", "name", "kind"]).where("ward_id", "=", wardId).orderBy("code").execute();
  const counts = async (table: "visit" | "gateway_receipt" | "display_confirmation") => {
    const found = await db
      .selectFrom(table)
      .select(["facility_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("facility_id", "in", rows.length ? rows.map((r) => r.id) : [0])
      .groupBy("facility_id")
      .execute();
    return new Map(found.map((f) => [f.facility_id, Number(f.n)]));
  };
  const [visits, receipts, displays] = await Promise.all([counts("visit"), counts("gateway_receipt"), counts("display_confirmation")]);
  return rows.map((r) => ({ ...r, visits: visits.get(r.id) ?? 0, receipts: receipts.get(r.id) ?? 0, displays: displays.get(r.id) ?? 0 }));
}

function checkFacility(name: string, kind: string): { name: string; kind: FacilityKind } {
  const trimmed = name.trim();
  if (!trimmed) throw new CatalogError("Thiếu tên cơ sở.");
  if (trimmed.length > 200) throw new CatalogError("Tên cơ sở dài quá 200 ký tự.");
  if (!(kind in FACILITY_KIND_LABELS)) throw new CatalogError(`Loại cơ sở không hợp lệ: ${kind}`);
  return { name: trimmed, kind: kind as FacilityKind };
}

export async function addFacility(db: DB, wardId: number, input: { code: string; name: string; kind: string }): Promise<number> {
  const code = input.code.trim().toUpperCase();
  if (!FACILITY_LIST_CODE.test(code)) throw new CatalogError(`Mã cơ sở KCB "${code}" phải gồm đúng 5 chữ hoặc số.`);
  const { name, kind } = checkFacility(input.name, input.kind);
  const exists = await db.selectFrom("facility").select("id").where("code", "=", code).executeTakeFirst();
  if (exists) throw new CatalogError(`Mã cơ sở KCB ${code} đã có trong danh mục.`);
  const { id } = await db.insertInto("facility").values({ ward_id: wardId, code, name, kind }).returning("id").executeTakeFirstOrThrow();
  return id;
}

export async function updateFacility(db: DB, wardId: number, facilityId: number, input: { name: string; kind: string }): Promise<void> {
  const { name, kind } = checkFacility(input.name, input.kind);
  const result = await db.updateTable("facility").set({ name, kind }).where("id", "=", facilityId).where("ward_id", "=", wardId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new CatalogError(`Không có cơ sở số ${facilityId}.`);
}

export interface MergeResult {
  from: string;
  into: string;
  visits: number;
  receipts: number;
  displays: number;
}

/**
 * Moves every record of the stray facility `fromId` to `intoId`, then removes the stray
 * code. Refused, writing nothing, when a visit key (MA_LK) exists at both: the two would
 * be one record, and which one is right is for the facilities to say, not a guess.
 */
export async function mergeFacility(db: DB, wardId: number, fromId: number, intoId: number): Promise<MergeResult> {
  if (fromId === intoId) throw new CatalogError("Chọn hai cơ sở khác nhau để gộp.");
  return db.transaction().execute(async (trx) => {
    await lockWard(trx, wardId); // it rewrites the ward's roll-ups, as an import does
    const both = await trx.selectFrom("facility").select(["id", "code"]).where("ward_id", "=", wardId).where("id", "in", [fromId, intoId]).execute();
    const from = both.find((f) => f.id === fromId);
    const into = both.find((f) => f.id === intoId);
    if (!from || !into) throw new CatalogError("Không tìm thấy cơ sở cần gộp.");
    const keys = new Set<string>();
    for (const table of ["visit", "gateway_receipt", "display_confirmation"] as const) {
      for (const r of await trx.selectFrom(table).select("ma_lk").distinct().where("facility_id", "=", fromId).execute()) keys.add(r.ma_lk);
    }
    const clash = await trx
      .selectFrom("visit as a")
      .innerJoin("visit as b", "b.ma_lk", "a.ma_lk")
      .select("a.ma_lk")
      .where("a.facility_id", "=", fromId)
      .where("b.facility_id", "=", intoId)
      .limit(3)
      .execute();
    if (clash.length) {
      throw new CatalogError(`Không gộp được: mã lượt KCB ${clash.map((c) => c.ma_lk).join(", ")} có ở cả ${from.code} và ${into.code}. Cần cơ sở gửi lại dữ liệu đúng trước.`);
    }
    const moved = { visits: 0, receipts: 0, displays: 0 };
    const move = async (table: "visit" | "gateway_receipt" | "display_confirmation") => {
      const result = await trx.updateTable(table).set({ facility_id: intoId }).where("facility_id", "=", fromId).executeTakeFirst();
      return Number(result.numUpdatedRows);
    };
    moved.visits = await move("visit");
    moved.receipts = await move("gateway_receipt");
    moved.displays = await move("display_confirmation");
    // A receipt identified by content names its facility: keep the identity of the code it now has.
    await trx.updateTable("api_token").set({ facility_id: intoId }).where("facility_id", "=", fromId).execute();
    await trx.updateTable("infrastructure_item").set({ facility_id: intoId }).where("facility_id", "=", fromId).execute();
    // Both sides of each record: the stray one's roll-ups go, the right one's are rebuilt.
    const records = [...keys].flatMap((maLk) => [{ facilityId: fromId, maLk }, { facilityId: intoId, maLk }]);
    if (records.length) await updateDerived(trx, { records, residents: [] });
    await trx.deleteFrom("metric_patient_month").where("facility_id", "=", fromId).execute();
    await trx.deleteFrom("metric_patient_link").where("facility_id", "=", fromId).execute();
    await trx.deleteFrom("facility").where("id", "=", fromId).execute();
    return { from: from.code, into: into.code, ...moved };
  });
}

// ---- Blocks ---------------------------------------------------------------------------

export async function renameBlock(db: DB, wardId: number, blockId: number, name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new CatalogError("Thiếu tên khối.");
  if (trimmed.length > 100) throw new CatalogError("Tên khối dài quá 100 ký tự.");
  const same = await db.selectFrom("block").select("id").where("ward_id", "=", wardId).where("name", "=", trimmed).where("id", "!=", blockId).executeTakeFirst();
  if (same) throw new CatalogError(`Đã có khối tên "${trimmed}".`);
  const result = await db.updateTable("block").set({ name: trimmed }).where("id", "=", blockId).where("ward_id", "=", wardId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new CatalogError(`Không có khối số ${blockId}.`);
}

/**
 * Sets how many blocks the ward has. New ones are "Khối N"; a block may go only while
 * nothing refers to it (no onboarding, activity, population, account or target).
 */
export async function setBlockCount(db: DB, wardId: number, count: number): Promise<void> {
  if (!Number.isInteger(count) || count < 1 || count > 200) throw new CatalogError("Số khối phải là số nguyên từ 1 đến 200.");
  await db.transaction().execute(async (trx) => {
    const blocks = await trx.selectFrom("block").select(["id", "number", "name"]).where("ward_id", "=", wardId).orderBy("number").execute();
    const highest = blocks.reduce((n, b) => Math.max(n, b.number), 0);
    for (let n = highest + 1; blocks.length + (n - highest) <= count; n++) {
      await trx.insertInto("block").values({ ward_id: wardId, number: n, name: `Khối ${n}` }).execute();
    }
    const extra = blocks.slice(count);
    for (const b of extra.reverse()) {
      for (const table of ["onboarding_record", "activity", "block_population", "app_user", "target", "metric_resident"] as const) {
        const used = await trx.selectFrom(table).select("block_id").where("block_id", "=", b.id).limit(1).executeTakeFirst();
        if (used) throw new CatalogError(`Không bớt được ${b.name}: khối đã có dữ liệu hoặc tài khoản.`);
      }
      await trx.deleteFrom("block").where("id", "=", b.id).execute();
    }
  });
}

export interface PopulationEntry {
  id: number;
  blockId: number;
  effectiveDate: string;
  population: number;
}

export async function listPopulation(db: DB, wardId: number): Promise<PopulationEntry[]> {
  const rows = await db
    .selectFrom("block_population")
    .innerJoin("block", "block.id", "block_population.block_id")
    .select(["block_population.id", "block_population.block_id", "block_population.effective_date", "block_population.population"])
    .where("block.ward_id", "=", wardId)
    .orderBy("block.number")
    .orderBy("block_population.effective_date", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, blockId: r.block_id, effectiveDate: r.effective_date, population: r.population }));
}
