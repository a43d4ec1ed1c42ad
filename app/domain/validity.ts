// The browser's own validation messages follow its language, so a ward official whose
// Chromium is in English reads "Please fill out this field". These are the Vietnamese
// ones, chosen from the field's ValidityState.

export interface ValidityLike {
  valueMissing: boolean;
  typeMismatch: boolean;
  patternMismatch: boolean;
  tooShort: boolean;
  tooLong: boolean;
  rangeUnderflow: boolean;
  rangeOverflow: boolean;
  stepMismatch: boolean;
  badInput: boolean;
}

export function vietnameseValidity(v: ValidityLike, field: { type: string; min?: string; max?: string; minLength?: number; title?: string }): string | null {
  if (v.valueMissing) return field.type === "file" ? "Vui lòng chọn tệp." : field.type === "select-one" ? "Vui lòng chọn một mục." : "Vui lòng điền ô này.";
  if (v.badInput || v.typeMismatch) return field.type === "email" ? "Địa chỉ email không hợp lệ." : field.type === "number" ? "Vui lòng nhập một số." : "Giá trị không hợp lệ.";
  if (v.patternMismatch) return field.title ? `Sai định dạng: ${field.title}` : "Giá trị không đúng định dạng.";
  if (v.tooShort) return `Cần ít nhất ${field.minLength ?? ""} ký tự.`;
  if (v.tooLong) return "Giá trị quá dài.";
  if (v.rangeUnderflow) return `Giá trị phải từ ${field.min ?? ""} trở lên.`;
  if (v.rangeOverflow) return `Giá trị phải không quá ${field.max ?? ""}.`;
  if (v.stepMismatch) return "Vui lòng nhập số nguyên.";
  return null;
}

/** 'yyyy-MM-dd' ↔ 'dd/MM/yyyy', for a date field that reads the same in any browser language. */
export function dayToVi(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "";
}

export function viToDay(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
