// Server rendering (Remix's Node entry, with the CSP nonce), and the start-up hook the
// production server calls: it shares this build's modules, hence one database client.
import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { getDb } from "./server/db.server";
import { env } from "./server/env.server";
import { bootstrap as bootstrapWith } from "./server/bootstrap.server";
import { maintenanceSettings, startMaintenance } from "./server/backup.server";
import { clearPrivateTemp } from "./server/import/sources.server";
import { startPreviewSweeper } from "./server/import/upload.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce?: string;
  }
}

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: { cspNonce?: string },
) {
  const nonce = loadContext.cspNonce ?? "";
  // Crawlers and the SPA build get the whole page at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell is ready reject and are logged by Remix.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // A mistyped address is not a fault worth a stack trace in the log.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status === 404)) return;
  console.error(error);
};

/** Migrates, creates the ward, and the first accounts (demo or admin); see bootstrap.server.ts. */
export async function bootstrap(log: (line: string) => void = console.log) {
  const e = env(); // first: a setting that stops the server stops it before anything is opened
  const db = await getDb();
  await bootstrapWith({ db, env: e, log });
  startPreviewSweeper();
  clearPrivateTemp();
  // The daily backup and audit retention run inside the server process.
  const daily = maintenanceSettings();
  if (daily.SSKDT_BACKUP_KEEP > 0 || daily.SSKDT_AUDIT_RETENTION_DAYS > 0) startMaintenance(db, daily, log);
}

export { serveImportJobs, useImportWorker } from "./server/import/worker.server";
