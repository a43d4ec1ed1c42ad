// The import routes over HTTP against the real production server: the JSON API with a
// bearer token, the upload endpoint (preview then confirm), the pages each role may open,
// templates, and the error report download.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../http/client";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "../http/server";
import { defaultWardId } from "~/server/ward.server";
import { envelope, registerFacilities, sheetsOf, TEST_FACILITY_CODES, xlsxBomb } from "./helpers";

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startServer({
    setup: async (db) => {
      await createTestUsers(db);
      await registerFacilities(db, await defaultWardId(db), TEST_FACILITY_CODES);
    },
  });
  token = await createTokenOnServer();
}, 240_000);
afterAll(() => server?.stop());

/** Tokens are hashed with the installation secret, which the server holds: create one through the admin page. */
async function createTokenOnServer(): Promise<string> {
  const admin = await signedIn("quantri");
  const page = await admin.post("/admin/tokens", { intent: "create", name: "Phần mềm TYT", source: "receipts" });
  expect(page.status).toBe(200);
  const m = /(sskdt_[A-Za-z0-9_-]{43})/.exec(await page.text());
  expect(m).not.toBeNull();
  return m![1];
}

/** The result line of an upload endpoint's NDJSON answer. */
async function streamed(response: Response) {
  expect(response.status).toBe(200);
  const last = (await response.text()).trim().split("\n").map((l) => JSON.parse(l)).at(-1);
  expect(last.type).toBe("result");
  return last;
}

async function signedIn(username: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.signIn(username, TEST_PASSWORD)).status).toBe(302);
  return client;
}

describe("POST /api/v1/:source", () => {
  it("imports a JSON push with a bearer token and refuses without one", async () => {
    const rows = [{ maCSKCB: "38120", maLK: "H1", maGiaoDich: "GDH1", thoiGianTiepNhan: "20260304100000", maKetQua: "200", thongDiep: "OK" }];
    const send = (auth: string | null) => fetch(`${server.url}/api/v1/receipts`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: JSON.stringify(rows),
    });
    const ok = await send(token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "committed", counts: { new: 1 } });
    expect((await send(null)).status).toBe(401);
    const wrongSource = await fetch(`${server.url}/api/v1/onboarding`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: "[]" });
    expect(wrongSource.status).toBe(403);
    expect(await server.db.selectFrom("gateway_receipt").select("ma_lk").execute()).toEqual([{ ma_lk: "H1" }]);
  });
});

describe("upload page", () => {
  it("shows each role only its sources, and is closed to roles that import nothing", async () => {
    const health = await signedIn("tramyte");
    const page = await (await health.get("/import")).text();
    expect(page).toContain("Kết quả gửi hồ sơ lên Cổng giám định BHYT");
    expect(page).not.toContain("Dân số trong diện theo khối");
    expect(page).toContain('href="/import-templates/receipts"');
    const finance = await signedIn("taichinh");
    expect((await finance.get("/import")).status).toBe(403);
    expect((await finance.get("/import-templates/receipts")).status).toBe(403);
  });

  it("previews an upload (nothing written), confirms it, and lists it in the history with its error report", async () => {
    const health = await signedIn("tramyte");
    const form = new FormData();
    form.append("files", new File([envelope([{ MA_LK: "HU1", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }, { MA_LK: "", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }])], "ho-so.xml"));
    const preview = await health.request("/import/upload?intent=preview", { method: "POST", body: form });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-type")).toMatch(/ndjson/);
    const lines = (await preview.text()).trim().split("\n").map((l) => JSON.parse(l));
    const result = lines.at(-1);
    expect(result).toMatchObject({ type: "result", dryRun: true, totals: { new: 1, invalid: 1 } });
    expect(await server.db.selectFrom("visit").selectAll().execute()).toEqual([]);

    const someoneElse = await signedIn("quantri");
    expect((await someoneElse.request(`/import/upload?intent=confirm&preview=${result.previewId}`, { method: "POST" })).status).toBe(404);

    const confirm = await health.request(`/import/upload?intent=confirm&preview=${result.previewId}`, { method: "POST" });
    const done = (await confirm.text()).trim().split("\n").map((l) => JSON.parse(l)).at(-1);
    expect(done).toMatchObject({ type: "result", dryRun: false, totals: { new: 1, invalid: 1 } });
    expect((await server.db.selectFrom("visit").select("ma_lk").execute())).toEqual([{ ma_lk: "HU1" }]);

    const history = await (await health.get("/imports")).text();
    expect(history).toContain("ho-so.xml");
    const batch = await server.db.selectFrom("import_batch").select("id").where("file_name", "=", "ho-so.xml").executeTakeFirstOrThrow();
    expect(history).toContain(`/imports/${batch.id}/errors`);
    const report = await health.get(`/imports/${batch.id}/errors`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toContain("spreadsheetml");
    const [list] = await sheetsOf(await report.arrayBuffer());
    expect(list.rows.flat().join(" ")).toContain("Thiếu MA_LK");
  });

  it("offers the rows in error as an .xlsx to their uploader only, after the import too, and then keeps only the reports", async () => {
    const health = await signedIn("tramyte");
    const rows = [["khoi", "so_dinh_danh", "ghi_chu"], ["1", "001090001234", ""], ["1", "01090001234", "mất số 0"]];
    const form = new FormData();
    form.append("files", new File([rows.map((r) => r.join(",")).join("\n")], "ho-tro-khoi-1.csv"));
    // The health station may not import onboarding: the file is refused whole, and its report says why.
    const refused = await streamed(await health.request("/import/upload?intent=preview", { method: "POST", body: form }));
    expect(refused).toMatchObject({ previewId: null, reportsOf: null, totals: { refused: 1 } });
    expect(refused.files[0].errorReport).toBeUndefined();

    const police = await signedIn("congan");
    const preview = await streamed(await police.request("/import/upload?intent=preview", { method: "POST", body: form }));
    expect(preview).toMatchObject({ dryRun: true, totals: { new: 1, invalid: 1 } });
    const file = preview.files[0].errorReport;
    expect(file).toBe("loi-0001.xlsx");
    expect(preview.reportsOf).toBe(preview.previewId);
    const url = `/import/report?preview=${preview.previewId}&file=${file}`;

    const download = await police.get(url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="loi-ho-tro-khoi-1.xlsx"');
    expect(download.headers.get("cache-control")).toContain("no-store");
    const [sheet] = await sheetsOf(await download.arrayBuffer());
    expect(sheet.rows).toEqual([["khoi", "so_dinh_danh", "ghi_chu", "Lỗi"], ["1", "01090001234", "mất số 0", expect.stringMatching(/^Dòng 3: .*12 chữ số/)]]);
    // Nobody else gets it, not even the administrator.
    expect((await health.get(url)).status).toBe(404);
    expect((await (await signedIn("quantri")).get(url)).status).toBe(404);
    expect((await police.get(`/import/report?preview=${preview.previewId}&file=../preview.json`)).status).toBe(404);

    const folder = path.join(server.dataDir, "previews", preview.previewId);
    const done = await streamed(await police.request(`/import/upload?intent=confirm&preview=${preview.previewId}`, { method: "POST" }));
    expect(done).toMatchObject({ dryRun: false, previewId: null, reportsOf: preview.previewId, totals: { new: 1, invalid: 1 } });
    // The upload is gone once imported; its error report stays for the hour, and cannot be confirmed again.
    expect(fs.readdirSync(folder).sort()).toEqual(["loi-0001.xlsx", "preview.json"]);
    expect((await police.get(url)).status).toBe(200);
    expect((await police.request(`/import/upload?intent=confirm&preview=${preview.previewId}`, { method: "POST" })).status).toBe(404);
    const audit = await server.db.selectFrom("audit_log").select(["action", "target"]).where("target", "like", "error_report:%").execute();
    expect(audit).toEqual([{ action: "download", target: "error_report:ho-tro-khoi-1.csv" }, { action: "download", target: "error_report:ho-tro-khoi-1.csv" }]);
    // Cancel deletes what is left.
    expect((await police.request(`/import/upload?intent=cancel&preview=${preview.previewId}`, { method: "POST" })).status).toBe(200);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it("refuses an .xlsx zip bomb (3 MB sent, 3 GB unpacked) by its declared size, before exceljs inflates it", async () => {
    const bomb = xlsxBomb(3000);
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const health = await signedIn("tramyte");
    const form = new FormData();
    form.append("files", new File([new Uint8Array(bomb)], "bao-cao.xlsx"));
    const started = Date.now();
    const preview = await health.request("/import/upload?intent=preview", { method: "POST", body: form });
    const result = (await preview.text()).trim().split("\n").map((l) => JSON.parse(l)).at(-1);
    expect(result).toMatchObject({ type: "result", totals: { files: 1, refused: 1 } });
    expect(result.files[0].errors[0].reason).toMatch(/Tệp Excel có phần giải nén ra 3000,0 MB, vượt giới hạn 512,0 MB/);
    expect(Date.now() - started).toBeLessThan(5000); // inflating 3 GB would take far longer
  });

  it("refuses an upload over the file limit or over the total limit, keeping nothing on disk", async () => {
    const previews = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-previews-test-"));
    const small = await startServer({
      setup: createTestUsers,
      env: { SSKDT_IMPORT_MAX_FILE_BYTES: String(1024 * 1024), SSKDT_IMPORT_MAX_UNPACKED_BYTES: String(2 * 1024 * 1024), SSKDT_PREVIEW_DIR: previews },
    });
    try {
      const health = new Client(small.url);
      expect((await health.signIn("tramyte", TEST_PASSWORD)).status).toBe(302);
      const upload = async (sizes: number[]) => {
        const form = new FormData();
        sizes.forEach((size, i) => form.append("files", new File([new Uint8Array(size).fill(0x20)], `tep-${i}.csv`)));
        const response = await health.request("/import/upload?intent=preview", { method: "POST", body: form });
        return { status: response.status, body: (await response.json()) as { message: string } };
      };
      const tooBig = await upload([1024 * 1024 + 1]);
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.message).toMatch(/Tệp "tep-0.csv" vượt giới hạn 1,0 MB/);
      const tooMany = await upload([900_000, 900_000, 900_000]);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toMatch(/vượt giới hạn 2,0 MB tổng cộng/);
      expect(fs.readdirSync(previews)).toEqual([]);
    } finally {
      await small.stop();
      fs.rmSync(previews, { recursive: true, force: true });
    }
  });

  it("serves an .xlsx template", async () => {
    const police = await signedIn("congan");
    const response = await police.get("/import-templates/onboarding");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("mau-nhap-onboarding.xlsx");
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
  });
});
