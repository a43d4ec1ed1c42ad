// The signed-in layout: every page under it has a user (or was sent to /login).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { AppShell, type ShellData } from "~/components/app-shell";
import { ErrorPage } from "~/components/error-page";
import { navFor } from "~/components/navigation";
import { ROLE_LABELS } from "~/domain/permissions";
import { getDb } from "~/server/db.server";
import { requireUser } from "~/server/guard.server";
import { getWard, listBlocks } from "~/server/ward.server";

export async function loader({ request }: LoaderFunctionArgs): Promise<ShellData> {
  const user = await requireUser(request);
  const db = await getDb();
  const ward = await getWard(db, user.wardId);
  const block = user.blockId === null ? undefined : (await listBlocks(db, user.wardId)).find((b) => b.id === user.blockId);
  return {
    ward: { name: ward.name },
    user: { displayName: user.displayName, roleLabel: ROLE_LABELS[user.role], blockName: block?.name ?? null },
    nav: navFor(user.role).map(({ path, label }) => ({ path, label })),
  };
}

export default function SignedInLayout() {
  return (
    <AppShell {...useLoaderData<typeof loader>()}>
      <Outlet />
    </AppShell>
  );
}

/** A refused or failed page keeps the menu, so the way on is one click away. */
export function ErrorBoundary() {
  const error = useRouteError();
  const shell = useRouteLoaderData<typeof loader>("routes/_app");
  return shell ? (
    <AppShell {...shell}>
      <ErrorPage error={error} />
    </AppShell>
  ) : (
    <ErrorPage error={error} />
  );
}
