// API tokens for machine-to-machine calls. A token is shown once when created and stored
// only as a keyed hash; its first characters stay visible to recognise it. Its scope is
// either "push" (POST /api/v1/:source, limited to one facility — its visits, receipts and
// display confirmations — or to one source kind) or "read" (GET /api/v1/metrics, the
// ward's figures or one facility's): a sending system never reads the budget, a reporting
// tool never writes. Each token expires (a year by default), can be revoked, and
// remembers when it was last used.
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TOKEN_SCOPES, type TokenScope } from "../domain/access-limits";
import { audit, auditRepeated } from "./audit.server";
import { hashApiToken, randomToken } from "./crypto.server";
import { getDb, type DB } from "./db.server";
import { clientIp } from "./guard.server";
import { API_SOURCES, FACILITY_KINDS, KIND_LABELS, isApiSource, type ApiSource } from "./import/kinds";

export const TOKEN_PREFIX = "sskdt_";
const SHOWN_CHARACTERS = TOKEN_PREFIX.length + 6;


export interface ApiTokenView {
  id: number;
  name: string;
  prefix: string;
  scope: TokenScope;
  expiresAt: number | null;
  facilityCode: string | null;
  source: ApiSource | null;
  createdBy: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** Who sent an API request: what the import pipeline needs to scope it. */
export interface ApiCaller {
  tokenId: number;
  wardId: number;
  name: string;
  facilityCode: string | null;
  source: ApiSource | null;
  /** Identifies the token across databases and restarts (its hash): the rate limiter's key. */
  rateKey: string;
}

export class TokenError extends Error {}

const now = () => Math.floor(Date.now() / 1000);

export async function createApiToken(
  db: DB,
  input: { wardId: number; name: string; facilityCode?: string | null; source?: string | null; scope?: string | null; days?: number | null },
  actor: { userId: number | null; username: string | null; ip?: string | null },
): Promise<{ id: number; token: string; prefix: string }> {
  const name = input.name.trim();
  const facilityCode = input.facilityCode?.trim() || null;
  const source = input.source?.trim() || null;
  const scope = (input.scope?.trim() || "push") as TokenScope;
  const days = input.days ?? DEFAULT_TOKEN_DAYS;
  if (!name) throw new TokenError("Thiếu tên khóa (hệ thống nào gửi dữ liệu).");
  if (!TOKEN_SCOPES.includes(scope)) throw new TokenError(`Phạm vi khóa "${scope}" không có (gửi dữ liệu hoặc đọc chỉ số).`);
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new TokenError(`Thời hạn khóa phải từ 1 đến ${MAX_TOKEN_DAYS} ngày.`);
  if (scope === "read" && source) throw new TokenError("Khóa đọc chỉ số không gắn với một loại dữ liệu gửi lên.");
  if (scope === "push" && !facilityCode && !source) throw new TokenError("Khóa phải giới hạn cho một cơ sở KCB hoặc một loại dữ liệu.");
  if (source && !isApiSource(source)) throw new TokenError(`Loại dữ liệu "${source}" không có.`);
  if (facilityCode && !/^[A-Za-z0-9.-]{1,20}$/.test(facilityCode)) throw new TokenError(`Mã cơ sở KCB "${facilityCode}" không hợp lệ.`);
  if (facilityCode && source && !FACILITY_KINDS.has(API_SOURCES[source as ApiSource])) {
    throw new TokenError(`Khóa của một cơ sở KCB chỉ gửi được lượt KCB, kết quả gửi Cổng và xác nhận hiển thị, không gửi được "${KIND_LABELS[API_SOURCES[source as ApiSource]]}".`);
  }
  const token = TOKEN_PREFIX + randomToken(32);
  const prefix = token.slice(0, SHOWN_CHARACTERS);
  const id = await db.transaction().execute(async (trx) => {
    let facilityId: number | null = null;
    if (facilityCode) {
      const facility = await trx.selectFrom("facility").select("id").where("code", "=", facilityCode).executeTakeFirst();
      facilityId = facility?.id ?? (await trx
        .insertInto("facility").values({ ward_id: input.wardId, code: facilityCode, name: facilityCode, kind: "khac" })
        .returning("id").executeTakeFirstOrThrow()).id;
    }
    const row = await trx
      .insertInto("api_token")
      .values({
        ward_id: input.wardId, name, token_hash: hashApiToken(token), prefix, facility_id: facilityId, source, scope,
        created_by: actor.userId, created_at: now(), revoked_at: null, last_used_at: null, expires_at: now() + days * 86400,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, {
      action: "create", wardId: input.wardId, userId: actor.userId, username: actor.username, ip: actor.ip ?? null,
      target: `api_token:${row.id}`, detail: { name, prefix, facilityCode, source, scope, days },
    });
    return row.id;
  });
  return { id, token, prefix };
}

export async function listApiTokens(db: DB, wardId: number): Promise<ApiTokenView[]> {
  const rows = await db
    .selectFrom("api_token")
    .leftJoin("facility", "facility.id", "api_token.facility_id")
    .leftJoin("app_user", "app_user.id", "api_token.created_by")
    .select([
      "api_token.id", "api_token.name", "api_token.prefix", "facility.code as facilityCode", "api_token.source",
      "app_user.username as createdBy", "api_token.created_at", "api_token.revoked_at", "api_token.last_used_at",
      "api_token.scope", "api_token.expires_at",
    ])
    .where("api_token.ward_id", "=", wardId)
    .orderBy("api_token.id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, prefix: r.prefix, scope: r.scope as TokenScope, expiresAt: r.expires_at, facilityCode: r.facilityCode, source: r.source as ApiSource | null,
    createdBy: r.createdBy, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
  }));
}

export async function revokeApiToken(db: DB, wardId: number, id: number, actor: { userId: number | null; username: string | null; ip?: string | null }) {
  const result = await db
    .updateTable("api_token")
    .set({ revoked_at: now() })
    .where("id", "=", id)
    .where("ward_id", "=", wardId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new TokenError("Không có khóa đang hoạt động này.");
  await audit(db, { action: "revoke", wardId, userId: actor.userId, username: actor.username, ip: actor.ip ?? null, target: `api_token:${id}` });
}

/** A JSON error the API answers with. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}

/**
 * The token of a request (Authorization: Bearer …), allowed to send `source` (a push
 * token) or, with `source` null, to read the indicators (a read token, its facility scope
 * applied by the caller); throws a 401 or 403 JSON response otherwise. Records when the
 * token was used. Refusals of unknown tokens are audited in aggregate (one entry, then a
 * count per minute from the same address), so a flood cannot fill the audit log.
 */
export async function authenticateApiToken(db: DB, request: Request, source: ApiSource | null): Promise<ApiCaller> {
  const deny = async (status: number, message: string, tokenId: number | null = null, wardId: number | null = null) => {
    const entry = {
      action: "access_denied" as const, wardId, target: new URL(request.url).pathname.slice(0, 200), ip: clientIp(request),
      detail: { api: true, tokenId, reason: message },
    };
    if (tokenId === null) await auditRepeated(db, entry, `api-token|${entry.ip ?? ""}`);
    else await audit(db, entry);
    return apiError(status, message, status === 401 ? { "WWW-Authenticate": 'Bearer realm="sskdt"' } : {});
  };
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
  if (!m) throw await deny(401, "Thiếu khóa API (Authorization: Bearer …).");
  const token = await db
    .selectFrom("api_token")
    .leftJoin("facility", "facility.id", "api_token.facility_id")
    .select([
      "api_token.id", "api_token.ward_id", "api_token.name", "api_token.source", "api_token.revoked_at", "api_token.token_hash",
      "api_token.scope", "api_token.expires_at", "facility.code as facilityCode",
    ])
    .where("api_token.token_hash", "=", hashApiToken(m[1]))
    .executeTakeFirst();
  if (!token || token.revoked_at !== null) throw await deny(401, "Khóa API không hợp lệ hoặc đã bị thu hồi.");
  if (token.expires_at !== null && token.expires_at <= now()) throw await deny(401, "Khóa API đã hết hạn: quản trị hệ thống cần tạo khóa mới.", token.id, token.ward_id);
  if (source === null && token.scope !== "read") {
    throw await deny(403, "Khóa API này chỉ dùng để gửi dữ liệu, không đọc được chỉ số: hãy dùng khóa có phạm vi \u201cĐọc chỉ số\u201d.", token.id, token.ward_id);
  }
  if (source !== null && token.scope !== "push") {
    throw await deny(403, "Khóa API này chỉ dùng để đọc chỉ số, không gửi được dữ liệu.", token.id, token.ward_id);
  }
  if (source !== null && token.source && token.source !== source) {
    throw await deny(403, `Khóa API này chỉ được gửi loại dữ liệu "${token.source}".`, token.id, token.ward_id);
  }
  if (source !== null && token.facilityCode && !FACILITY_KINDS.has(API_SOURCES[source])) {
    throw await deny(403, `Khóa API của cơ sở ${token.facilityCode} không được gửi loại dữ liệu "${source}".`, token.id, token.ward_id);
  }
  await db.updateTable("api_token").set({ last_used_at: now() }).where("id", "=", token.id).execute();
  return { tokenId: token.id, wardId: token.ward_id, name: token.name, facilityCode: token.facilityCode, source: token.source as ApiSource | null, rateKey: token.token_hash };
}

/** `requireApiToken(request, source)` on the server's database. */
export async function requireApiToken(request: Request, source: ApiSource | null): Promise<ApiCaller> {
  return authenticateApiToken(await getDb(), request, source);
}
