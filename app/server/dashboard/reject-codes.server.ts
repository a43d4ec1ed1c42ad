// What a gateway result code means, in the gateway's own words: the latest message the
// ward's receipts carried with that code. The gateway publishes no code list of its own
// here, so its message is the only meaning we have.
import type { DB } from "../db.server";

export async function rejectCodeMessages(db: DB, wardId: number, codes: readonly string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const code of codes) {
    const row = await db
      .selectFrom("gateway_receipt as g")
      .innerJoin("facility as f", "f.id", "g.facility_id")
      .where("f.ward_id", "=", wardId)
      .where("g.result_code", "=", code)
      .where("g.message", "is not", null)
      .select("g.message")
      .orderBy("g.received_at", "desc")
      .orderBy("g.id", "desc")
      .limit(1)
      .executeTakeFirst();
    out[code] = row?.message ?? null;
  }
  return out;
}
