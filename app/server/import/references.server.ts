// What rows refer to: facilities by MA_CSKCB (registered the first time one is seen) and
// the ward's blocks by name ("Khối 3") or number ("3").
import type { Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import { foldKey } from "../../domain/text";
import type { DB } from "../db.server";

type Trx = Transaction<Database>;

/**
 * Facility ids by code for one import. A facility first seen is inserted in the current
 * write scope; `mark`/`rollbackTo` forget the ones a rolled-back scope had inserted.
 */
export class FacilityRegistry {
  private readonly ids = new Map<string, number>();
  private readonly added: string[] = [];

  constructor(private readonly wardId: number) {}

  async idOf(trx: Trx, code: string): Promise<number> {
    const known = this.ids.get(code);
    if (known !== undefined) return known;
    const row = await trx.selectFrom("facility").select("id").where("code", "=", code).executeTakeFirst();
    if (row) {
      this.ids.set(code, row.id);
      return row.id;
    }
    // A facility first seen in a file is registered under its code; an administrator names it later.
    const { id } = await trx
      .insertInto("facility")
      .values({ ward_id: this.wardId, code, name: code, kind: "khac" })
      .returning("id")
      .executeTakeFirstOrThrow();
    this.ids.set(code, id);
    this.added.push(code);
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
