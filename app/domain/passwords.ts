// The password policy (OWASP ASVS 2.1): 10 to 128 characters, any characters (spaces and
// Vietnamese letters included), not the username, not one of the passwords people pick
// first. No rules on character classes: they make passwords harder to remember, not to guess.
import { COMMON_PASSWORDS } from "./common-passwords";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/** The same password however it is typed: case and spaces do not make a common one uncommon. */
const folded = (s: string) => s.normalize("NFC").toLowerCase().replace(/\s+/g, "");

/** Why a password may not be used, in Vietnamese; null when it may. Length counts characters, not bytes. */
export function passwordProblem(password: string, username?: string | null): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  if (length > MAX_PASSWORD_LENGTH) return `Mật khẩu dài quá ${MAX_PASSWORD_LENGTH} ký tự.`;
  const f = folded(password);
  if (f.length === 0) return "Mật khẩu không được chỉ gồm khoảng trắng.";
  if (new Set(f).size <= 2) return "Mật khẩu quá đơn giản (chỉ lặp lại một hai ký tự).";
  if (username && f.includes(folded(username)) && folded(username).length >= 3) return "Mật khẩu không được chứa tên đăng nhập.";
  if (COMMON_PASSWORDS.has(f) || isRun(f)) return "Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác (ví dụ một câu ngắn dễ nhớ).";
  return null;
}

/** "1234567890", "abcdefghijk", "0987654321": a run of consecutive characters. */
function isRun(s: string): boolean {
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}
