// Sign-in, sessions, access control and security headers, over HTTP against the real
// production server.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "./server";
import { disableUser } from "~/server/users.server";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ setup: createTestUsers });
});
afterAll(() => server?.stop());

const now = () => Math.floor(Date.now() / 1000);

async function signedIn(username: string): Promise<Client> {
  const client = new Client(server.url);
  const response = await client.signIn(username, TEST_PASSWORD);
  expect(response.status).toBe(302);
  return client;
}

async function auditActions(username: string): Promise<string[]> {
  const rows = await server.db.selectFrom("audit_log").select("action").where("username", "=", username).orderBy("id").execute();
  return rows.map((r) => r.action);
}

describe("sign-in", () => {
  it("shows a Vietnamese sign-in page", async () => {
    const response = await new Client(server.url).get("/login");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="vi"');
    expect(html).toContain("Đăng nhập");
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
  });

  it("signs in, lands each role on its home, with a hardened session cookie", async () => {
    const client = new Client(server.url);
    const response = await client.signIn("lanhdao", TEST_PASSWORD);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/dashboard");
    const cookie = response.headers.getSetCookie().join("\n");
    expect(cookie).toMatch(/sskdt_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i); // NODE_ENV=production
    expect(await auditActions("lanhdao")).toContain("login");

    expect((await new Client(server.url).signIn("taichinh", TEST_PASSWORD)).headers.get("location")).toBe("/budget");
    expect((await new Client(server.url).signIn("quantri", TEST_PASSWORD)).headers.get("location")).toBe("/admin/users");
  });

  it("sends an anonymous visitor to sign in, then back to the page asked for", async () => {
    const client = new Client(server.url);
    const refused = await client.get("/audit?action=login");
    expect(refused.status).toBe(302);
    const location = new URL(refused.headers.get("location")!, server.url);
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("redirectTo")).toBe("/audit?action=login");

    const response = await client.signIn("lanhdao", TEST_PASSWORD, "/audit?action=login");
    expect(response.headers.get("location")).toBe("/audit?action=login");
    expect((await client.get("/audit?action=login")).status).toBe(200);
  });

  it("refuses a wrong password or an unknown user with the same message", async () => {
    for (const [username, password] of [["lanhdao", "sai-mat-khau"], ["khongcoai", TEST_PASSWORD]]) {
      const client = new Client(server.url);
      const response = await client.signIn(username, password);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
      expect(client.cookie).toBeNull();
    }
    expect(await auditActions("khongcoai")).toEqual(["login_failed"]);
  });

  it("locks a username after five failures: the sixth attempt is refused even with the right password", async () => {
    const client = new Client(server.url);
    for (let i = 0; i < 5; i++) expect((await client.signIn("vanhoa", `sai-${i}-mat-khau`)).status).toBe(401);
    const locked = await client.signIn("vanhoa", TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(await locked.text()).toMatch(/Tài khoản tạm khóa do đăng nhập sai 5 lần\. Vui lòng thử lại sau 1[45] phút\./);
    expect(client.cookie).toBeNull();
    expect(await auditActions("vanhoa")).toEqual([...Array(5).fill("login_failed"), "login_locked"]);

    // Another account is not affected.
    expect((await new Client(server.url).signIn("congan", TEST_PASSWORD)).status).toBe(302);

    // Once the failures are more than 15 minutes old, the right password works again.
    await server.db.updateTable("login_throttle").set((eb) => ({ window_start: eb("window_start", "-", 15 * 60 + 1) })).execute();
    expect((await client.signIn("vanhoa", TEST_PASSWORD)).status).toBe(302);
  });

  it("follows only same-site relative redirects after sign-in", async () => {
    for (const evil of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      const response = await new Client(server.url).signIn("lanhdao", TEST_PASSWORD, evil);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/dashboard");
    }
    const client = await signedIn("lanhdao");
    const already = await client.get("/login?redirectTo=%2F%2Fevil.example");
    expect(already.headers.get("location")).toBe("/dashboard");
  });

  it("refuses a disabled account and ends its sessions", async () => {
    const client = await signedIn("tramyte");
    await disableUser(server.db, "tramyte");
    expect((await client.get("/reports")).status).toBe(302);
    const response = await new Client(server.url).signIn("tramyte", TEST_PASSWORD);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Tài khoản đã bị khóa");
  });
});

describe("sessions", () => {
  it("signs out: the session row is deleted and the old cookie no longer works", async () => {
    const client = await signedIn("lanhdao");
    const cookie = client.cookie!;
    expect((await client.get("/audit")).status).toBe(200);
    const before = await server.db.selectFrom("session").select("id").execute();

    const response = await client.post("/logout", {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?signedOut=1");
    expect(await (await client.get("/login?signedOut=1")).text()).toContain("Bạn đã đăng xuất.");
    expect(client.cookie).toBeNull();
    expect(await server.db.selectFrom("session").select("id").execute()).toHaveLength(before.length - 1);

    client.cookie = cookie;
    expect((await client.get("/audit")).status).toBe(302);
    expect((await auditActions("lanhdao")).at(-1)).toBe("logout");
  });

  it("gives a fresh session id at every sign-in, and stores only its SHA-256", async () => {
    /** The session id inside the signed cookie (Remix: base64 JSON, a dot, the signature). */
    const idOf = (cookie: string) => {
      const value = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1));
      return JSON.parse(Buffer.from(value.slice(0, value.lastIndexOf(".")), "base64").toString("utf8")) as string;
    };
    const stored = async () => (await server.db.selectFrom("session").select("id").execute()).map((r) => r.id);
    const client = await signedIn("lanhdao");
    const first = idOf(client.cookie!);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await stored()).not.toContain(first);
    expect(await stored()).toContain(crypto.createHash("sha256").update(first).digest("hex"));

    // Signing in again with the cookie in hand: a new id, and the old one is gone.
    expect((await client.signIn("lanhdao", TEST_PASSWORD)).status).toBe(302);
    const second = idOf(client.cookie!);
    expect(second).not.toBe(first);
    expect(await stored()).not.toContain(crypto.createHash("sha256").update(first).digest("hex"));
    expect((await client.get("/audit")).status).toBe(200);
  });

  it("slides the idle timer on use and ends the session after 30 idle minutes", async () => {
    const ids = async () => (await server.db.selectFrom("session").select("id").execute()).map((r) => r.id);
    const before = await ids();
    const client = await signedIn("quantri");
    const [id] = (await ids()).filter((i) => !before.includes(i));
    const sessions = () => server.db.selectFrom("session").select("last_seen_at").where("id", "=", id).execute();
    const ageSession = (seconds: number) => server.db.updateTable("session").set({ last_seen_at: now() - seconds }).where("id", "=", id).execute();

    await ageSession(29 * 60);
    expect((await client.get("/admin/users")).status).toBe(200);
    const [row] = await sessions();
    expect(now() - row.last_seen_at).toBeLessThan(5);

    await ageSession(30 * 60 + 1);
    const expired = await client.get("/admin/users");
    expect(expired.status).toBe(302);
    expect(expired.headers.get("location")).toBe("/login?redirectTo=%2Fadmin%2Fusers&expired=1");
    expect((await auditActions("quantri")).at(-1)).toBe("session_expired");
    expect(await sessions()).toEqual([]);
    const page = await new Client(server.url).get(expired.headers.get("location")!);
    expect(await page.text()).toContain("Phiên làm việc đã hết hạn");
  });

  it("takes the idle timeout from SSKDT_SESSION_IDLE_SECONDS", async () => {
    const short = await startServer({ env: { SSKDT_SESSION_IDLE_SECONDS: "1" }, setup: createTestUsers });
    try {
      const client = new Client(short.url);
      expect((await client.signIn("lanhdao", TEST_PASSWORD)).status).toBe(302);
      await new Promise((r) => setTimeout(r, 2500));
      const response = await client.get("/audit");
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toContain("expired=1");
    } finally {
      await short.stop();
    }
  });
});

describe("access control", () => {
  it("gives a block committee a Vietnamese 403 on pages it may not see, audited, and a menu without them", async () => {
    const client = await signedIn("khoi3");
    for (const path of ["/audit", "/admin/users", "/admin/settings", "/budget", "/reports"]) {
      const response = await client.get(path);
      expect(response.status, path).toBe(403);
      const html = await response.text();
      expect(html).toContain("Bạn không có quyền truy cập trang này");
      expect(html).toContain("Khối 3"); // the page keeps the signed-in frame
    }
    const denied = await server.db.selectFrom("audit_log").select(["target", "detail"]).where("username", "=", "khoi3").where("action", "=", "access_denied").execute();
    expect(denied.map((d) => d.target)).toEqual(["/audit", "/admin/users", "/admin/settings", "/budget", "/reports"]);
    expect(JSON.parse(denied[0].detail!)).toEqual({ permission: "view:audit" });
  });

  it("audits a refused import page, upload and template like every other refusal", async () => {
    const client = await signedIn("taichinh");
    expect((await client.get("/import")).status).toBe(403);
    expect((await client.get("/import-templates/visits")).status).toBe(403);
    const denied = await server.db.selectFrom("audit_log").select("target").where("username", "=", "taichinh").where("action", "=", "access_denied").execute();
    expect(denied.map((d) => d.target)).toEqual(["/import", "/import-templates/visits"]);
  });

  it("shows the ward, the user, the role and only the permitted sections in the frame", async () => {
    const client = await signedIn("taichinh");
    const html = await (await client.get("/budget")).text();
    expect(html).toContain("Phường Thí Điểm");
    expect(html).toContain("Hoàng Văn Tài Chính");
    expect(html).toContain("Công chức Tài chính - Kế toán");
    expect(html).toContain("<h1>Kinh phí</h1>");
    const links = [...html.matchAll(/<nav class="mainnav"[\s\S]*?<\/nav>/g)][0][0].match(/href="[^"]+"/g);
    expect(links).toEqual(['href="/dashboard"', 'href="/imports"', 'href="/plan"', 'href="/urge"', 'href="/budget"', 'href="/reports"']);
  });
});

describe("security headers", () => {
  it("sends a nonce-based CSP and the other hardening headers, and no X-Powered-By", async () => {
    const response = await new Client(server.url).get("/login");
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-powered-by")).toBeNull();

    const second = await new Client(server.url).get("/login");
    expect(second.headers.get("content-security-policy")).not.toContain(nonce!);
  });

  it("caches fingerprinted assets for a year and serves the favicon", async () => {
    const html = await (await new Client(server.url).get("/login")).text();
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    const asset = await fetch(new URL(css, server.url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("cache-control")).toContain("max-age=31536000");
    expect((await fetch(new URL("/favicon.ico", server.url))).status).toBe(200);
  });
});
