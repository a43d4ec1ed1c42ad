import { expect } from "vitest";

// A cookie-keeping HTTP client for the server tests: one session, redirects not followed.
export class Client {
  cookie: string | null = null;

  constructor(readonly baseUrl: string) {}

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { method: "GET", headers });
  }

  post(path: string, form: Record<string, string>) {
    return this.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }

  /**
   * As a browser does, a POST says which page it comes from (Origin: this site) unless the
   * test gives its own; an empty Origin sends none.
   */
  async request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("Cookie", this.cookie);
    const method = (init.method ?? "GET").toUpperCase();
    if (!headers.has("Origin") && !headers.has("Referer") && !["GET", "HEAD"].includes(method)) headers.set("Origin", new URL(this.baseUrl).origin);
    if (headers.get("Origin") === "") headers.delete("Origin");
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(";");
      const cleared = /max-age=0|expires=thu, 01 jan 1970/i.test(setCookie) || pair.endsWith("=");
      this.cookie = cleared ? null : pair;
    }
    return response;
  }

  /** Posts the sign-in form; the response is the redirect (302) or the form again with its message. */
  signIn(username: string, password: string, redirectTo?: string) {
    return this.post("/login", { username, password, ...(redirectTo === undefined ? {} : { redirectTo }) });
  }
}

/** The page's visible text: what is inside <main>, tags and scripts removed. */
export async function mainText(response: Response): Promise<string> {
  const html = await response.text();
  const main = /<main>([\s\S]*)<\/main>/.exec(html)?.[1] ?? "";
  return main
    .replace(/<!-- -->/g, "") // React's separator between adjacent text nodes
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&nbsp;|\s+/g, " ");
}

/** A client signed in as `username` (the sign-in must succeed). */
export async function signedInClient(baseUrl: string, username: string, password: string): Promise<Client> {
  const client = new Client(baseUrl);
  expect((await client.signIn(username, password)).status).toBe(302);
  return client;
}
