// Report numbers run per year and symbol ("Số: 07/BC-UBND"). Submitting takes the next
// one (reports.server.ts); the administrator may set the last number used, e.g. to carry
// on from the ward's paper register.
import type { DB } from "../db.server";

export interface Sequence {
  year: number;
  symbol: string;
  lastNumber: number;
}

export async function listSequences(db: DB, wardId: number): Promise<Sequence[]> {
  const rows = await db
    .selectFrom("report_sequence")
    .select(["year", "symbol", "last_number"])
    .where("ward_id", "=", wardId)
    .orderBy("year", "desc")
    .orderBy("symbol")
    .execute();
  return rows.map((r) => ({ year: r.year, symbol: r.symbol, lastNumber: r.last_number }));
}

export async function setSequence(db: DB, wardId: number, s: Sequence): Promise<void> {
  await db
    .insertInto("report_sequence")
    .values({ ward_id: wardId, year: s.year, symbol: s.symbol, last_number: s.lastNumber })
    .onConflict((oc) => oc.columns(["ward_id", "year", "symbol"]).doUpdateSet({ last_number: s.lastNumber }))
    .execute();
}

/** The highest number already given to a submitted report of this year and symbol. */
export async function highestUsed(db: DB, wardId: number, year: number, symbol: string): Promise<number> {
  const rows = await db
    .selectFrom("report")
    .select(["number", "figures_json", "submitted_at"])
    .where("ward_id", "=", wardId)
    .where("status", "=", "submitted")
    .where("number", "is not", null)
    .execute();
  let max = 0;
  for (const r of rows) {
    const frame = r.figures_json ? (JSON.parse(r.figures_json) as { frame?: { symbol?: string; day?: string } }).frame : undefined;
    if (frame?.symbol === symbol && frame.day?.startsWith(`${year}-`)) max = Math.max(max, r.number ?? 0);
  }
  return max;
}
