// The Excel template of one draft estimate, in the R3 layout with its current lines and
// room for more: the health station fills it and uploads it on the estimate's page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { BudgetError, estimateDetail } from "~/server/budget.server";
import { estimateTemplate } from "~/server/budget-xlsx.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { r3Content } from "~/server/reports/r3.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "budget:propose");
  const db = await getDb();
  const id = Number(params.id);
  const now = Math.floor(Date.now() / 1000);
  try {
    const detail = await estimateDetail(db, user.wardId, id);
    const { frame } = await r3Content(db, user.wardId, id, now);
    const bytes = await estimateTemplate(frame, detail.lines.map((l) => ({ ...l, spent: null })), now);
    await audit(db, { action: "export", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `budget:${id}:template` });
    return xlsxResponse(bytes, `mau-du-toan-${detail.estimate.year}-v${detail.estimate.version}.xlsx`);
  } catch (error) {
    if (error instanceof BudgetError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}
