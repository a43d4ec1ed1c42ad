// Placeholder until its issue lands: the guard is real, the page says so honestly.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ComingLater, pageTitle } from "~/components/page";
import { requirePermission } from "~/server/guard.server";

export const meta: MetaFunction = () => pageTitle("Kinh phí");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "view:budget");
  return null;
}

export default function Budget() {
  return <ComingLater title="Kinh phí" />;
}
