// Header matching: a header cell names a column by its canonical name or its Vietnamese
// label, ignoring case, spaces, punctuation and diacritics ("Mã lượt KCB" = "ma_lk" =
// "maLK"). The kind of a CSV/XLSX/JSON file is the one whose required columns it has.
import { foldKey } from "../../domain/text";
import { acceptedKindsMessage, COLUMNS, KIND_LABELS, TABULAR_KINDS, type TabularKind } from "./kinds";
import { RefusedError, shown } from "./issues";

const byFoldedName: Record<TabularKind, Map<string, string>> = Object.fromEntries(
  TABULAR_KINDS.map((kind) => {
    const map = new Map<string, string>();
    for (const c of COLUMNS[kind]) {
      map.set(foldKey(c.name), c.name);
      map.set(foldKey(c.label), c.name);
    }
    return [kind, map];
  }),
) as Record<TabularKind, Map<string, string>>;

/** The canonical name of the column a header cell (or JSON key) names, for a kind. */
export const columnNamed = (kind: TabularKind, header: string): string | null => byFoldedName[kind].get(foldKey(header)) ?? null;

/** Canonical column name per header position (null: a column this kind does not use). */
export type HeaderMap = Array<string | null>;

export function mapHeader(kind: TabularKind, header: readonly unknown[]): HeaderMap {
  const seen = new Set<string>();
  return header.map((cell) => {
    const name = columnNamed(kind, cellText(cell));
    if (name && seen.has(name)) throw new RefusedError(`Cột "${shown(cellText(cell))}" xuất hiện hai lần ở dòng tiêu đề.`, 1);
    if (name) seen.add(name);
    return name;
  });
}

/**
 * The kind whose required columns are all in the header (the one matching most columns
 * when several do). Refused with the accepted kinds, or the missing columns of the
 * nearest kind, otherwise.
 */
export function detectTabularKind(header: readonly unknown[]): TabularKind {
  const folded = new Set(header.map((cell) => foldKey(cellText(cell))).filter(Boolean));
  let best: { kind: TabularKind; score: number } | null = null;
  let tie = false;
  let nearest: { kind: TabularKind; missing: string[]; found: number } | null = null;
  for (const kind of TABULAR_KINDS) {
    const names = new Set<string>();
    for (const key of folded) {
      const name = byFoldedName[kind].get(key);
      if (name) names.add(name);
    }
    const missing = COLUMNS[kind].filter((c) => c.required && !names.has(c.name));
    if (missing.length === 0) {
      if (!best || names.size > best.score) [best, tie] = [{ kind, score: names.size }, false];
      else if (names.size === best.score) tie = true;
    } else {
      const found = COLUMNS[kind].filter((c) => c.required).length - missing.length;
      if (found >= 2 && (!nearest || found > nearest.found)) nearest = { kind, missing: missing.map((c) => `"${c.label}" (${c.name})`), found };
    }
  }
  if (best && !tie) return best.kind;
  if (best && tie) throw new RefusedError(`Không xác định được loại tệp: dòng tiêu đề khớp với nhiều loại. ${acceptedKindsMessage()}`, 1);
  if (nearest) {
    throw new RefusedError(
      `Giống mẫu “${KIND_LABELS[nearest.kind]}” nhưng thiếu cột: ${nearest.missing.join(", ")}. Thêm các cột này vào dòng tiêu đề (dòng 1), hoặc tải mẫu Excel ở trang Nhập dữ liệu.`,
      1,
    );
  }
  throw new RefusedError(`Không nhận ra loại tệp từ dòng tiêu đề. ${acceptedKindsMessage()}`, 1);
}

/** A cell as text: strings trimmed, numbers as written, rich text / formula results unwrapped. */
export function cellText(cell: unknown): string {
  const value = cellValue(cell);
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  return String(value).trim();
}

/** Unwraps what exceljs gives for a cell (rich text, formula, hyperlink) to a plain value. */
export function cellValue(cell: unknown): unknown {
  if (cell === null || typeof cell !== "object" || cell instanceof Date) return cell;
  const o = cell as { richText?: Array<{ text?: string }>; result?: unknown; text?: unknown; error?: unknown };
  if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? "").join("");
  if ("result" in o) return cellValue(o.result);
  if ("text" in o) return cellValue(o.text);
  return null;
}
