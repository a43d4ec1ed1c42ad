// POST /api/v1/:source — a sending system pushes a JSON array of rows (CSV column names,
// or for receipts the gateway's own names) with its bearer token. Same pipeline as a file.
// Answers: 200 all rows taken (or unchanged); 422 with the error list when any row is
// invalid (the valid ones are written, as for a file) or the request is refused whole;
// 409 a duplicate activities push; 400 not a JSON array; 401/403 token; 413 too large; 429 rate.
import { audit } from "../audit.server";
import type { DB } from "../db.server";
import { clientIp } from "../guard.server";
import { apiError, authenticateApiToken } from "../tokens.server";
import { API_SOURCES, isApiSource } from "./kinds";
import { importLimits, formatBytes } from "./limits.server";
import { importRows } from "./pipeline.server";

/** Requests per token per minute (SSKDT_API_RATE_PER_MINUTE). */
const ratePerMinute = () => Number(process.env.SSKDT_API_RATE_PER_MINUTE) || 60;

/** Request times per token over the last minute, in this process's memory. */
const recent = new Map<string, number[]>();
/** When each token was last audited for going over its rate: once a minute is enough. */
const limitedAudited = new Map<string, number>();

/** Takes one request slot; the seconds to wait when the token has used its minute. */
export function takeRateSlot(key: string, nowMs = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
  const windowStart = nowMs - 60_000;
  const times = (recent.get(key) ?? []).filter((t) => t > windowStart);
  if (times.length >= ratePerMinute()) {
    recent.set(key, times);
    return { ok: false, retryAfter: Math.max(1, Math.ceil((times[0] - windowStart) / 1000)) };
  }
  times.push(nowMs);
  recent.set(key, times);
  return { ok: true };
}

export async function handleApiImport(db: DB, request: Request, sourceParam: string | undefined): Promise<Response> {
  if (request.method !== "POST") return apiError(405, "Chỉ nhận POST với một mảng JSON.", { Allow: "POST" });
  if (!sourceParam || !isApiSource(sourceParam)) {
    return apiError(404, `Không có nguồn dữ liệu "${sourceParam ?? ""}". Các nguồn: ${Object.keys(API_SOURCES).join(", ")}.`);
  }
  const caller = await authenticateApiToken(db, request, sourceParam).catch((response: unknown) => {
    if (response instanceof Response) return response;
    throw response;
  });
  if (caller instanceof Response) return caller;

  const slot = takeRateSlot(caller.rateKey);
  if (!slot.ok) {
    if ((limitedAudited.get(caller.rateKey) ?? 0) < Date.now() - 60_000) {
      limitedAudited.set(caller.rateKey, Date.now());
      await audit(db, { action: "access_denied", wardId: caller.wardId, username: `api:${caller.name}`, target: new URL(request.url).pathname, ip: clientIp(request), detail: { api: true, tokenId: caller.tokenId, reason: "rate limit" } });
    }
    return apiError(429, `Quá ${ratePerMinute()} yêu cầu mỗi phút cho khóa này; thử lại sau ${slot.retryAfter} giây.`, { "Retry-After": String(slot.retryAfter) });
  }
  const { maxJsonBytes } = importLimits();
  if (Number(request.headers.get("content-length") ?? 0) > maxJsonBytes) return apiError(413, `Dữ liệu vượt giới hạn ${formatBytes(maxJsonBytes)}.`);
  const text = await readLimited(request, maxJsonBytes);
  if (text === null) return apiError(413, `Dữ liệu vượt giới hạn ${formatBytes(maxJsonBytes)}.`);
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return apiError(400, "Nội dung không phải JSON hợp lệ.");
  }
  if (!Array.isArray(rows)) return apiError(400, "Nội dung phải là một mảng JSON các đối tượng.");

  const outcome = await importRows(
    db,
    {
      wardId: caller.wardId, userId: null, tokenId: caller.tokenId, channel: "api", role: null, blockId: null,
      username: `api:${caller.name}`, facilityCode: caller.facilityCode, ip: clientIp(request),
    },
    API_SOURCES[sourceParam],
    `api/${sourceParam}`,
    rows as Array<Record<string, unknown>>,
  );
  const status = outcome.status === "duplicate" ? 409 : outcome.status === "refused" || outcome.counts.invalid > 0 ? 422 : 200;
  return Response.json(
    {
      status: outcome.status, kind: outcome.kind, batchId: outcome.batchId, counts: outcome.counts,
      errors: outcome.errors, warnings: outcome.warnings, moreErrors: outcome.moreErrors, moreWarnings: outcome.moreWarnings,
    },
    { status },
  );
}

/** The body as text, or null when it is longer than `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
