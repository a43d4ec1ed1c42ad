// GET /api/v1/metrics?period=…&asOf=…&facility=… — METRICS.md's JSON object, the same the
// CLI prints. Signed-in users with view:dashboard get what their dashboard shows: a block
// committee its block's I4 and I5 with i1, i2, i3 and i6 null; a role without view:budget
// i6 null. A bearer API token gets the whole object, a facility's token with its I1–I3
// held to that facility and i6 null. Audited.
import type { DB } from "../db.server";
import { audit } from "../audit.server";
import { clientIp, currentUser } from "../guard.server";
import { takeRateSlot } from "../import/api.server";
import { apiError, authenticateApiToken } from "../tokens.server";
import { can, visibleFigures } from "~/domain/permissions";
import { publicMetrics, type MetricsJson } from "~/domain/metrics-types";
import { defaultAsOf, PeriodError, resolvePeriod } from "~/domain/periods";
import { parseSourceDate } from "~/domain/time";
import { computeMetrics, MetricsQueryError, type MetricsQuery } from "./engine.server";

interface Caller {
  wardId: number;
  userId: number | null;
  username: string | null;
  tokenId: number | null;
  facilityCode: string | null; // forced by a facility's token
  blockId: number | null; // forced for a block committee
  sees: { visits: boolean; budget: boolean };
}

/** METRICS.md's object with the sections the caller may not read set to null. */
type MetricsView = Omit<MetricsJson, "i1" | "i2" | "i3" | "i6"> & {
  [K in "i1" | "i2" | "i3" | "i6"]: MetricsJson[K] | null;
};

const EVERYTHING = { visits: true, budget: true };

async function callerOf(db: DB, request: Request): Promise<Caller> {
  if (request.headers.has("authorization")) {
    const token = await authenticateApiToken(db, request, null);
    // A facility's software has no business with the ward's budget.
    const sees = token.facilityCode ? { visits: true, budget: false } : EVERYTHING;
    return { wardId: token.wardId, userId: null, username: `token:${token.name}`, tokenId: token.tokenId, facilityCode: token.facilityCode, blockId: null, sees };
  }
  const user = await currentUser(request);
  if (!user) throw apiError(401, "Chưa đăng nhập: dùng phiên đăng nhập hoặc khóa API (Authorization: Bearer …).");
  if (user.mustChangePassword) throw apiError(403, "Cần đổi mật khẩu trước khi xem chỉ số.");
  if (!can(user.role, "view:dashboard")) {
    await audit(db, {
      action: "access_denied", wardId: user.wardId, userId: user.id, username: user.username,
      target: "/api/v1/metrics", detail: { permission: "view:dashboard" }, ip: clientIp(request),
    });
    throw apiError(403, "Tài khoản không có quyền xem chỉ số.");
  }
  const blockId = user.role === "ban_can_su_khoi" ? user.blockId : null;
  return { wardId: user.wardId, userId: user.id, username: user.username, tokenId: null, facilityCode: null, blockId, sees: visibleFigures(user.role) };
}

export async function metricsApi(db: DB, request: Request, now = Math.floor(Date.now() / 1000)): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") return apiError(405, "Chỉ hỗ trợ GET.", { Allow: "GET" });
  let caller: Caller;
  try {
    caller = await callerOf(db, request);
  } catch (response) {
    if (response instanceof Response) return response;
    throw response;
  }
  // Each computation reads the roll-ups of a whole period: a caller gets the same number per minute as a pushing system.
  const slot = takeRateSlot(`metrics|${caller.tokenId !== null ? `t${caller.tokenId}` : `u${caller.userId}`}`);
  if (!slot.ok) {
    return apiError(429, `Quá nhiều yêu cầu chỉ số mỗi phút; thử lại sau ${slot.retryAfter} giây.`, { "Retry-After": String(slot.retryAfter) });
  }
  const params = new URL(request.url).searchParams;
  const periodParam = params.get("period");
  if (!periodParam) return apiError(400, "Thiếu tham số period (ví dụ 2026-Q1).");
  // Without the visit figures a facility filter has nothing to filter.
  const facility = caller.sees.visits ? params.get("facility") || null : null;
  if (caller.facilityCode && facility && facility !== caller.facilityCode) {
    return apiError(403, `Khóa API này chỉ xem được cơ sở ${caller.facilityCode}.`);
  }
  let q: MetricsQuery;
  try {
    const period = resolvePeriod(periodParam, now);
    const asOfParam = params.get("asOf");
    const asOf = asOfParam ? parseSourceDate(asOfParam)?.epoch : defaultAsOf(period, now);
    if (asOf === undefined) return apiError(400, `Thời điểm asOf không hợp lệ: "${asOfParam}". Dùng ISO 8601, ví dụ 2026-04-02T08:00:00+07:00.`);
    q = { wardId: caller.wardId, period, asOf, facilityCode: caller.facilityCode ?? facility, blockId: caller.blockId };
  } catch (error) {
    if (error instanceof PeriodError) return apiError(400, error.message);
    throw error;
  }
  let figures: MetricsView;
  try {
    const all = await computeMetrics(db, q);
    const { visits, budget } = caller.sees;
    figures = { ...all, i1: visits ? all.i1 : null, i2: visits ? all.i2 : null, i3: visits ? all.i3 : null, i6: budget ? all.i6 : null };
  } catch (error) {
    if (error instanceof MetricsQueryError) return apiError(400, error.message);
    throw error;
  }
  await audit(db, {
    action: "view", wardId: caller.wardId, userId: caller.userId, username: caller.username, ip: clientIp(request),
    target: "api:metrics", detail: { period: q.period.key, asOf: figures.asOf, facility: q.facilityCode ?? null, tokenId: caller.tokenId },
  });
  return Response.json(publicMetrics(figures), { headers: { "Cache-Control": "no-store" } });
}
