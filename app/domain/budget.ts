// The budget estimate's workflow (plan section II.3) and its money rules, without I/O:
// the health station proposes, the finance officer reviews (returns or forwards), the
// ward's vice chair approves or returns. Money is whole đồng, integer arithmetic only.
import { can, type Permission, type Role } from "./permissions";

export const ESTIMATE_STATUSES = ["draft", "submitted", "reviewed", "returned", "approved"] as const;
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number];

export const ESTIMATE_STATUS_LABELS: Record<EstimateStatus, string> = {
  draft: "Đang soạn",
  submitted: "Đã gửi, chờ thẩm định",
  reviewed: "Đã thẩm định, chờ phê duyệt",
  returned: "Bị trả lại để sửa",
  approved: "Đã phê duyệt",
};

export const ESTIMATE_KIND_LABELS = { original: "Dự toán", supplementary: "Dự toán bổ sung" } as const;
export type EstimateKind = keyof typeof ESTIMATE_KIND_LABELS;

export type EstimateAction = "submit" | "forward" | "return_review" | "approve" | "return_approval";

interface Transition {
  from: readonly EstimateStatus[];
  to: EstimateStatus;
  permission: Permission;
  /** What the history shows. */
  label: string;
}

/** Every step the workflow allows: from which states, to which, by whom. */
export const TRANSITIONS: Record<EstimateAction, Transition> = {
  submit: { from: ["draft", "returned"], to: "submitted", permission: "budget:propose", label: "Gửi thẩm định" },
  forward: { from: ["submitted"], to: "reviewed", permission: "budget:review", label: "Thẩm định xong, trình phê duyệt" },
  return_review: { from: ["submitted"], to: "returned", permission: "budget:review", label: "Trả lại (thẩm định)" },
  approve: { from: ["reviewed"], to: "approved", permission: "budget:approve", label: "Phê duyệt" },
  return_approval: { from: ["reviewed"], to: "returned", permission: "budget:approve", label: "Trả lại (phê duyệt)" },
};

export const isEstimateAction = (v: unknown): v is EstimateAction => typeof v === "string" && v in TRANSITIONS;

/** History entries that are not a transition. */
export const HISTORY_LABELS: Record<string, string> = {
  create: "Lập dự toán",
  line_comment: "Ý kiến về dòng",
  comment: "Ý kiến",
  // Decisions written before the workflow had a reviewed state (demo data of stop 6).
  recommend: "Thẩm định xong, trình phê duyệt",
  return: "Trả lại",
  ...Object.fromEntries(Object.entries(TRANSITIONS).map(([k, t]) => [k, t.label])),
};

export type WorkflowRefusal = { ok: false; reason: string };

/** Whether `role` may take `action` on an estimate in `status`, with a Vietnamese reason when not. */
export function checkTransition(role: Role, status: EstimateStatus, action: EstimateAction): { ok: true; to: EstimateStatus } | WorkflowRefusal {
  const t = TRANSITIONS[action];
  if (!can(role, t.permission)) return { ok: false, reason: `Vai trò của bạn không được thực hiện bước "${t.label}".` };
  if (!t.from.includes(status)) {
    return { ok: false, reason: `Không thể "${t.label}" khi dự toán đang ở trạng thái "${ESTIMATE_STATUS_LABELS[status]}".` };
  }
  return { ok: true, to: t.to };
}

/** The actions `role` may take now, in the order the page offers them. */
export const availableActions = (role: Role, status: EstimateStatus): EstimateAction[] =>
  (Object.keys(TRANSITIONS) as EstimateAction[]).filter((a) => checkTransition(role, status, a).ok);

/** Only a draft or a returned estimate changes; submitted ones wait, approved ones are locked. */
export const isEditable = (status: EstimateStatus) => status === "draft" || status === "returned";

export function checkEdit(role: Role, status: EstimateStatus): { ok: true } | WorkflowRefusal {
  if (!can(role, "budget:propose")) return { ok: false, reason: "Chỉ Trạm Y tế lập và sửa dự toán." };
  if (status === "approved") return { ok: false, reason: "Dự toán đã phê duyệt đã khóa, không sửa được. Hãy lập dự toán bổ sung." };
  if (!isEditable(status)) return { ok: false, reason: `Dự toán đang ở trạng thái "${ESTIMATE_STATUS_LABELS[status]}", không sửa được.` };
  return { ok: true };
}

/** A line's amount: quantity × unit price, refused when it would not be an exact integer. */
export function lineAmount(quantity: number, unitPrice: number): number {
  const amount = quantity * unitPrice;
  if (!Number.isSafeInteger(quantity) || !Number.isSafeInteger(unitPrice) || !Number.isSafeInteger(amount)) {
    throw new RangeError("Số tiền vượt quá giới hạn tính chính xác.");
  }
  return amount;
}

/** Sum of whole đồng, refused if it leaves the exact-integer range. */
export function sumDong(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) throw new RangeError("Tổng tiền vượt quá giới hạn tính chính xác.");
  }
  return total;
}

/**
 * Whole đồng typed by a person or read from a cell: digits with "." / "," / space
 * grouping by thousands ("15.800.000", "15,800,000", "15 800 000"), an optional "đ"/"VND".
 * A decimal part (other than zeros) is refused: money is whole đồng. Null when unreadable.
 */
export function parseDong(raw: unknown): number | null {
  if (typeof raw === "number") return Number.isSafeInteger(raw) && raw >= 0 ? raw : null;
  if (typeof raw !== "string") return null;
  const text = raw.trim().replace(/\s*(đ|đồng|vnd|vnđ)\.?$/i, "").trim();
  if (/^\d+$/.test(text)) return safe(Number(text));
  const grouped = /^(\d{1,3})((?:[., \u00a0]\d{3})+)$/.exec(text);
  if (grouped) {
    const separators = new Set(grouped[2].match(/[., \u00a0]/g));
    if (separators.size === 1) return safe(Number(text.replace(/[., \u00a0]/g, "")));
  }
  return null;
}

const safe = (n: number) => (Number.isSafeInteger(n) ? n : null);

/** A positive whole quantity ("2", "12", or a cell holding 2). */
export function parseQuantity(raw: unknown): number | null {
  if (typeof raw === "number") return Number.isSafeInteger(raw) && raw > 0 ? raw : null;
  if (typeof raw !== "string" || !/^\s*\d+\s*$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** How far a new expenditure takes a line past what was approved; 0 when it stays within. */
export function overspendBy(approved: number, spentBefore: number, amount: number): number {
  return Math.max(0, spentBefore + amount - approved);
}

/** Spent / approved, null when nothing was approved. */
export const executionRate = (spent: number, approved: number): number | null => (approved > 0 ? spent / approved : null);

/**
 * The line a line descends from through supplements: spending recorded against an
 * earlier version's line counts for the line carried from it.
 */
export function rootLineOf(lineId: number, sourceOf: ReadonlyMap<number, number | null>): number {
  let id = lineId;
  const seen = new Set<number>();
  for (let next = sourceOf.get(id); next != null && !seen.has(next); next = sourceOf.get(id)) {
    seen.add(id);
    id = next;
  }
  return id;
}

const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
/** The group numbering of an official estimate: I, II, III… */
export const romanNumeral = (n: number) => ROMAN[n - 1] ?? String(n);
