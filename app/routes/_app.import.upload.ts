// POST /import/upload?intent=preview|confirm|cancel — the upload page's XHR endpoint:
// receives files and previews them (dry run), imports a preview for real, or drops it.
// Answers NDJSON progress lines then the result (app/server/import/upload.server.ts).
import type { ActionFunctionArgs } from "@remix-run/node";
import { IMPORT_PERMISSIONS } from "~/domain/permissions";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { RefusedError } from "~/server/import/issues";
import { discardPreview, readPreview, receiveUpload, streamImport, uploadActor } from "~/server/import/upload.server";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, IMPORT_PERMISSIONS);
  const db = await getDb();
  const actor = uploadActor(user, clientIp(request));
  const url = new URL(request.url);
  const intent = url.searchParams.get("intent");
  if (intent === "preview") {
    try {
      const preview = await receiveUpload(request, user);
      return streamImport(db, actor, preview, true);
    } catch (error) {
      if (error instanceof RefusedError) return Response.json({ type: "error", message: error.reason }, { status: 400 });
      throw error;
    }
  }
  const preview = readPreview(url.searchParams.get("preview") ?? "", user);
  // A preview kept only for its error reports (imported, or nothing to import) cannot be confirmed.
  if (!preview || (intent === "confirm" && preview.files.length === 0)) return Response.json({ type: "error", message: "Bản xem trước không còn (quá 1 giờ hoặc đã hủy). Hãy tải tệp lên lại." }, { status: 404 });
  if (intent === "confirm") return streamImport(db, actor, preview, false);
  if (intent === "cancel") {
    discardPreview(preview);
    return Response.json({ type: "cancelled" });
  }
  return Response.json({ type: "error", message: "Thao tác không hợp lệ." }, { status: 400 });
}
