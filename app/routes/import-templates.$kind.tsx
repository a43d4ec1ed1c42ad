// GET /import-templates/:kind — the .xlsx template of a table source, for a signed-in
// user who may import that kind (block names of the ward in the drop-down).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { permitted, requireUser } from "~/server/guard.server";
import { API_SOURCES, isApiSource, KIND_PERMISSION } from "~/server/import/kinds";
import { buildTemplate } from "~/server/import/templates.server";
import { listBlocks } from "~/server/ward.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const source = params.kind ?? "";
  if (!isApiSource(source)) throw new Response("Không có mẫu này", { status: 404 });
  await permitted(request, user, KIND_PERMISSION[API_SOURCES[source]]);
  const db = await getDb();
  const blocks = await listBlocks(db, user.wardId);
  const own = user.blockId === null ? blocks : blocks.filter((b) => b.id === user.blockId);
  const facility = await db.selectFrom("facility").select(["code", "name", "kind"]).where("ward_id", "=", user.wardId).orderBy("id").executeTakeFirst();
  const xlsx = await buildTemplate(source, own.map((b) => b.name), facility ?? null);
  return xlsxResponse(xlsx, `mau-nhap-${source}.xlsx`);
}
