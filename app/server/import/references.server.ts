// What rows refer to: facilities by MA_CSKCB (the ward's list, FORMATS.md §8) and
// the ward's blocks by name ("Khối 3") or number ("3").
import type { Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import { foldKey } from "../../domain/text";
import type { DB } from "../db.server";

type Trx = Transaction<Database>;

/**
 * The ward's facilities by code for one import. A row may name only a facility of the
 * ward's list (FORMATS.md §8) — unless the administrator turned automatic registration
 * on, when a code first seen is registered under its own code, to be named later.
 * `mark`/`rollbackTo` forget the codes a rolled-back write scope had added.
 */
export class FacilityRegistry {
  private readonly ids = new Map<string, number>();
  private readonly added: string[] = [];

  private constructor(
    private readonly wardId: number,
    /** Register an unknown code instead of refusing its row. */
    readonly autoRegister: boolean,
  ) {}

  static async load(db: DB | Trx, wardId: number, autoRegister: boolean): Promise<FacilityRegistry> {
    const registry = new FacilityRegistry(wardId, autoRegister);
    const rows = await db.selectFrom("facility").select(["id", "code"]).where("ward_id", "=", wardId).execute();
    for (const r of rows) registry.ids.set(r.code, r.id);
    return registry;
  }

  /** Whether a row naming this code may be imported. */
  accepts(code: string): boolean {
    return this.autoRegister || this.ids.has(code);
  }

  /** A facility the list itself has just added (kinds/facilities.server.ts). */
  registered(code: string, id: number) {
    this.ids.set(code, id);
    this.added.push(code);
  }

  async idOf(trx: Trx, code: string): Promise<number> {
    const known = this.ids.get(code);
    if (known !== undefined) return known;
    const row = await trx.selectFrom("facility").select("id").where("code", "=", code).executeTakeFirst();
    if (row) {
      this.ids.set(code, row.id);
      return row.id;
    }
    if (!this.autoRegister) throw new Error(`facility ${code} is not in the ward's list; the row should have been refused`);
    // Automatic registration: the code stands for the name until an administrator names it.
    const { id } = await trx
      .insertInto("facility")
      .values({ ward_id: this.wardId, code, name: code, kind: "khac" })
      .returning("id")
      .executeTakeFirstOrThrow();
    this.registered(code, id);
    return id;
  }

  async idsOf(trx: Trx, codes: Iterable<string>): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const code of codes) result.set(code, await this.idOf(trx, code));
    return result;
  }

  mark(): number {
    return this.added.length;
  }

  rollbackTo(mark: number) {
    for (const code of this.added.splice(mark)) this.ids.delete(code);
  }
}

export interface BlockRef {
  id: number;
  number: number;
  name: string;
}

/** The ward's blocks, matched by number ("3"), name ("Khối 3", any case or accents) or "Khối N". */
export class BlockDirectory {
  private constructor(private readonly blocks: BlockRef[]) {}

  static async load(db: DB | Trx, wardId: number): Promise<BlockDirectory> {
    return new BlockDirectory(await db.selectFrom("block").select(["id", "number", "name"]).where("ward_id", "=", wardId).execute());
  }

  find(value: string): BlockRef | null {
    const folded = foldKey(value);
    if (!folded) return null;
    const byName = this.blocks.find((b) => foldKey(b.name) === folded);
    if (byName) return byName;
    const m = /^(?:khoi)?0*(\d{1,4})$/.exec(folded);
    return m ? (this.blocks.find((b) => b.number === Number(m[1])) ?? null) : null;
  }

  byId(id: number): BlockRef | null {
    return this.blocks.find((b) => b.id === id) ?? null;
  }
}
