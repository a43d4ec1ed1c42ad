// R3 of one estimate (REPORTS.md): once approved, the exact bytes stored at approval
// (the same file however often and whenever downloaded); before that, built now. Audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { BudgetError } from "~/server/budget.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { r3Of, sha256Hex } from "~/server/reports/r3.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:budget");
  const db = await getDb();
  const id = Number(params.id);
  try {
    const r3 = await r3Of(db, user.wardId, id, Math.floor(Date.now() / 1000));
    await audit(db, {
      action: "download", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
      target: `budget:${id}:r3`, detail: { frozen: r3.frozen, sha256: sha256Hex(r3.bytes) },
    });
    return xlsxResponse(r3.bytes, `R3-du-toan-${r3.year}-v${r3.version}${r3.frozen ? "-da-phe-duyet" : ""}.xlsx`);
  } catch (error) {
    if (error instanceof BudgetError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}
