// Kysely types for every table. Timestamps are UTC epoch seconds (INTEGER);
// local calendar days (Asia/Ho_Chi_Minh) are 'yyyy-MM-dd' TEXT, which sorts and compares
// the same way in SQLite and PostgreSQL. Money is whole đồng (INTEGER).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Id = Generated<number>;

export interface WardTable {
  id: Id;
  code: string; // administrative code (mã đơn vị hành chính), 5 digits
  name: string; // e.g. "Phường Bến Thủy"
  place_name: string; // used in "<Place>, ngày … tháng … năm …"
  created_at: number;
}

export interface BlockTable {
  id: Id;
  ward_id: number;
  number: number; // 1…9
  name: string; // "Khối 1" — renameable
}

export interface BlockPopulationTable {
  id: Id;
  block_id: number;
  effective_date: string; // first day the figure holds
  population: number;
  batch_id: number | null;
}

export interface FacilityTable {
  id: Id;
  ward_id: number;
  code: string; // MA_CSKCB, 5 characters, unique nationally
  name: string;
  kind: string; // 'tram_y_te' | 'phong_kham' | 'khac'
}

export interface VisitTable {
  id: Id;
  facility_id: number;
  ma_lk: string;
  checkin_at: number; // NGAY_VAO
  ended_at: number | null; // NGAY_RA; null while the visit is open
  pid_hash: string | null; // HMAC of a valid 12-digit personal ID
  pid_last4: string | null;
  card_hash: string | null; // HMAC of the last 10 digits of a valid insurance card
  card_last4: string | null;
  declared_method: string | null; // the source's method column, as given
  method: string; // effective method: the_can_cuoc | so_dinh_danh | the_bhyt | khong
  patient_key: string | null; // 'P:'+pid_hash, else 'C:'+card_hash, else null
  visit_type: string; // MA_LOAI_KCB "01"…"16"
  subject_code: string | null; // MA_DOITUONG_KCB
  source: string; // 'xml1' | 'checkin' | 'csv' | 'api'
  fingerprint: string; // hash of the stored fields, to tell updated from unchanged
  batch_id: number | null;
  updated_at: number;
}

export interface GatewayReceiptTable {
  id: Id;
  facility_id: number;
  ma_lk: string;
  transaction_id: string | null;
  received_at: number;
  result_code: string;
  accepted: number; // 1 when result_code = '200'
  message: string | null;
  identity: string; // transaction id, else facility|ma_lk|time|result
  batch_id: number | null;
}

export interface DisplayConfirmationTable {
  id: Id;
  facility_id: number;
  ma_lk: string;
  displayed_at: number;
  source: string; // 'bhxh' | 'kiem_tra'
  batch_id: number | null;
}

export interface OnboardingRecordTable {
  id: Id; // import order: a later id was imported later
  block_id: number;
  pid_hash: string;
  pid_last4: string;
  vneid_installed_on: string | null;
  level2_activated_on: string | null;
  bhyt_linked_on: string | null;
  support_unit: string | null; // cong_an | ban_can_su_khoi | tram_y_te | khac
  identity: string; // hash of the row's content, for idempotent re-imports
  batch_id: number | null;
}

export interface ActivityTable {
  id: Id;
  ward_id: number;
  block_id: number | null;
  date: string;
  type: string; // hoi_nghi | bai_viet | loa_fm | mang_xa_hoi | tap_huan | khac
  unit: string; // tram_y_te | cong_an | van_hoa_xa_hoi | tai_chinh_ke_toan | ban_can_su_khoi | ubnd
  content: string;
  participants: number | null;
  batch_id: number | null;
  created_by: number | null; // entered on the form (0010)
  updated_at: number | null;
}

export interface BudgetEstimateTable {
  id: Id;
  ward_id: number;
  year: number;
  version: number;
  title: string;
  status: string; // draft | submitted | approved | returned
  replaces_id: number | null;
  created_by: number | null;
  created_at: number;
  submitted_at: number | null;
  approved_by: number | null;
  approved_at: number | null;
  kind: Generated<string>; // original | supplementary (0009)
  reviewed_by: number | null;
  reviewed_at: number | null;
  /** The R3 as approved: the exact .xlsx bytes and the figures, stored at approval. */
  frozen_at: number | null;
  frozen_figures_json: string | null;
  frozen_xlsx: Uint8Array | null;
}

export interface BudgetLineTable {
  id: Id;
  estimate_id: number;
  category: string; // thiet_bi | internet | nhan_su | truyen_thong | tap_huan | khac
  position: number;
  content: string;
  unit: string;
  quantity: number;
  unit_price: number;
  amount: number;
  basis: string | null;
  source_line_id: number | null; // the line of the version it was carried from (0009)
}

export interface BudgetReviewTable {
  id: Id;
  estimate_id: number;
  reviewer_id: number | null;
  decision: string; // the workflow step (submit | forward | return | approve) or a comment; see budget-workflow.ts
  comment: string | null;
  created_at: number;
  line_id: number | null; // a comment on one line (0009)
}

export interface ExpenditureTable {
  id: Id;
  ward_id: number;
  budget_line_id: number | null;
  date: string;
  amount: number;
  content: string;
  document_ref: string | null;
  created_by: number | null;
  created_at: number;
}

export interface TargetTable {
  id: Id;
  ward_id: number;
  indicator: string; // e.g. 'i1.rate', 'i3.rate', 'i4.fullyOnboarded.rate'
  block_id: number | null; // null = the whole ward
  period: string; // a period string as METRICS.md writes it: '2026', '2026-Q1', …
  threshold: number; // a fraction for rates, a count otherwise
}

export interface PlanTaskTable {
  id: Id;
  ward_id: number;
  phase: number; // 1 | 2
  title: string;
  responsible_unit: string;
  due_date: string | null;
  status: string; // todo | doing | done
  done_on: string | null;
  note: string | null;
  units: string | null; // every responsible unit, comma-separated (0010); responsible_unit is the first
  evidence_url: string | null;
  section: string | null; // the plan's section, e.g. "II.2"
  updated_at: number | null;
  updated_by: number | null;
}

export interface InfrastructureItemTable {
  id: Id;
  ward_id: number;
  facility_id: number | null;
  category: string; // may_tinh | may_in | may_quet | internet | nhan_su | khac
  item: string;
  status: string; // dat | chua_dat | dang_trien_khai
  note: string | null;
  checked_on: string | null;
  checked_by: number | null;
}

export interface ReportTable {
  id: Id;
  ward_id: number;
  kind: string; // R1 | R2 | R3 | R4
  period: string;
  number: number | null; // "Số: n/BC-UBND", given on submission
  status: string; // draft | reviewed | submitted
  version: number;
  replaces_id: number | null;
  as_of: number | null;
  figures_json: string | null;
  xlsx: Uint8Array | null;
  difficulties: string | null;
  proposals: string | null;
  created_by: number | null;
  created_at: number;
  reviewed_by: number | null;
  reviewed_at: number | null;
  submitted_by: number | null;
  submitted_at: number | null;
  xlsx_sha256: string | null; // of the frozen bytes (0008)
  updated_at: number | null; // a draft's texts last saved (0008)
}

/** The last number given to a report of this symbol in this year (0008). */
export interface ReportSequenceTable {
  ward_id: number;
  year: number;
  symbol: string; // "BC-UBND"
  last_number: number;
}

export interface UserTable {
  id: Id;
  ward_id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: string; // see app/domain/roles.ts
  block_id: number | null; // block committees only
  disabled: number;
  created_at: number;
  password_changed_at: number;
  last_login_at: number | null;
  must_change_password: Generated<number>; // 1: a generated password, to change at the next sign-in (0011)
  totp_secret: string | null; // the TOTP second factor's secret, encrypted (0011)
  totp_last_step: number | null; // the last time step accepted: a code is never taken twice
}

/** Failed sign-ins per key (account, address, account from an address) in a fixed window (0011). */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: number;
}

export interface SessionTable {
  id: string; // random 32 bytes, base64url
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Id;
  ward_id: number;
  name: string;
  token_hash: string;
  prefix: string; // first characters, shown in the UI to recognise a token
  facility_id: number | null; // scope: one facility …
  source: string | null; // … or one source kind (onboarding, population, activities)
  created_by: number | null;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
  scope: Generated<string>; // push | read (0011)
  expires_at: number | null; // epoch seconds; null = never (0011)
}

export interface ImportBatchTable {
  id: Id;
  ward_id: number;
  user_id: number | null;
  token_id: number | null;
  channel: string; // upload | cli | api
  file_name: string;
  content_hash: string; // SHA-256 of the file's bytes
  kind: string | null; // source kind recognised from content
  status: string; // previewed | committed | refused | duplicate | unchanged
  new_rows: number;
  updated_rows: number;
  unchanged_rows: number;
  invalid_rows: number;
  errors_json: string | null;
  created_at: number;
  committed_at: number | null;
  /** The pipeline run (one upload) that wrote it; null before migration 0013. */
  upload_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SettingTable {
  ward_id: number;
  key: string;
  value: string; // JSON
}

export interface AuditLogTable {
  id: Id;
  at: number;
  ward_id: number | null;
  user_id: number | null;
  username: string | null;
  action: string; // login | login_failed | logout | view | import | export | approve | submit | …
  target: string | null;
  detail: string | null; // JSON, never a personal identifier
  ip: string | null;
  // 0012: the chain (app/server/audit.server.ts). seq is set on every entry; an entry
  // older than 0012 has no hash.
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  covers_through: number | null; // a checkpoint: entries up to this seq may be removed
}

/** 0012: the head of the audit chain, one row (id 1). */
export interface AuditChainTable {
  id: number;
  seq: number;
  hash: string;
  legacy_through: number; // entries up to this seq predate the chain
}

// ---- Roll-ups of the indicator engine (0002; app/server/metrics/derived.server.ts) ----

export interface MetricRecordTable {
  facility_id: number;
  ma_lk: string;
  checkin_day: string | null;
  method: string | null;
  patient_key: string | null;
  ended_at: number | null;
  end_day: string | null;
  receipts: string; // JSON [[received_at, code, accepted]…] up to the first accepted
  first_receipt_at: number | null; // 0014
  accepted_at: number | null;
  accepted_day: string | null;
  displayed_at: number | null;
  send_minute: number | null;
  display_minute: number | null;
}

export interface MetricCheckinDayTable {
  facility_id: number;
  day: string;
  method: string;
  identified: number;
  n: number;
}

interface MetricSpanColumns {
  facility_id: number;
  state: string;
  code: string;
  from_day: string; // 0015; months before
  until_day: string;
  n: number;
}
export interface MetricSendingSpanTable extends MetricSpanColumns {
  end_day: string;
}
export interface MetricDisplaySpanTable extends MetricSpanColumns {
  accepted_day: string;
}

type SecondOfMinute = `${0 | 1 | 2 | 3 | 4 | 5}${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`;
/** Level-m rows: their durations per second of the minute (0003). */
export type SecondCounts = { [K in `s${SecondOfMinute}`]: number };

export interface MetricHoursTable extends SecondCounts {
  kind: string; // send | display
  grain: string; // m | d
  level: string; // D (bucket = day) | h (hour) | m (minute)
  slot: string;
  facility_id: number;
  event_month: string;
  bucket: number;
  n: number;
}

export interface MetricPatientMonthTable {
  ward_id: number;
  facility_id: number; // 0 = the whole ward
  patient_key: string;
  month: string;
  n: number;
}

export interface MetricPatientLinkTable {
  ward_id: number;
  facility_id: number;
  month: string;
  previous_month: string;
  n: number;
}

export interface MetricResidentTable {
  ward_id: number;
  pid_hash: string;
  block_id: number | null;
  moved: number;
  vneid_on: string | null;
  level2_on: string | null;
  bhyt_on: string | null;
  full_on: string | null;
}

export interface Database {
  ward: WardTable;
  block: BlockTable;
  block_population: BlockPopulationTable;
  facility: FacilityTable;
  visit: VisitTable;
  gateway_receipt: GatewayReceiptTable;
  display_confirmation: DisplayConfirmationTable;
  onboarding_record: OnboardingRecordTable;
  activity: ActivityTable;
  budget_estimate: BudgetEstimateTable;
  budget_line: BudgetLineTable;
  budget_review: BudgetReviewTable;
  expenditure: ExpenditureTable;
  target: TargetTable;
  plan_task: PlanTaskTable;
  infrastructure_item: InfrastructureItemTable;
  report: ReportTable;
  report_sequence: ReportSequenceTable;
  app_user: UserTable;
  login_throttle: LoginThrottleTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  import_batch: ImportBatchTable;
  setting: SettingTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  metric_record: MetricRecordTable;
  metric_checkin_day: MetricCheckinDayTable;
  metric_sending_span: MetricSendingSpanTable;
  metric_display_span: MetricDisplaySpanTable;
  metric_hours: MetricHoursTable;
  metric_patient_month: MetricPatientMonthTable;
  metric_patient_link: MetricPatientLinkTable;
  metric_resident: MetricResidentTable;
}

export type Visit = Selectable<VisitTable>;
export type NewVisit = Insertable<VisitTable>;
export type VisitUpdate = Updateable<VisitTable>;
export type User = Selectable<UserTable>;
export type ImportBatch = Selectable<ImportBatchTable>;
export type Blob = ColumnType<Uint8Array, Uint8Array, Uint8Array>;
