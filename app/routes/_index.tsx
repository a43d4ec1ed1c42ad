import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { homeFor } from "~/components/navigation";
import { currentUser } from "~/server/guard.server";

/** "/" sends a signed-in user to their role's home, anyone else to sign in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await currentUser(request);
  throw redirect(user ? homeFor(user.role) : "/login");
}
