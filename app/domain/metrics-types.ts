// The shape of the indicator figures (METRICS.md "Machine-readable form") and of the
// dashboard's extra views. One engine (app/server/metrics/engine.server.ts) produces them;
// the CLI, the HTTP API, the dashboard and the reports all read these types.
// Instants are UTC epoch seconds unless the field says ISO; days are 'yyyy-MM-dd' (local).
import type { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS, METHOD_LABELS } from "./codes";

export type MethodCode = keyof typeof METHOD_LABELS;
export type ActivityTypeCode = keyof typeof ACTIVITY_TYPE_LABELS;
export type ActivityUnitCode = keyof typeof ACTIVITY_UNIT_LABELS;

/** Median and 90th percentile in hours; null when there is nothing to measure. */
export interface HoursSummary {
  median: number | null;
  p90: number | null;
}

export interface I1Figures {
  total: number;
  identified: number;
  rate: number | null;
  distinctPatients: number;
  byMethod: Record<MethodCode, number>;
}

export interface RejectCodeCount {
  code: string;
  count: number;
}

export interface I2Figures {
  ended: number;
  sent: number;
  rejected: number;
  notSent: number;
  rate: number | null;
  /** Codes of the rejected visits' latest receipts, most frequent first (ties: code ascending). */
  rejectCodes: RejectCodeCount[];
  hoursToSend: HoursSummary;
}

export interface I3Figures {
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  rate: number | null;
  hoursToDisplay: HoursSummary;
}

/** Residents who completed each step (cumulative, or new in a period). */
export interface OnboardingSteps {
  vneidInstalled: number;
  level2Activated: number;
  bhytLinked: number;
  fullyOnboarded: number;
}

export type OnboardingStep = keyof OnboardingSteps;
export const ONBOARDING_STEPS: readonly OnboardingStep[] = ["vneidInstalled", "level2Activated", "bhytLinked", "fullyOnboarded"];

export interface OnboardingCounts extends OnboardingSteps {
  /** Eligible population in effect on the I4 day; null where no figure is in effect. */
  eligible: number | null;
}

export interface BlockOnboarding extends OnboardingCounts {
  /** Blocks can be renamed, so code matches rows by id; not in METRICS.md's JSON (see publicMetrics). */
  blockId: number;
  block: string; // the block's name, e.g. "Khối 1"
  newInPeriod: OnboardingSteps;
}

export interface I4Figures {
  /** Day D the cumulative counts are taken at: min(period's last day, as-of day). */
  asOf: string;
  /** eligible = sum of the blocks' non-null figures; null when no block has one. */
  ward: OnboardingCounts;
  blocks: BlockOnboarding[]; // in block number order
}

export interface I5Figures {
  total: number;
  reach: number;
  byType: Record<ActivityTypeCode, number>;
  byUnit: Record<ActivityUnitCode, number>;
}

export interface I6Figures {
  year: number; // the fiscal (calendar) year of the period's first day
  estimated: number;
  approved: number;
  spent: number;
  executionRate: number | null;
  costPerFullyOnboarded: number | null;
  costPerRecordSent: number | null;
}

/** METRICS.md's JSON object, plus each block's id beside its name (publicMetrics gives the exact object). */
export interface MetricsJson {
  period: { from: string; to: string }; // both inclusive
  asOf: string; // ISO 8601 with +07:00
  facility: string | null; // facility code when filtered
  i1: I1Figures;
  i2: I2Figures;
  i3: I3Figures;
  i4: I4Figures;
  i5: I5Figures;
  i6: I6Figures;
}

/** Exactly METRICS.md's JSON object: the figures without the blocks' ids. */
export function publicMetrics<M extends { i4: I4Figures }>(m: M) {
  return { ...m, i4: { ...m.i4, blocks: m.i4.blocks.map(({ blockId: _blockId, ...block }) => block) } };
}

// ---- Dashboard extras -------------------------------------------------------------

/** One bucket of a trend chart. The bucket's figures use the same rules as the period's. */
export interface TrendPoint {
  key: string; // '2026-03' or '2026-W05'
  from: string; // first day of the bucket (clipped to the period)
  to: string; // last day of the bucket, inclusive (clipped to the period)
  i1: { total: number; identified: number; rate: number | null };
  i2: { ended: number; sent: number; rate: number | null };
  i3: { onTime: number; late: number; overdue: number; pending: number; rate: number | null };
  /** New completions of each step whose date falls in the bucket. */
  i4: OnboardingSteps;
}

/** I1/I2/I3 for one facility over the period. */
export interface FacilityRow {
  facilityCode: string;
  facilityName: string;
  i1: { total: number; identified: number; rate: number | null };
  i2: { ended: number; sent: number; rejected: number; notSent: number; rate: number | null };
  i3: { onTime: number; late: number; overdue: number; pending: number; rate: number | null };
}

/** I3's overdue list: no personal identifier. */
export interface OverdueRecord {
  facilityCode: string;
  maLk: string;
  receivedAt: number;
  hoursWaiting: number; // from the first accepted receipt to the as-of time
}

export interface Page<T> {
  total: number;
  rows: T[];
}

/** R4: why a record is on the health station's work list. */
export type WorkItemKind = "not_sent" | "rejected" | "overdue";

export interface WorkItem {
  kind: WorkItemKind;
  facilityCode: string;
  maLk: string;
  endedAt: number | null; // visit end (null for an overdue record whose visit was never imported)
  receivedAt: number | null; // latest receipt for rejected, first accepted for overdue, null for not_sent
  rejectCode: string | null;
  rejectMessage: string | null;
  /** Hours from the visit end (not_sent, rejected) or from the first accepted receipt (overdue) to as-of. */
  hoursWaiting: number;
}

// ---- Targets ----------------------------------------------------------------------

export type TargetState = "met" | "not_met" | "no_data";

/**
 * Figures a target can name (target.indicator). Rates are fractions, counts integers.
 * A target is met when the figure is ≥ its threshold. Block-scoped targets are
 * possible only for I4 and I5 figures.
 */
export const TARGET_INDICATORS = {
  "i1.rate": { label: "Tỷ lệ lượt KCB tiếp nhận bằng định danh", kind: "rate", blockScope: false },
  "i1.identified": { label: "Lượt KCB tiếp nhận bằng định danh", kind: "count", blockScope: false },
  "i1.distinctPatients": { label: "Số người bệnh được tiếp nhận bằng định danh", kind: "count", blockScope: false },
  "i2.rate": { label: "Tỷ lệ hồ sơ đã liên thông lên Cổng giám định BHYT", kind: "rate", blockScope: false },
  "i2.sent": { label: "Hồ sơ đã liên thông lên Cổng giám định BHYT", kind: "count", blockScope: false },
  "i3.rate": { label: "Tỷ lệ hồ sơ hiển thị trên VNeID trong vòng 24 giờ", kind: "rate", blockScope: false },
  "i4.vneidInstalled": { label: "Người dân đã cài đặt VNeID", kind: "count", blockScope: true },
  "i4.vneidInstalled.rate": { label: "Tỷ lệ người dân đã cài đặt VNeID", kind: "rate", blockScope: true },
  "i4.level2Activated": { label: "Người dân đã kích hoạt định danh mức 2", kind: "count", blockScope: true },
  "i4.level2Activated.rate": { label: "Tỷ lệ người dân đã kích hoạt định danh mức 2", kind: "rate", blockScope: true },
  "i4.bhytLinked": { label: "Người dân đã tích hợp thẻ BHYT", kind: "count", blockScope: true },
  "i4.bhytLinked.rate": { label: "Tỷ lệ người dân đã tích hợp thẻ BHYT", kind: "rate", blockScope: true },
  "i4.fullyOnboarded": { label: "Người dân hoàn thành cả 3 bước", kind: "count", blockScope: true },
  "i4.fullyOnboarded.rate": { label: "Tỷ lệ người dân hoàn thành cả 3 bước", kind: "rate", blockScope: true },
  "i5.total": { label: "Hoạt động tuyên truyền, tập huấn", kind: "count", blockScope: true },
  "i5.reach": { label: "Lượt người được tiếp cận", kind: "count", blockScope: true },
  "i6.executionRate": { label: "Tỷ lệ giải ngân kinh phí", kind: "rate", blockScope: false },
} as const satisfies Record<string, { label: string; kind: "rate" | "count"; blockScope: boolean }>;

export type TargetIndicator = keyof typeof TARGET_INDICATORS;

export interface TargetStatus {
  targetId: number;
  indicator: string; // a TargetIndicator; kept a string so an unknown one still shows (as no_data)
  label: string;
  kind: "rate" | "count";
  blockId: number | null;
  block: string | null; // block name for a block target
  period: string; // the target's own period key
  threshold: number;
  value: number | null; // the figure it was compared with; null = no data
  status: TargetState;
}
