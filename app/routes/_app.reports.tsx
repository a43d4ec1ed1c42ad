// Placeholder until its issue lands: the guard is real, the page says so honestly.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ComingLater, pageTitle } from "~/components/page";
import { requirePermission } from "~/server/guard.server";

export const meta: MetaFunction = () => pageTitle("Báo cáo");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "report:export");
  return null;
}

export default function Reports() {
  return <ComingLater title="Báo cáo" />;
}
