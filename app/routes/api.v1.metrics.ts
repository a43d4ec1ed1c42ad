// GET /api/v1/metrics — METRICS.md's JSON object (app/server/metrics/api.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { metricsApi } from "~/server/metrics/api.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return metricsApi(await getDb(), request);
}
