// Messages that say what to fix in an import file: the date forms that are accepted and
// whether a date is impossible or mis-written, Excel's lost leading zero, the XML
// parser's English turned into Vietnamese.
import { isValidCalendarDate } from "./time";

export const ACCEPTED_DATE_FORMS = "dd/MM/yyyy (ví dụ 05/03/2026), dd/MM/yyyy HH:mm, yyyy-MM-dd, yyyy-MM-ddTHH:mm hoặc yyyyMMddHHmm";

/**
 * Why a date did not read. A value of a known shape naming a day the calendar lacks
 * ("31/02/2026") is impossible; anything else is a wrong format, answered with the forms.
 */
export function dateProblem(text: string): { impossible: boolean; text: string } {
  const s = text.trim();
  const parts =
    /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s)?.slice(1, 4).reverse() ??
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s)?.slice(1, 4) ??
    /^(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2})?)?$/.exec(s)?.slice(1, 4);
  if (parts) {
    const [y, m, d] = parts.map(Number);
    if (m >= 1 && m <= 12 && !isValidCalendarDate(y, m, d)) {
      return { impossible: true, text: `tháng ${m}/${y} không có ngày ${d}` };
    }
    if (m < 1 || m > 12) {
      return { impossible: false, text: `tháng ${m} không có; kiểm tra thứ tự ngày, tháng. Dùng một trong các dạng: ${ACCEPTED_DATE_FORMS}` };
    }
    return { impossible: false, text: `giờ phải từ 00:00 đến 23:59. Dùng một trong các dạng: ${ACCEPTED_DATE_FORMS}` };
  }
  return { impossible: false, text: `dùng một trong các dạng: ${ACCEPTED_DATE_FORMS}` };
}

/** A personal ID of 11 digits most likely lost its leading 0 in Excel. */
export function personalIdLengthHint(value: string): string {
  return /^\d{11}$/.test(value)
    ? ". Có thể Excel đã bỏ mất chữ số 0 ở đầu: định dạng cột là Văn bản (Text) rồi nhập lại đủ 12 chữ số"
    : "";
}

const SAXES_MESSAGES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^unclosed tag: (.+)$/i, (m) => `thẻ <${m[1]}> được mở nhưng không được đóng (thiếu </${m[1]}>)`],
  [/^unexpected close tag\.?$/i, () => "có thẻ đóng không khớp với thẻ đang mở"],
  [/^unmatched closing tag: (.+)\.?$/i, (m) => `thẻ đóng </${m[1]}> không khớp với thẻ đang mở`],
  [/^text data outside of root node\.?$/i, () => "có nội dung nằm ngoài phần tử gốc"],
  [/^document must contain a root element\.?$/i, () => "tệp không có phần tử gốc nào (tệp rỗng hoặc không phải XML)"],
  [/^disallowed character\.?$/i, () => "có ký tự không được phép trong XML"],
  [/^unexpected end\.?$/i, () => "tệp kết thúc đột ngột (có thể bị cắt ngang khi sao chép hoặc tải lên)"],
  [/^(?:unterminated|unclosed) (?:cdata|comment|attribute value)/i, () => "có một phần chưa được đóng (chú thích, CDATA hoặc giá trị thuộc tính)"],
  [/^duplicate attribute: (.+)$/i, (m) => `thuộc tính ${m[1]} xuất hiện hai lần trong một thẻ`],
  [/^(?:invalid|unterminated|disallowed) (?:character )?entity/i, () => "có ký tự & không hợp lệ (trong XML phải viết &amp;amp;)"],
  [/^(?:xml declaration|xml decl)/i, () => "khai báo <?xml …?> ở đầu tệp không đúng"],
  [/^unquoted attribute value/i, () => "giá trị thuộc tính phải đặt trong dấu nháy"],
  [/^(?:invalid|disallowed) characters? in (?:tag|element|closing tag) name/i, () => "tên thẻ có ký tự không hợp lệ"],
  [/^multiple root elements|^unexpected text after root|^text data outside/i, () => "có nhiều hơn một phần tử gốc"],
];

/** The XML parser's message in Vietnamese; an unknown one is described generally, never quoted in English. */
export function xmlProblem(message: string): string {
  for (const [pattern, say] of SAXES_MESSAGES) {
    const m = pattern.exec(message.trim());
    if (m) return say(m);
  }
  return "cấu trúc XML bị lỗi (thẻ mở/đóng không khớp hoặc ký tự không hợp lệ)";
}
