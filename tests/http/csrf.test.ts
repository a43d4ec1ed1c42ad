// Cross-site request forgery, over HTTP against the real production server: a POST from a
// browser must carry this site's Origin (or Referer); bearer-token API calls and clients
// that are no browser (no Origin, no Referer) are not concerned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "./server";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ setup: createTestUsers, env: { SSKDT_PUBLIC_ORIGIN: "https://sskdt.phuong.example" } });
}, 240_000);
afterAll(() => server?.stop());

const EVIL = "http://evil.example";

/** This machine on another port: another site, say another application on the server. */
function otherPort(): string {
  const url = new URL(server.url);
  url.port = String(Number(url.port) + 1);
  return url.origin;
}

/** A form post as a browser sends it, with the given Origin / Referer headers. */
function postForm(client: Client, path: string, form: Record<string, string>, headers: Record<string, string>) {
  return client.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

async function signedIn(username: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await postForm(client, "/login", { username, password: TEST_PASSWORD }, { Origin: server.url })).status).toBe(302);
  return client;
}

const userExists = async (username: string) =>
  (await server.db.selectFrom("app_user").select("id").where("username", "=", username).executeTakeFirst()) !== undefined;

describe("cross-site form posts", () => {
  it("refuses a sign-in posted from another site, without a session cookie", async () => {
    const client = new Client(server.url);
    const response = await postForm(client, "/login", { username: "quantri", password: TEST_PASSWORD }, { Origin: EVIL });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(client.cookie).toBeNull();
  });

  it("refuses a signed-in administrator's account creation from another site, an opaque origin, or a foreign Referer", async () => {
    const admin = await signedIn("quantri");
    const add = (username: string) => ({ intent: "add", username, displayName: "Người Thử", role: "lanh_dao", password: "mat-khau-rat-dai" });
    const forged: Array<Record<string, string>> = [{ Origin: EVIL }, { Origin: "null" }, { Referer: `${EVIL}/trang.html` }, { Origin: otherPort() }];
    for (const [i, headers] of forged.entries()) {
      const response = await postForm(admin, "/admin/users", add(`gia${i}`), headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await userExists(`gia${i}`)).toBe(false);
    }
    // The same post from the site itself goes through.
    expect((await postForm(admin, "/admin/users", add("that"), { Origin: server.url })).status).toBe(200);
    expect(await userExists("that")).toBe(true);
    expect((await postForm(admin, "/admin/users", add("that2"), { Referer: `${server.url}/admin/users` })).status).toBe(200);
    expect(await userExists("that2")).toBe(true);
  });

  it("refuses a cross-site sign-out and upload; the session survives", async () => {
    const health = await signedIn("tramyte");
    expect((await postForm(health, "/logout", {}, { Origin: EVIL })).status).toBe(403);
    const form = new FormData();
    form.append("files", new File(["MA_LK\n"], "a.csv"));
    expect((await health.request("/import/upload?intent=preview", { method: "POST", body: form, headers: { Origin: EVIL } })).status).toBe(403);
    expect((await health.get("/dashboard")).status).toBe(200);
  });

  it("accepts the host a local reverse proxy forwarded in X-Forwarded-Host", async () => {
    const admin = await signedIn("quantri");
    const response = await postForm(admin, "/admin/users", { intent: "add", username: "quaproxy", displayName: "Qua Proxy", role: "lanh_dao", password: "mat-khau-rat-dai" }, {
      Origin: "https://sskdt.phuong.example", "X-Forwarded-Host": "sskdt.phuong.example", "X-Forwarded-Proto": "https",
    });
    expect(response.status).toBe(200);
    expect(await userExists("quaproxy")).toBe(true);
  });

  it("lets bearer-token API calls through whatever their Origin", async () => {
    const response = await fetch(`${server.url}/api/v1/receipts`, {
      method: "POST",
      headers: { Origin: EVIL, Authorization: "Bearer sskdt_khong-co-khoa-nay", "Content-Type": "application/json" },
      body: "[]",
    });
    expect(response.status).toBe(401); // judged by the token, not refused as a forgery
    expect(response.headers.get("www-authenticate")).toMatch(/Bearer/);
  });
});
