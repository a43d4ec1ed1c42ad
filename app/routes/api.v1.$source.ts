// POST /api/v1/:source — JSON pushes from sending systems, with a bearer token
// (app/server/import/api.server.ts). No session, no page: a resource route.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { handleApiImport } from "~/server/import/api.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return handleApiImport(await getDb(), request, params.source);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return handleApiImport(await getDb(), request, params.source);
}
