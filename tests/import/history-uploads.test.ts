// The import history one row per upload: a run's files together, two runs apart even
// in the same second, a block committee's view limited to its own block's uploads.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import type { CurrentUser } from "~/server/guard.server";
import { listImportUploads } from "~/server/import/history.server";
import { asUser, csv, importOne, importTexts, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

describe("import history by upload", () => {
  it("shows one row per upload with its files and totals", async () => {
    const admin = await asUser(db, wardId, "quan_tri");
    await importTexts(db, admin, {
      "ho-tro-3.csv": csv([["khoi", "so_dinh_danh"], ["3", "040090001234"], ["3", "12"]]),
      "ho-tro-4.csv": csv([["khoi", "so_dinh_danh"], ["4", "040090001235"]]),
    });
    await importOne(db, admin, "dan-so.csv", "khoi,ngay_hieu_luc,dan_so\n1,01/01/2026,10\n");
    const viewer: CurrentUser = { id: 0, wardId, username: "admin", displayName: "Admin", role: "quan_tri", blockId: null };
    const { uploads, total } = await listImportUploads(db, viewer, 1, 50);
    expect(total).toBe(2);
    expect(uploads.map((u) => u.files.map((f) => f.fileName))).toEqual([["dan-so.csv"], ["ho-tro-3.csv", "ho-tro-4.csv"]]);
    expect(uploads[1].counts).toEqual({ new: 2, updated: 0, unchanged: 0, invalid: 1 });
    expect(uploads[1].refused).toBe(0);
    // Paging counts uploads, not files.
    expect((await listImportUploads(db, viewer, 2, 1)).uploads[0].files).toHaveLength(2);
  });
});
