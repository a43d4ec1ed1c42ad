// What an engine must answer from the visit-sized tables; the rest (blocks, activities,
// budget) is read the same way by both (ward-figures.server.ts).
import type {
  FacilityRow, I1Figures, I2Figures, I3Figures, OverdueRecord, Page, TrendPoint, WorkItem,
} from "~/domain/metrics-types";
import type { Period } from "~/domain/periods";
import type { DB } from "../db.server";
import type { Scope } from "./scope.server";
import type { BlockSteps } from "./ward-figures.server";

export interface VisitFigures {
  i1: I1Figures;
  i2: I2Figures;
  i3: I3Figures;
}

export type TrendCounts = Pick<TrendPoint, "i1" | "i2" | "i3" | "i4">;
export type FacilityCounts = Omit<FacilityRow, "facilityCode" | "facilityName">;
export interface PageRequest {
  limit: number;
  offset: number;
}

export interface MetricsSource {
  /** I1–I3 over the scope's facilities. */
  visitFigures(db: DB, s: Scope): Promise<VisitFigures>;
  /** Records of the whole ward whose first accepted receipt (≤ as-of) is in the period (I6). */
  newlySent(db: DB, s: Scope): Promise<number>;
  /** I4 counts per block id, for every block of the ward. */
  residentCounts(db: DB, s: Scope): Promise<Map<number, BlockSteps>>;
  /** Per bucket (sub-periods of the scope's period), at the scope's as-of time: I1–I3 counts, I4 new completions. */
  trendCounts(db: DB, s: Scope, buckets: Period[]): Promise<TrendCounts[]>;
  /** I1–I3 counts per facility id of the scope. */
  facilityCounts(db: DB, s: Scope): Promise<Map<number, FacilityCounts>>;
  /** I3's overdue records, oldest receipt first. */
  overdue(db: DB, s: Scope, page: PageRequest): Promise<Page<OverdueRecord>>;
  /** R4: not sent, rejected, overdue — longest waiting first. */
  workList(db: DB, s: Scope, page: PageRequest): Promise<Page<WorkItem>>;
}
