// The year's R3 with spending and results to date (`?year=2026`): the approved estimate
// in force (else the latest version), built now — what the finance officer sends with
// the justification. The same builder as `sskdt report r3`. Audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { BudgetError } from "~/server/budget.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { sha256Hex, yearR3 } from "~/server/reports/r3.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:budget");
  const year = Number(new URL(request.url).searchParams.get("year"));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Response("Năm không hợp lệ", { status: 400 });
  const db = await getDb();
  try {
    const { bytes } = await yearR3(db, user.wardId, year, Math.floor(Date.now() / 1000));
    await audit(db, {
      action: "export", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
      target: `budget:r3:${year}`, detail: { sha256: sha256Hex(bytes) },
    });
    return xlsxResponse(bytes, `R3-du-toan-va-thuyet-minh-${year}.xlsx`);
  } catch (error) {
    if (error instanceof BudgetError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}
