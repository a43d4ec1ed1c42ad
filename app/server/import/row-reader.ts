// Reads the fields of one source row (keyed by canonical column name) into typed values,
// collecting each problem as a Vietnamese row error or warning with its column.
import { dateProblem } from "../../domain/import-messages";
import { parseCode } from "../../domain/codes";
import { PROVINCE_CODES } from "../../domain/identifiers";
import { parseSourceDate, parseSourceDay, type ParsedDate } from "../../domain/time";
import type { BlockDirectory, BlockRef } from "./references.server";
import { cellText, cellValue } from "./headers";
import { shown, type Issue } from "./issues";

export type RawRow = Record<string, unknown>;

const FACILITY_CODE = /^[A-Za-z0-9.-]{1,20}$/;

export class RowReader {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];

  constructor(
    readonly raw: RawRow,
    readonly line: number | null,
    /** How a column is named in messages: its template label, or the XML tag. */
    private readonly label: (name: string) => string,
  ) {}

  get ok() {
    return this.errors.length === 0;
  }

  error(field: string | undefined, reason: string) {
    this.errors.push({ line: this.line, field, reason });
  }

  warn(field: string | undefined, reason: string) {
    this.warnings.push({ line: this.line, field, reason });
  }

  /** The field as trimmed text ('' when empty). */
  text(name: string, opts: { required?: boolean; max?: number } = {}): string {
    const value = cellText(this.raw[name]);
    if (!value && opts.required) this.error(name, `Thiếu ${this.label(name)}.`);
    if (opts.max && value.length > opts.max) {
      this.error(name, `${this.label(name)} dài quá ${opts.max} ký tự.`);
      return "";
    }
    return value;
  }

  /**
   * A facility code (MA_CSKCB, 5 characters): required. A number cell lost the leading
   * zeros of a code such as 01001 and gets them back, so it names the same facility as
   * the XML does.
   */
  facilityCode(name: string): string {
    const value = cellValue(this.raw[name]);
    const code = typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value).padStart(5, "0") : this.text(name, { required: true });
    if (code && !FACILITY_CODE.test(code)) this.error(name, `Mã cơ sở KCB "${shown(code)}" không hợp lệ.`);
    return code;
  }

  /**
   * A personal ID as text. An Excel (or JSON) number cannot keep the leading zeros every
   * province code (001…096) starts with: a number of 10 or 11 digits is padded back to 12
   * when that gives a known province code. Any other number stays as its digits, so a
   * 9-digit ID card number typed as a number is not turned into a "valid" 000… ID.
   * Text is never padded: an 11-digit text is invalid, as FORMATS.md says.
   */
  personalId(name: string, opts: { required?: boolean } = {}): string {
    const value = cellValue(this.raw[name]);
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
      const digits = String(value);
      const padded = digits.padStart(12, "0");
      return digits.length >= 10 && PROVINCE_CODES.has(padded.slice(0, 3)) ? padded : digits;
    }
    return this.text(name, opts);
  }

  /**
   * A card number as text. A number cell can only be a bare 10-digit social-insurance
   * number; one of 9 digits lost its leading zero in Excel and gets it back.
   */
  cardNumber(name: string): string {
    const value = cellValue(this.raw[name]);
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) {
      const digits = String(value);
      return digits.length === 9 ? `0${digits}` : digits;
    }
    return this.text(name);
  }

  /** A date-time in any form of FORMATS.md; null when empty (or invalid, with an error). */
  date(name: string, opts: { required?: boolean } = {}): ParsedDate | null {
    return this.parsed(name, opts, parseSourceDate, "ngày giờ");
  }

  /** A local day 'yyyy-MM-dd'; null when empty (or invalid, with an error). */
  day(name: string, opts: { required?: boolean } = {}): string | null {
    return this.parsed(name, opts, parseSourceDay, "ngày");
  }

  private parsed<T>(name: string, opts: { required?: boolean }, parse: (value: unknown) => T | null, what: string): T | null {
    const value = cellValue(this.raw[name]);
    if (isEmpty(value)) {
      if (opts.required) this.error(name, `Thiếu ${this.label(name)}.`);
      return null;
    }
    const parsed = parse(typeof value === "number" ? String(value) : value);
    if (parsed === null) {
      const problem = dateProblem(cellText(value));
      const quoted = shown(cellText(value));
      this.error(name, problem.impossible
        ? `${this.label(name)} là ngày không có thật: "${quoted}" — ${problem.text}.`
        : `${this.label(name)} không đúng định dạng ${what}: "${quoted}" — ${problem.text}.`);
    }
    return parsed;
  }

  /** A block of the ward by name or number; null when empty or unknown (error). */
  block(name: string, blocks: BlockDirectory, opts: { required?: boolean } = {}): BlockRef | null {
    const value = this.text(name, opts);
    if (!value) return null;
    const block = blocks.find(value);
    if (!block) this.error(name, `Không có khối "${shown(value)}" trong phường.`);
    return block;
  }

  /** A coded value given as its code or its Vietnamese label; null when empty or unknown (error). */
  code<K extends string>(name: string, labels: Record<K, string>, opts: { required?: boolean } = {}): K | null {
    const value = this.text(name, opts);
    if (!value) return null;
    const code = parseCode(labels, value);
    if (!code) this.error(name, `${this.label(name)} "${shown(value)}" không hợp lệ; chấp nhận: ${describeCodes(labels)}.`);
    return code;
  }

  /**
   * A coded value the row can do without: null when empty, or when unknown (then a
   * warning, ending with `kept`, which says what becomes of the row).
   */
  optionalCode<K extends string>(name: string, labels: Record<K, string>, kept: string): K | null {
    const value = this.text(name);
    if (!value) return null;
    const code = parseCode(labels, value);
    if (!code) this.warn(name, `${this.label(name)} "${shown(value)}" không rõ (chấp nhận: ${describeCodes(labels)}); ${kept}.`);
    return code;
  }

  /** A non-negative whole number; null when empty (or invalid, with an error). */
  count(name: string, opts: { required?: boolean } = {}): number | null {
    const value = this.text(name, opts);
    if (!value) return null;
    const normalized = value.replace(/[.\s](?=\d{3}(\D|$))/g, ""); // "1.450" as Vietnamese write it
    if (!/^\d{1,9}$/.test(normalized)) {
      this.error(name, `${this.label(name)} phải là số nguyên không âm: "${shown(value)}".`);
      return null;
    }
    return Number(normalized);
  }
}

const isEmpty = (value: unknown) => value === null || value === undefined || (typeof value === "string" && value.trim() === "");

export const describeCodes = (labels: Record<string, string>) =>
  Object.entries(labels).map(([code, label]) => `${code} (${label})`).join(", ");
