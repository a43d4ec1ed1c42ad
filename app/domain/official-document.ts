// The texts of an official document's frame (Decree 30/2020/NĐ-CP, Appendix I), as
// REPORTS.md describes it: the two-column header, the number and the date line, the
// signature block and "Nơi nhận". Pure functions shared by the .xlsx builder
// (app/server/reports/official-document.server.ts) and the print page
// (app/components/official/OfficialDocument.tsx), so both say exactly the same.
import { officialDateLine } from "./format";

export interface OfficialRecipient {
  name: string;
  shortName: string;
}

/** Everything the frame needs; the body (tables, paragraphs) is the caller's. */
export interface OfficialFrame {
  /** Issuing body's parent, e.g. "ỦY BAN NHÂN DÂN". */
  authority: string;
  /** The issuing body, e.g. "Phường Hòa Thạnh" (printed in capitals). */
  unitName: string;
  /** The number given on submission; null for a draft ("Số:     /BC-UBND"). */
  number: number | null;
  /** Document symbol after the number, e.g. "BC-UBND". */
  symbol: string;
  /** Place name of the date line, e.g. "Hòa Thạnh". */
  place: string;
  /** Local day of the date line, 'yyyy-MM-dd'; null for a draft (a blank date to fill in). */
  day: string | null;
  /** "BÁO CÁO" */
  title: string;
  /** The summary line under the title (bold). */
  summary: string;
  /** Extra lines under the summary (italic), e.g. "Số liệu tính đến 01/04/2026 00:00". */
  subtitle?: string[];
  signature: OfficialSignature;
  recipients: OfficialRecipient[];
  /** The closing "Nơi nhận" line; default "Lưu: VT, VH." */
  archive?: string;
}

export interface OfficialSignature {
  /** "TM. ỦY BAN NHÂN DÂN" */
  onBehalfOfBody: string;
  /** "KT. CHỦ TỊCH" (may be empty when the chair signs) */
  onBehalf: string;
  /** "PHÓ CHỦ TỊCH" */
  title: string;
  /** Full name, bold; may be empty. */
  name: string;
}

export const DEFAULT_ARCHIVE = "Lưu: VT, VH.";
export const REPORT_SYMBOL = "BC-UBND";

/** "Số: 07/BC-UBND"; a draft's number is left blank to be written in. */
export function numberLine(number: number | null, symbol: string): string {
  return number === null ? `Số:       /${symbol}` : `Số: ${String(number).padStart(2, "0")}/${symbol}`;
}

/** "<Place>, ngày 05 tháng 03 năm 2026", or with blanks for a draft. */
export function dateLine(place: string, day: string | null): string {
  return day === null ? `${place}, ngày      tháng      năm` : officialDateLine(place, day);
}

/** The left header's lines: authority, then the unit in capitals. */
export function unitLines(frame: Pick<OfficialFrame, "authority" | "unitName">): [string, string] {
  return [frame.authority.toLocaleUpperCase("vi"), frame.unitName.toLocaleUpperCase("vi")];
}

export const NATION_LINE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
export const MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc";
export const RECIPIENTS_HEADING = "Nơi nhận:";

/** "- UBND thị xã;" one a line, the last "- Lưu: VT, VH." */
export function recipientLines(recipients: OfficialRecipient[], archive = DEFAULT_ARCHIVE): string[] {
  return [...recipients.map((r) => `- ${r.shortName || r.name};`), `- ${archive}`];
}

/** The signature block's capitalised lines above the space for signature and seal. */
export function signatureLines(s: OfficialSignature): string[] {
  return [s.onBehalfOfBody, s.onBehalf, s.title].map((l) => l.trim()).filter(Boolean).map((l) => l.toLocaleUpperCase("vi"));
}
