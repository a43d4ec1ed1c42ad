import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import stylesHref from "./styles/app.css?url";
import { ErrorPage } from "./components/error-page";
import { useNonce } from "./components/nonce";
import { APP_NAME } from "./components/page";
import { useVietnameseValidation } from "./components/vietnamese-forms";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: APP_NAME }];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  useVietnameseValidation();
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Errors outside the signed-in layout (and before it has loaded): a page of their own. */
export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
