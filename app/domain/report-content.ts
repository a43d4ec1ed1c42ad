// What a report says: the frame and every figure, as one JSON object. A draft's is built
// live from the indicator engine; a submitted report's is frozen in report.figures_json,
// and both the .xlsx and the print page are drawn from it, so they never disagree.
import type { I6Figures, MetricsJson, TargetState, TargetStatus, WorkItemKind } from "./metrics-types";
import type { OfficialFrame } from "./official-document";
import type { ReportKind } from "./reports";

/** A figure against its target: "none" when no target applies (Không có chỉ tiêu). */
export interface TargetMark {
  status: TargetState | "none";
  threshold: number | null;
  kind: "rate" | "count" | null;
}

export const TARGET_MARK_LABELS: Record<TargetMark["status"], string> = {
  met: "Đạt",
  not_met: "Chưa đạt",
  no_data: "Chưa có số liệu",
  none: "Không có chỉ tiêu",
};

/** One of I1–I3 for a facility or the ward: the whole, the part, the rate. */
export interface VisitFigureRow {
  indicator: "i1" | "i2" | "i3";
  label: string;
  whole: number; // I1 total, I2 ended, I3 records with an accepted receipt
  part: number; // I1 identified, I2 sent, I3 on time
  rate: number | null;
  target: TargetMark;
}

export interface OnboardingRowFigures {
  label: string; // "Khối 3" or "Toàn phường"
  eligible: number | null;
  vneidInstalled: number;
  level2Activated: number;
  bhytLinked: number;
  fullyOnboarded: number;
  rate: number | null; // fully onboarded / eligible
  newFullyOnboarded: number; // new in the period
  target: TargetMark;
}

export interface R1Content {
  metrics: MetricsJson; // the ward's figures, exactly the engine's
  i5: { byType: Array<{ label: string; count: number }>; byUnit: Array<{ label: string; count: number }>; total: number; reach: number };
  facilities: Array<{ code: string; name: string; rows: VisitFigureRow[] }>;
  ward: VisitFigureRow[];
  blocks: OnboardingRowFigures[];
  wardOnboarding: OnboardingRowFigures;
  targets: TargetStatus[]; // every target that applies to the period (ward and blocks)
  i6: I6Figures; // the year to date (1 January to the period's last day)
  i6Period: { from: string; to: string };
}

/** Visits and sent to the gateway, with and without a valid insurance card. */
export interface R2Counts {
  insuredVisits: number;
  insuredSent: number;
  uninsuredVisits: number;
  uninsuredSent: number;
}

export interface R2Content {
  facilities: Array<{
    code: string;
    name: string;
    rows: Array<{ key: string; label: string } & R2Counts>;
    total: R2Counts;
  }>;
  total: R2Counts;
}

export interface R4Row {
  kind: WorkItemKind;
  facilityCode: string;
  facilityName: string;
  maLk: string;
  endedAt: number | null;
  receivedAt: number | null;
  rejectCode: string | null;
  rejectMessage: string | null;
  hoursWaiting: number;
}

export interface R4Content {
  rows: R4Row[];
  counts: Record<WorkItemKind, number>;
}

export interface ReportContent {
  kind: ReportKind;
  period: { key: string; label: string; from: string; to: string };
  asOf: number;
  facility: string | null; // a facility filter (command line only)
  frame: OfficialFrame;
  difficulties: string;
  proposals: string;
  r1?: R1Content;
  r2?: R2Content;
  r4?: R4Content;
}

export const sumCounts = (rows: R2Counts[]): R2Counts =>
  rows.reduce(
    (t, r) => ({
      insuredVisits: t.insuredVisits + r.insuredVisits,
      insuredSent: t.insuredSent + r.insuredSent,
      uninsuredVisits: t.uninsuredVisits + r.uninsuredVisits,
      uninsuredSent: t.uninsuredSent + r.uninsuredSent,
    }),
    { insuredVisits: 0, insuredSent: 0, uninsuredVisits: 0, uninsuredSent: 0 },
  );

/** Each facility's I1–I3 rows, then the ward's (left out when the report is for one facility). */
export function visitGroups(c: Pick<ReportContent, "facility">, r: R1Content): Array<{ title: string; rows: VisitFigureRow[] }> {
  const facilities = r.facilities.map((f) => ({ title: `${f.name} (${f.code})`, rows: f.rows }));
  return c.facility ? facilities : [...facilities, { title: "Toàn phường", rows: r.ward }];
}
