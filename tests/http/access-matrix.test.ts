// The access matrix, proven on the real server: every route file in app/routes must have
// an entry in app/domain/access-matrix.ts, and every probe there is requested, GET and
// POST, as anonymous, as every role and (on the API) as a token of every scope; each
// status must be the one the table promises.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_MATRIX, FACILITY_TOKEN_CODE, LAYOUT, TOKEN_KINDS, expectedOutcome, type Caller, type Outcome, type Probe } from "~/domain/access-matrix";
import { can, ROLES, type Role } from "~/domain/permissions";
import { setInstallationSecret } from "~/server/crypto.server";
import { importRows } from "~/server/import/pipeline.server";
import { API_SOURCES } from "~/server/import/kinds";
import { startSession } from "~/server/session.server";
import { createApiToken } from "~/server/tokens.server";
import { ROOT, TEST_USERS, createTestUsers, startServer, type TestServer } from "./server";

const ROUTES_DIR = path.join(ROOT, "app", "routes");
const MATRIX_FILE = "app/domain/access-matrix.ts";

/** The route modules as Remix's flat routes see them: files, or folders holding a route file. */
function routeFiles(): string[] {
  return fs.readdirSync(ROUTES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() || /\.(tsx?|jsx?)$/.test(e.name))
    .filter((e) => !/\.test\.[jt]sx?$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

function moduleSource(name: string): string {
  const p = path.join(ROUTES_DIR, name);
  if (!fs.statSync(p).isDirectory()) return fs.readFileSync(p, "utf8");
  const inner = fs.readdirSync(p).find((f) => /^route\.[jt]sx?$/.test(f));
  return inner ? fs.readFileSync(path.join(p, inner), "utf8") : "";
}

const exports_ = (source: string, name: string) => new RegExp(`export\\s+(async\\s+)?(function|const|let)\\s+${name}\\b`).test(source);

describe("the access matrix covers every route", () => {
  it("has an entry for every route file, and none for a file that is gone", () => {
    const files = routeFiles();
    const missing = files.filter((f) => !(f in ACCESS_MATRIX));
    const stale = Object.keys(ACCESS_MATRIX).filter((k) => !files.includes(k));
    const messages = [
      ...missing.map((f) => `app/routes/${f} has no entry in ACCESS_MATRIX (${MATRIX_FILE}): add one line, e.g. "${f}": { path: "/…", get: "view:…", post: "none" },`),
      ...stale.map((k) => `ACCESS_MATRIX (${MATRIX_FILE}) has an entry "${k}" but app/routes/${k} does not exist`),
    ];
    expect(messages, messages.join("\n")).toEqual([]);
  });

  it("declares a GET rule exactly where the module has a loader, and a POST rule where it has an action", () => {
    const messages: string[] = [];
    for (const [file, entry] of Object.entries(ACCESS_MATRIX)) {
      if (entry === LAYOUT || !fs.existsSync(path.join(ROUTES_DIR, file))) continue;
      const source = moduleSource(file);
      for (const probe of [entry].flat()) {
        for (const [method, fn] of [["get", "loader"], ["post", "action"]] as const) {
          const has = exports_(source, fn);
          if (has && probe[method] === "none") messages.push(`${file} exports ${fn} but its matrix entry says ${method}: "none"`);
          if (!has && probe[method] !== "none" && !(typeof probe[method] === "object" && !Array.isArray(probe[method]))) {
            messages.push(`${file} has no ${fn} but its matrix entry gives ${method} a permission`);
          }
        }
      }
    }
    expect(messages, messages.join("\n")).toEqual([]);
  });
});

describe("the access matrix holds on the running server", () => {
  const secret = crypto.randomBytes(32).toString("hex");
  let server: TestServer;
  const userIds = new Map<Role, number>();
  const tokens = new Map<string, string>();
  const batches: Record<string, number> = {};

  beforeAll(async () => {
    setInstallationSecret(secret);
    server = await startServer({
      env: { SSKDT_SECRET: secret, SSKDT_API_RATE_PER_MINUTE: "10000" },
      setup: async (db) => {
        await createTestUsers(db);
        const users = await db.selectFrom("app_user").select(["id", "username", "role", "block_id", "ward_id"]).execute();
        for (const u of users) userIds.set(u.role as Role, u.id);
        const wardId = users[0].ward_id;
        for (const scope of TOKEN_KINDS) {
          const { token } = await createApiToken(
            db,
            scope === "facility"
              ? { wardId, name: "phòng khám", facilityCode: FACILITY_TOKEN_CODE }
              : scope === "read"
                ? { wardId, name: "đọc chỉ số", scope: "read" }
                : { wardId, name: `nguồn ${scope}`, source: scope },
            { userId: null, username: "test" },
          );
          tokens.set(scope, token);
        }
        // One import by the block committee (its block), one by the health station.
        const actor = (role: Role) => {
          const u = users.find((x) => x.role === role)!;
          return { wardId, userId: u.id, tokenId: null, channel: "upload" as const, role, blockId: u.block_id, username: u.username };
        };
        batches["own-batch"] = (await importRows(db, actor("ban_can_su_khoi"), API_SOURCES.onboarding, "ho-tro.csv", [{ khoi: "Khối 3" }])).batchId!;
        batches["other-batch"] = (await importRows(db, actor("tram_y_te"), API_SOURCES.visits, "luot-kham.csv", [{ ma_lk: "X" }])).batchId!;
      },
    });
  }, 120_000);
  afterAll(() => server?.stop());

  const callers: Caller[] = ["anonymous", ...ROLES, ...TOKEN_KINDS.map((s) => `token:${s}` as const)];

  async function request(probe: Probe, method: "GET" | "POST", caller: Caller): Promise<Response> {
    const url = new URL(probe.path.replace(/\{([a-z-]+)\}/g, (_, k: string) => String(batches[k])), server.url);
    const api = url.pathname.startsWith("/api/");
    const headers = new Headers();
    if (caller.startsWith("token:")) headers.set("Authorization", `Bearer ${tokens.get(caller.slice(6))}`);
    else if (caller !== "anonymous") {
      // A fresh session each time: a POST /logout must not end the next request's.
      const cookie = await startSession(server.db, userIds.get(caller as Role)!, { ip: null, userAgent: "access-matrix" });
      headers.set("Cookie", cookie.split(";")[0]);
    }
    let body: string | undefined;
    if (method === "POST") {
      headers.set("Origin", server.url);
      headers.set("Content-Type", api ? "application/json" : "application/x-www-form-urlencoded");
      body = api ? "[]" : "";
    }
    return fetch(url, { method, headers, body, redirect: "manual" });
  }

  function matches(outcome: Outcome, response: Response): boolean {
    const location = response.headers.get("location") ?? "";
    if (outcome === "login") return response.status === 302 && location.startsWith("/login");
    if (outcome === "redirect") return (response.status === 302 || response.status === 303) && !location.startsWith("/login");
    return response.status === outcome;
  }

  it("answers every route, as every caller, as the table says", async () => {
    const jobs: Array<() => Promise<string | null>> = [];
    for (const [file, entry] of Object.entries(ACCESS_MATRIX)) {
      if (entry === LAYOUT) continue;
      for (const probe of [entry].flat()) {
        const api = probe.path.startsWith("/api/");
        for (const method of ["GET", "POST"] as const) {
          const rule = method === "GET" ? probe.get : probe.post;
          const ok = (method === "GET" ? probe.ok?.get : probe.ok?.post) ?? 200;
          // Tokens open no page: they are tried on the API only (on a page they are nobody).
          for (const caller of callers.filter((c) => api || !c.startsWith("token:") || c === "token:visits")) {
            const expected = expectedOutcome(rule, caller, ok, can);
            jobs.push(async () => {
              const response = await request(probe, method, caller);
              await response.arrayBuffer();
              return matches(expected, response)
                ? null
                : `${method} ${probe.path} (${file}) as ${caller}: expected ${expected}, got ${response.status}${response.headers.get("location") ? ` → ${response.headers.get("location")}` : ""}`;
            });
          }
        }
      }
    }
    const failures: string[] = [];
    const queue = [...jobs];
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const failure = await job();
        if (failure) failures.push(failure);
      }
    }));
    expect(jobs.length).toBeGreaterThan(300);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 180_000);

  it("the block committee in the table is bound to its block", () => {
    expect(TEST_USERS.find((u) => u.role === "ban_can_su_khoi")?.blockNumber).toBe(3);
  });
});
