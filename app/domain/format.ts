// Vietnamese formatting: 1.234 · 87,5 % · 12.500.000 đ · 31/03/2026.
import { localParts, splitDay } from "./time";

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");

export function formatNumber(n: number | null | undefined, decimals = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  const fixed = Math.abs(n).toFixed(decimals);
  const [int, frac] = fixed.split(".");
  const sign = n < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + group(int) + (frac ? "," + frac : "");
}

/** A fraction (0…1) as a percent with one decimal; null (zero denominator) is "—". */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "—";
  return `${formatNumber(rate * 100, 1)} %`;
}

export const formatMoney = (dong: number | null | undefined) => (dong === null || dong === undefined ? "—" : `${formatNumber(dong)} đ`);

export function formatHours(hours: number | null | undefined): string {
  return hours === null || hours === undefined ? "—" : `${formatNumber(hours, 1)} giờ`;
}

const p2 = (n: number) => String(n).padStart(2, "0");

/** 'yyyy-MM-dd' → 'dd/MM/yyyy' */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "—";
  const [y, m, d] = splitDay(day);
  return `${p2(d)}/${p2(m)}/${y}`;
}

/** An instant in the ward's time: 'dd/MM/yyyy HH:mm' */
export function formatDateTime(epochSeconds: number | null | undefined): string {
  if (epochSeconds === null || epochSeconds === undefined) return "—";
  const t = localParts(epochSeconds);
  return `${p2(t.day)}/${p2(t.month)}/${t.year} ${p2(t.hour)}:${p2(t.minute)}`;
}

/** "<Place>, ngày 05 tháng 03 năm 2026" (Decree 30/2020: day and month below 10 padded). */
export function officialDateLine(place: string, day: string): string {
  const [y, m, d] = splitDay(day);
  return `${place}, ngày ${p2(d)} tháng ${p2(m)} năm ${y}`;
}

const DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
const SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"];

/** Reads a 3-digit group; `full` when a higher group precedes it ("không trăm linh năm"). */
function readTriple(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const words: string[] = [];
  if (h > 0 || full) words.push(DIGITS[h], "trăm");
  if (t > 1) {
    words.push(DIGITS[t], "mươi");
    if (u === 1) words.push("mốt");
    else if (u === 4) words.push("tư");
    else if (u === 5) words.push("lăm");
    else if (u > 0) words.push(DIGITS[u]);
  } else if (t === 1) {
    words.push("mười");
    if (u === 5) words.push("lăm");
    else if (u > 0) words.push(DIGITS[u]);
  } else if (u > 0) {
    if (h > 0 || full) words.push("linh");
    words.push(DIGITS[u]);
  }
  return words.join(" ");
}

/** Whole đồng in words, as on a budget estimate: "Mười hai triệu năm trăm nghìn đồng." */
export function moneyInWords(dong: number): string {
  if (!Number.isSafeInteger(dong)) throw new Error("Money must be a whole number of đồng");
  if (dong === 0) return "Không đồng.";
  const negative = dong < 0;
  let n = Math.abs(dong);
  const groups: number[] = [];
  while (n > 0) {
    groups.push(n % 1000);
    n = Math.floor(n / 1000);
  }
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    if (groups[i] === 0) continue;
    const text = readTriple(groups[i], i < groups.length - 1);
    parts.push(SCALES[i] ? `${text} ${SCALES[i]}` : text);
  }
  const sentence = (negative ? "âm " : "") + parts.join(" ") + " đồng.";
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
