// Personal IDs and insurance card numbers, validated exactly as FORMATS.md says.
import { personalIdLengthHint } from "./import-messages";

/** Province codes that open a 12-digit personal ID (Circular 07/2016/TT-BCA, 59/2021/TT-BCA). */
export const PROVINCE_CODES = new Set([
  "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
  "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
  "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
  "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
  "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
]);

export type PersonalIdCheck =
  | { valid: true; value: string; warnings: string[] }
  | { valid: false; reason: string };

/**
 * Exactly 12 digits. An unknown province code or an impossible century digit is a
 * warning, not an error; there is no public check digit, so none is invented.
 */
export function checkPersonalId(raw: unknown): PersonalIdCheck {
  const value = typeof raw === "string" ? raw.trim() : typeof raw === "number" ? String(raw) : "";
  if (!value) return { valid: false, reason: "Thiếu số định danh cá nhân" };
  if (!/^\d{12}$/.test(value)) return { valid: false, reason: `Số định danh cá nhân phải gồm đúng 12 chữ số (nhận được ${value.length} ký tự)${personalIdLengthHint(value)}` };
  const warnings: string[] = [];
  if (!PROVINCE_CODES.has(value.slice(0, 3))) warnings.push(`Mã tỉnh ${value.slice(0, 3)} không có trong danh mục`);
  // 4th digit: sex and century of birth. 0–3 cover births 1900–2099; 4–9 (2100 onward) cannot exist yet.
  if (Number(value[3]) > 3) warnings.push(`Chữ số thế kỷ ${value[3]} không thể có`);
  return { valid: true, value, warnings };
}

export const isValidPersonalId = (raw: unknown) => checkPersonalId(raw).valid;

const CARD = /^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$/;
const SOCIAL_NUMBER = /^[0-9]{10}$/;

export type CardCheck =
  | { valid: true; value: string; socialNumber: string }
  | { valid: false; reason: string };

/**
 * A 15-character card number, or a bare 10-digit social-insurance number. In a
 * ';'-separated list (card changed during the visit) the first valid code counts.
 * `socialNumber` (the last 10 digits) is what two card numbers are matched on.
 */
export function checkInsuranceCard(raw: unknown): CardCheck {
  const text = typeof raw === "string" ? raw : typeof raw === "number" ? String(raw) : "";
  const parts = text.split(";").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return { valid: false, reason: "Thiếu số thẻ BHYT" };
  for (const part of parts) {
    if (CARD.test(part) || SOCIAL_NUMBER.test(part)) return { valid: true, value: part, socialNumber: part.slice(-10) };
  }
  // FORMATS.md's pattern is upper case, taken to the letter: a lower-case card is not
  // guessed valid, but the reason says what to fix.
  if (parts.some((p) => CARD.test(p.toUpperCase()))) {
    return { valid: false, reason: "Số thẻ BHYT phải viết chữ in hoa (ví dụ DN4380123456789)" };
  }
  return { valid: false, reason: `Số thẻ BHYT không hợp lệ: phải gồm 2 chữ cái, mức hưởng 1–5, 2 chữ số tỉnh và 10 chữ số (hoặc 10 chữ số mã số BHXH)` };
}

export const RECEPTION_METHODS = ["the_can_cuoc", "so_dinh_danh", "the_bhyt", "khong"] as const;
export type ReceptionMethod = (typeof RECEPTION_METHODS)[number];
const EXPLICIT_METHODS: ReadonlySet<string> = new Set(["the_can_cuoc", "so_dinh_danh", "the_bhyt"]);

/**
 * METRICS.md I1: the explicit method column where the source has one; otherwise
 * so_dinh_danh for a valid personal ID, else the_bhyt for a valid card, else khong.
 * No valid identifier means khong whatever the column says.
 */
export function receptionMethod(declared: ReceptionMethod | null, hasValidPersonalId: boolean, hasValidCard: boolean): ReceptionMethod {
  if (!hasValidPersonalId && !hasValidCard) return "khong";
  if (declared && EXPLICIT_METHODS.has(declared)) return declared;
  return hasValidPersonalId ? "so_dinh_danh" : "the_bhyt";
}

/** Keep at most the last 4 characters of an identifier for display. */
export const lastFour = (value: string) => value.slice(-4);
