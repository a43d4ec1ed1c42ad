// Limits on signing in and on API tokens, shared by the server and the pages that explain them.

/** Sign-in throttling (app/server/throttle.server.ts): failures per fixed window. */
export const THROTTLE = {
  windowSeconds: 15 * 60,
  accountFromAddress: 5,
  address: 20,
  account: 100,
} as const;

export type LockKind = "account_from_address" | "address" | "account";

/** An API token either pushes data or reads the indicators, never both. */
export const TOKEN_SCOPES = ["push", "read"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const TOKEN_SCOPE_LABELS: Record<TokenScope, string> = { push: "Gửi dữ liệu", read: "Đọc chỉ số" };
export const DEFAULT_TOKEN_DAYS = 365;
export const MAX_TOKEN_DAYS = 3 * 365;
