// Derived tables (roll-ups) kept current inside the import transaction, so the figures
// change the moment an import commits and no dashboard request scans raw visits.
// The import pipeline calls updateDerived with the keys a file touched.
import type { Transaction } from "kysely";
import type { Database } from "../../../db/schema";

export interface DerivedChange {
  /** Records (facility, MA_LK) whose visit, receipts or display confirmations changed. */
  records: Array<{ facilityId: number; maLk: string }>;
  /** Residents (personal-ID hashes) whose onboarding records changed. */
  residents: string[];
}

export async function updateDerived(_trx: Transaction<Database>, _change: DerivedChange): Promise<void> {
  // Implemented with the indicator engine (issue 4).
}
