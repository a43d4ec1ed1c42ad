// Text helpers for matching what people type: headers, coded values, block names.

/** Vietnamese letters without their marks: "Đăng ký" → "Dang ky". */
export const withoutDiacritics = (value: string): string =>
  value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");

/** Lower case, no diacritics (đ → d), no spaces, underscores or punctuation. */
export function foldKey(value: string): string {
  return withoutDiacritics(value).toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A file name any browser saves as given: no diacritics (đ → d), other characters as "-". */
export function asciiFileName(name: string): string {
  return withoutDiacritics(name).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "tep";
}
