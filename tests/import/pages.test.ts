// The server side of the pages: templates the importer reads back, the upload preview
// store (owner, confirm, cancel) with its streamed progress, and the import history with
// its error report.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import type { CurrentUser } from "~/server/guard.server";
import { errorReportList, listImportBatches } from "~/server/import/history.server";
import { listWorkbook } from "~/server/xlsx.server";
import { API_SOURCES, COLUMNS, type ApiSource } from "~/server/import/kinds";
import { buildTemplate } from "~/server/import/templates.server";
import { readPreview, receiveUpload, streamImport, uploadActor, type StreamLine } from "~/server/import/upload.server";
import { createUser } from "~/server/users.server";
import { count, csv, envelope, importOne, testDb, asUser, sheetsOf } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const previews = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-previews-test-"));
beforeAll(() => (process.env.SSKDT_PREVIEW_DIR = previews));
afterAll(() => {
  delete process.env.SSKDT_PREVIEW_DIR;
  fs.rmSync(previews, { recursive: true, force: true });
});

async function user(username: string, role: CurrentUser["role"], blockNumber?: number): Promise<CurrentUser> {
  const u = await createUser(db, { username, displayName: `Người ${username}`, role, blockNumber, password: "mat-khau-thu-nghiem", wardId }, { username: "test" });
  return { id: u.id, wardId, username, displayName: `Người ${username}`, role, blockId: u.blockId };
}

describe("templates", () => {
  it.each(Object.keys(API_SOURCES) as ApiSource[])("the %s template has Vietnamese headers the importer recognises, a valid example, and drop-down lists", async (source) => {
    // The example row names a facility of the ward's own list.
    const facility = await db.selectFrom("facility").select(["code", "name", "kind"]).where("code", "=", "38A15").executeTakeFirstOrThrow();
    const bytes = await buildTemplate(source, ["Khối 1", "Khối 2"], facility);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(COLUMNS[API_SOURCES[source]].filter((c) => !c.extra).map((c) => c.label));
    const coded = COLUMNS[API_SOURCES[source]].filter((c) => !c.extra).findIndex((c) => c.codes || c.name === "khoi");
    if (coded >= 0) expect(sheet.getCell(2, coded + 1).dataValidation).toMatchObject({ type: "list" });
    const outcome = await importOne(db, { wardId, userId: null, tokenId: null, channel: "cli", role: null, blockId: null }, `mau-${source}.xlsx`, bytes);
    expect(outcome).toMatchObject({ kind: API_SOURCES[source], counts: { invalid: 0 } });
    const facilityColumn = COLUMNS[API_SOURCES[source]].findIndex((c) => c.name === "ma_cskcb");
    if (facilityColumn >= 0) expect(sheet.getCell(2, facilityColumn + 1).value).toBe("38A15");
    // The facilities template's example is the ward's own facility as listed: unchanged.
    expect(source === "facilities" ? outcome.counts.unchanged : outcome.counts.new).toBe(1);
  });
});

/** A multipart request as a browser sends it. */
function uploadRequest(files: Record<string, string>): Request {
  const form = new FormData();
  for (const [name, text] of Object.entries(files)) form.append("files", new File([text], name));
  return new Request("http://localhost/import/upload?intent=preview", { method: "POST", body: form });
}

async function linesOf(response: Response): Promise<StreamLine[]> {
  return (await response.text()).trim().split("\n").map((l) => JSON.parse(l));
}

describe("upload preview, confirm, cancel", () => {
  const visit = envelope([{ MA_LK: "U1", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }]);

  it("previews uploaded files without writing, then confirms them for real; the preview is the uploader's own", async () => {
    const health = await user("tramyte", "tram_y_te");
    const preview = await receiveUpload(uploadRequest({ "ho-so.xml": visit, "dan-so.csv": "khoi,ngay_hieu_luc,dan_so\n1,01/01/2026,10\n" }), health);
    expect(preview.files.map((f) => f.name)).toEqual(["ho-so.xml", "dan-so.csv"]);

    const lines = await linesOf(streamImport(db, uploadActor(health, null), preview, true));
    const result = lines.at(-1)!;
    expect(lines.some((l) => l.type === "progress")).toBe(true);
    expect(result).toMatchObject({ type: "result", dryRun: true, previewId: preview.id, totals: { files: 2, new: 1, refused: 1 } });
    if (result.type !== "result") throw new Error("no result");
    expect(result.files.map((f) => [f.name, f.status])).toEqual([["ho-so.xml", "preview"], ["dan-so.csv", "refused"]]);
    expect(result.files[1].errors[0].reason).toMatch(/Trạm Y tế không được nhập loại dữ liệu "Dân số trong diện theo khối"/);
    expect(await count(db, "visit")).toBe(0);
    expect(await count(db, "import_batch")).toBe(0);

    const other = await user("tramyte2", "tram_y_te");
    expect(readPreview(preview.id, other)).toBeNull();
    expect(readPreview("../../etc", health)).toBeNull();

    const done = (await linesOf(streamImport(db, uploadActor(health, "10.0.0.1"), readPreview(preview.id, health)!, false))).at(-1)!;
    expect(done).toMatchObject({ type: "result", dryRun: false, previewId: null, totals: { new: 1 } });
    expect(await count(db, "visit")).toBe(1);
    const batch = await db.selectFrom("import_batch").select(["user_id", "channel"]).where("status", "=", "committed").executeTakeFirstOrThrow();
    expect(batch).toEqual({ user_id: health.id, channel: "upload" });
    expect(readPreview(preview.id, health)).toBeNull(); // used up
  });

  it("refuses an upload with no file", async () => {
    const health = await user("tramyte", "tram_y_te");
    const form = new FormData();
    form.append("note", "x");
    await expect(receiveUpload(new Request("http://localhost/import/upload", { method: "POST", body: form }), health)).rejects.toThrow(/Chưa chọn tệp/);
  });
});

describe("import history", () => {
  it("lists who imported what; a block committee sees only its block's imports; the error list is an .xlsx", async () => {
    const khoi3 = await user("khoi3", "ban_can_su_khoi", 3);
    const khoi4 = await user("khoi4", "ban_can_su_khoi", 4);
    const actor = (u: CurrentUser) => ({ ...uploadActor(u, null) });
    await importOne(db, actor(khoi3), "ho-tro-3.csv", csv([["khoi", "so_dinh_danh"], ["3", "040090001234"], ["3", "12"], ["3", "040"]]));
    await importOne(db, actor(khoi4), "ho-tro-4.csv", csv([["khoi", "so_dinh_danh"], ["4", "040090001235"]]));
    await importOne(db, await asUser(db, wardId, "quan_tri"), "dan-so.csv", "khoi,ngay_hieu_luc,dan_so\n1,01/01/2026,10\n");

    const admin: CurrentUser = { id: 0, wardId, username: "admin", displayName: "Admin", role: "quan_tri", blockId: null };
    expect((await listImportBatches(db, admin, 1, 50)).batches.map((b) => b.fileName)).toEqual(["dan-so.csv", "ho-tro-4.csv", "ho-tro-3.csv"]);
    const own = await listImportBatches(db, khoi3, 1, 50);
    expect(own.total).toBe(1);
    expect(own.batches[0]).toMatchObject({ fileName: "ho-tro-3.csv", who: "Người khoi3", status: "committed", counts: { new: 1, invalid: 2 }, issues: 3 });

    const [sheet] = await sheetsOf(await listWorkbook((await errorReportList(db, khoi3, own.batches[0].id))!));
    expect(sheet.rows[0][0]).toBe(`Báo cáo lỗi nhập tệp ho-tro-3.csv (lô nhập số ${own.batches[0].id})`);
    expect(sheet.rows[2]).toEqual(["Dòng", "Cột", "Mức", "Lý do"]);
    expect(sheet.rows[3]).toEqual([3, "so_dinh_danh", "Lỗi", expect.stringContaining("Số định danh cá nhân phải gồm đúng 12 chữ số")]);
    expect(sheet.rows).toHaveLength(3 + 3);
    expect(await errorReportList(db, khoi4, own.batches[0].id)).toBeNull();
  });
});
