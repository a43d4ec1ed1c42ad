#!/usr/bin/env node
// The production web server: Express in front of the Remix build, with security headers
// (helmet, a CSP with a fresh nonce per request), long caching for fingerprinted assets,
// and the start-up bootstrap (migrations, ward, first accounts) before it listens.
// The build is found next to this script (../build), so a copied installation runs as is.
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { createRequestHandler } from "@remix-run/express";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = await import(pathToFileURL(path.join(root, "build/server/index.js")).href);

// One module instance: the bootstrap and the request handler share the database client.
// A setting that stops the server (no secret in production…) is said plainly, without a stack.
try {
  await build.entry.module.bootstrap();
} catch (error) {
  if (error?.name !== "ConfigurationError") throw error;
  console.error(`SSKĐT dashboard not started: ${error.message}`);
  process.exit(1);
}
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

// The addresses this server answers to: this machine's own names (localhost, 127.0.0.1,
// [::1]) on any port, and those SSKDT_PUBLIC_ORIGIN names (comma-separated), e.g.
// "https://sskdt.phuong.gov.vn,http://192.168.1.10:3000". A request for another Host is
// refused: a DNS-rebinding page cannot talk to the server under a name of its own.
const publicOrigins = (process.env.SSKDT_PUBLIC_ORIGIN ?? "").split(",").map((o) => o.trim()).filter(Boolean).map((o) => new URL(o).origin);
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);
const trustedProxy = app.get("trust proxy fn");

/** The origin the request was sent to, as the browser saw it (from the local reverse proxy: what it forwarded). */
function requestedOrigin(req) {
  const forwarded = trustedProxy(req.socket.remoteAddress, 0) ? req.headers["x-forwarded-host"]?.split(",")[0].trim() : undefined;
  const host = (forwarded || req.headers.host || "").toLowerCase();
  try {
    return new URL(`${req.protocol}://${host}`);
  } catch {
    return null;
  }
}

/** This machine's own names always work (an administrator at the server's keyboard); others as configured. */
function isServedHost(url) {
  if (!url) return false;
  return LOOPBACK_NAMES.has(url.hostname) || publicOrigins.some((o) => new URL(o).host === url.host);
}

// Cross-site request forgery: a state-changing request from a browser must come from a
// page of this site. Browsers send Origin with every POST (Referer as a fallback); its
// scheme, host and port must be those of the site: one of SSKDT_PUBLIC_ORIGIN, or (without
// it) the scheme and host the request was sent to. A request with a cookie but neither
// header is refused too; one without a cookie carries nobody's session. A page cannot make
// a browser send a bearer token (a browser may add Basic credentials by itself, so only
// "Authorization: Bearer" is let through).
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function fromThisSite(req) {
  const source = req.headers.origin || req.headers.referer;
  if (!source) return !req.headers.cookie;
  let origin;
  try {
    origin = new URL(source).origin;
  } catch {
    return false; // garbage
  }
  if (origin === "null") return false; // a sandboxed frame, a hidden referrer
  if (publicOrigins.includes(origin)) return true;
  const requested = requestedOrigin(req);
  return Boolean(requested && LOOPBACK_NAMES.has(requested.hostname) && origin === requested.origin);
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

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS"]);

app.use((req, res, next) => {
  // TRACE echoes the request (cookies included); PUT, DELETE… are not used.
  if (!KNOWN_METHODS.has(req.method)) return res.status(405).set("Allow", [...KNOWN_METHODS].join(", ")).type("text/plain; charset=utf-8").send("Phương thức không được hỗ trợ.");
  if (!isServedHost(requestedOrigin(req))) {
    return res.status(421).type("text/plain; charset=utf-8").send("Địa chỉ này không phải của máy chủ (Host không khớp SSKDT_PUBLIC_ORIGIN).");
  }
  if (SAFE_METHODS.has(req.method) || /^bearer\s/i.test(req.headers.authorization ?? "") || fromThisSite(req)) return next();
  res.status(403).type("text/plain; charset=utf-8").send("Yêu cầu bị từ chối: gửi từ trang khác (Origin không khớp).");
});

// Bodies are bounded before anything reads them: uploads and API pushes have their own
// limits, applied as they stream in; every other request is a small form. A body of unknown
// length (chunked) is refused there: browsers always send the length of a form.
const FORM_BODY_BYTES = 64 * 1024;
const STREAMED_BODIES = /^\/(import\/upload|api\/v1\/)/;
app.use((req, res, next) => {
  if (SAFE_METHODS.has(req.method) || STREAMED_BODIES.test(req.path)) return next();
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"]) return res.status(411).type("text/plain; charset=utf-8").send("Cần tiêu đề Content-Length.");
  if (Number(length ?? 0) > FORM_BODY_BYTES) {
    res.status(413).set("Connection", "close").type("text/plain; charset=utf-8").send("Dữ liệu gửi lên quá lớn.");
    return req.destroy();
  }
  next();
});

// Brotli or gzip for what compresses (pages, scripts, styles, JSON): a phone on a slow
// link loads the dashboard in a third of the bytes. The import's streamed progress
// (NDJSON) is left alone, or each line would wait in the compressor's buffer.
if (process.env.SSKDT_COMPRESSION !== "0") {
  app.use(compression({ filter: (req, res) => !req.path.startsWith("/import/upload") && compression.filter(req, res) }));
}

// Fingerprinted files never change: cache them for a year.
app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));

// Pages and data are per user: never kept by a browser or a proxy cache (a response that
// says otherwise, a download say, sets its own).
app.use((_req, res, next) => {
  res.set("Cache-Control", "no-store");
  const append = res.append.bind(res);
  res.append = (field, value) => {
    if (String(field).toLowerCase() === "cache-control") res.removeHeader("Cache-Control");
    return append(field, value);
  };
  next();
});

app.all("*", createRequestHandler({ build, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }) }));

// HOST chooses the listening address (e.g. 127.0.0.1 behind a reverse proxy); by default every one.
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || undefined;
const server = app.listen(port, host, () => {
  const { port: actual, address } = server.address();
  console.log(`SSKĐT dashboard listening on http://${host ?? "localhost"}:${actual} (address ${address})`);
  console.log(publicOrigins.length ? `Serving ${publicOrigins.join(", ")}` : "Serving this machine only (localhost); set SSKDT_PUBLIC_ORIGIN to serve other addresses.");
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
