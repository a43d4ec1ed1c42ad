// A small ward written row by row into the base tables, the way the import pipeline
// leaves them, then handed to updateDerived like the pipeline does after each file.
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { ensureWard } from "~/server/ward.server";
import { updateDerived } from "~/server/metrics/derived.server";
import { receptionMethod, type ReceptionMethod } from "~/domain/identifiers";
import { localToEpoch } from "~/domain/time";
import { expect } from "vitest";

/** Local (UTC+7) wall-clock time → epoch seconds. */
export const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => localToEpoch(y, mo, d, h, mi, s);

export interface VisitInput {
  facility: number;
  maLk: string;
  checkin: number;
  ended: number | null;
  pid?: string;
  card?: string;
  method: ReceptionMethod; // the source's method column; stored resolved, as the pipeline does (receptionMethod)
}

export class WardFixture {
  private touched = new Map<string, { facilityId: number; maLk: string }>();
  private residents = new Set<string>();
  private seq = 0;

  private constructor(
    readonly db: DB,
    readonly wardId: number,
    readonly blocks: number[], // block ids by number − 1
  ) {}

  static async create(db?: DB): Promise<WardFixture> {
    const d = db ?? (await openMigratedDatabase(":memory:"));
    const ward = await ensureWard(d);
    const blocks = await d.selectFrom("block").select("id").where("ward_id", "=", ward.id).orderBy("number").execute();
    return new WardFixture(d, ward.id, blocks.map((b) => b.id));
  }

  async facility(code: string, name = `Cơ sở ${code}`): Promise<number> {
    const row = await this.db
      .insertInto("facility")
      .values({ ward_id: this.wardId, code, name, kind: "khac" })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  private touch(facilityId: number, maLk: string) {
    this.touched.set(`${facilityId}|${maLk}`, { facilityId, maLk });
  }

  /** Inserts or replaces a visit (re-importing replaces its fields). */
  async visit(v: VisitInput): Promise<void> {
    const values = {
      facility_id: v.facility, ma_lk: v.maLk, checkin_at: v.checkin, ended_at: v.ended,
      pid_hash: v.pid ?? null, pid_last4: v.pid ? v.pid.slice(-4) : null,
      card_hash: v.card ?? null, card_last4: v.card ? v.card.slice(-4) : null,
      // As the pipeline stores it: the source's method as declared, and the one it resolves to.
      declared_method: v.method, method: receptionMethod(v.method, !!v.pid, !!v.card),
      patient_key: v.pid ? `P:${v.pid}` : v.card ? `C:${v.card}` : null,
      visit_type: "01", subject_code: null, source: "csv", fingerprint: `${++this.seq}`, batch_id: null, updated_at: 0,
    };
    await this.db
      .insertInto("visit")
      .values(values)
      .onConflict((oc) => oc.columns(["facility_id", "ma_lk"]).doUpdateSet(values))
      .execute();
    this.touch(v.facility, v.maLk);
  }

  async deleteVisit(facilityId: number, maLk: string): Promise<void> {
    await this.db.deleteFrom("visit").where("facility_id", "=", facilityId).where("ma_lk", "=", maLk).execute();
    this.touch(facilityId, maLk);
  }

  async receipt(facilityId: number, maLk: string, receivedAt: number, code = "200", message: string | null = null): Promise<void> {
    await this.db
      .insertInto("gateway_receipt")
      .values({
        facility_id: facilityId, ma_lk: maLk, transaction_id: null, received_at: receivedAt, result_code: code,
        accepted: code === "200" ? 1 : 0, message: message ?? (code === "200" ? "Thành công" : `Lỗi ${code}`),
        identity: `${facilityId}|${maLk}|${receivedAt}|${code}|${++this.seq}`, batch_id: null,
      })
      .execute();
    this.touch(facilityId, maLk);
  }

  async display(facilityId: number, maLk: string, displayedAt: number, source = "bhxh"): Promise<void> {
    await this.db.insertInto("display_confirmation").values({ facility_id: facilityId, ma_lk: maLk, displayed_at: displayedAt, source, batch_id: null }).execute();
    this.touch(facilityId, maLk);
  }

  async onboarding(blockNumber: number, pid: string, steps: { vneid?: string; level2?: string; bhyt?: string }): Promise<void> {
    await this.db
      .insertInto("onboarding_record")
      .values({
        block_id: this.blocks[blockNumber - 1], pid_hash: pid, pid_last4: pid.slice(-4),
        vneid_installed_on: steps.vneid ?? null, level2_activated_on: steps.level2 ?? null, bhyt_linked_on: steps.bhyt ?? null,
        support_unit: "cong_an", identity: `${pid}|${++this.seq}`, batch_id: null,
      })
      .execute();
    this.residents.add(pid);
  }

  async population(blockNumber: number, effectiveDate: string, population: number): Promise<void> {
    await this.db.insertInto("block_population").values({ block_id: this.blocks[blockNumber - 1], effective_date: effectiveDate, population, batch_id: null }).execute();
  }

  async activity(date: string, type: string, unit: string, participants: number | null, blockNumber: number | null = null): Promise<void> {
    await this.db
      .insertInto("activity")
      .values({
        ward_id: this.wardId, block_id: blockNumber === null ? null : this.blocks[blockNumber - 1], date, type, unit,
        content: "Hoạt động", participants, batch_id: null,
      })
      .execute();
  }

  /** A budget estimate version with its lines' amounts. */
  async estimate(year: number, version: number, status: string, amounts: number[]): Promise<number> {
    const { id } = await this.db
      .insertInto("budget_estimate")
      .values({ ward_id: this.wardId, year, version, title: `Dự toán ${year}`, status, created_at: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [i, amount] of amounts.entries()) {
      await this.db
        .insertInto("budget_line")
        .values({ estimate_id: id, category: "khac", position: i + 1, content: "Dòng", unit: "gói", quantity: 1, unit_price: amount, amount })
        .execute();
    }
    return id;
  }

  async expenditure(date: string, amount: number): Promise<void> {
    await this.db.insertInto("expenditure").values({ ward_id: this.wardId, date, amount, content: "Chi", created_at: 0 }).execute();
  }

  async target(indicator: string, period: string, threshold: number, blockNumber: number | null = null): Promise<void> {
    await this.db
      .insertInto("target")
      .values({ ward_id: this.wardId, indicator, block_id: blockNumber === null ? null : this.blocks[blockNumber - 1], period, threshold })
      .execute();
  }

  /** What the pipeline does when a file's rows are written: refresh the roll-ups for what it touched. */
  async commit(): Promise<void> {
    const change = { records: [...this.touched.values()], residents: [...this.residents] };
    this.touched.clear();
    this.residents.clear();
    await this.db.transaction().execute((trx) => updateDerived(trx, change));
  }
}

/** Deep equality where fractions may differ in the last bits of a double (1e-9). */
export function expectFigures(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "number" && typeof actual === "number" && !Number.isInteger(expected)) {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThan(1e-9);
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(actual, path).toBeTypeOf("object");
    expect(actual, path).not.toBeNull();
    if (Array.isArray(expected)) expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    else expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectFigures((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).toBe(expected);
}
