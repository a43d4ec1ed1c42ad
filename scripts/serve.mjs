#!/usr/bin/env node
// The production web server: Express in front of the Remix build, with security headers
// (helmet, a CSP with a fresh nonce per request), long caching for fingerprinted assets,
// and the start-up bootstrap (migrations, ward, first accounts) before it listens.
// The build is found next to this script (../build), so a copied installation runs as is.
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import helmet from "helmet";
import { createRequestHandler } from "@remix-run/express";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = await import(pathToFileURL(path.join(root, "build/server/index.js")).href);

// One module instance: the bootstrap and the request handler share the database client.
await build.entry.module.bootstrap();
// Previews and imports of the upload page run in a worker thread, off the request loop.
build.entry.module.useImportWorker(path.join(root, "scripts", "import-worker.mjs"));

const app = express();
app.disable("x-powered-by");
// X-Forwarded-For is believed only from a reverse proxy on this machine.
app.set("trust proxy", "loopback");

app.use((req, res, next) => {
  res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
  // What clientIp() reads; overwritten so a client cannot choose it.
  req.headers["x-sskdt-client-ip"] = (req.ip ?? "").replace(/^::ffff:/, ""); // IPv4 as people write it
  next();
});

// Cross-site request forgery: a state-changing request from a browser must come from a
// page of this site. Browsers send Origin with every POST (Referer as a fallback); it must
// name the host the request was sent to (or, from the local reverse proxy, the host it
// forwarded in X-Forwarded-Host). A request without either comes from no browser, so it
// carries nobody's cookie; a page cannot make a browser send a bearer token (a browser may
// add Basic credentials by itself, so only "Authorization: Bearer" is let through).
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const trustedProxy = app.get("trust proxy fn");

function fromThisSite(req) {
  const source = req.headers.origin ?? req.headers.referer;
  if (source === undefined) return true;
  let host;
  try {
    host = new URL(source).host.toLowerCase();
  } catch {
    return false; // "null" (a sandboxed frame, a hidden referrer) or garbage
  }
  if (host && host === req.headers.host?.toLowerCase()) return true;
  const forwarded = trustedProxy(req.socket.remoteAddress, 0) ? req.headers["x-forwarded-host"]?.split(",")[0].trim().toLowerCase() : undefined;
  return Boolean(host && host === forwarded);
}

app.use(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${res.locals.cspNonce}'`],
        // React and the charts set style attributes; no stylesheet comes from elsewhere.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    referrerPolicy: { policy: "same-origin" },
    frameguard: { action: "deny" },
    // A ward may serve plain HTTP on its LAN: HSTS only when behind HTTPS in production.
    strictTransportSecurity: process.env.NODE_ENV === "production",
    crossOriginEmbedderPolicy: false,
  }),
);

app.use((req, res, next) => {
  if (SAFE_METHODS.has(req.method) || /^bearer\s/i.test(req.headers.authorization ?? "") || fromThisSite(req)) return next();
  res.status(403).type("text/plain; charset=utf-8").send("Yêu cầu bị từ chối: gửi từ trang khác (Origin không khớp).");
});

// Fingerprinted files never change: cache them for a year.
app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));

app.all("*", createRequestHandler({ build, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }) }));

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => {
  const { port: actual } = server.address();
  console.log(`SSKĐT dashboard listening on http://localhost:${actual}`);
});
// Keep idle connections longer than a reverse proxy (or a client busy elsewhere) would wait
// before reusing one, so a request is never written into a connection the server just closed.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
