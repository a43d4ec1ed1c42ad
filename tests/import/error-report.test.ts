// The error report of an uploaded file (error-report.server.ts), through the real
// pipeline: the rows in error come back in the file's own columns with a "Lỗi" column,
// all of them, and the report itself, fixed in place, imports again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { importFiles, type FileOutcome } from "~/server/import/pipeline.server";
import { LISTED_ISSUES } from "~/server/import/issues";
import { cliDatabase } from "../metrics/cli";
import { cli, count, csv, envelope, sheetsOf, testDb, xlsxOf } from "./helpers";

let db: DB;
let wardId: number;
let dir: string;
let reports: string;

beforeEach(async () => {
  ({ db, wardId } = await testDb());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-error-report-"));
  reports = path.join(dir, "reports");
  fs.mkdirSync(reports);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Imports files by path, as the upload page does, with their error reports asked for. */
async function importWithReports(files: Record<string, string | Uint8Array>, dryRun = true): Promise<FileOutcome[]> {
  const inputs = Object.entries(files).map(([name, content]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return { name, path: file };
  });
  return importFiles(db, cli(wardId), inputs, { dryRun, errorReports: reports });
}

const reportOf = async (outcome: FileOutcome) => {
  expect(outcome.errorReport).toMatch(/^loi-\d{4}\.xlsx$/);
  return sheetsOf(fs.readFileSync(path.join(reports, outcome.errorReport!)));
};

describe("error report of a table file", () => {
  it("gives back each row in error as sent, in the file's columns and order, with the reasons in a Lỗi column", async () => {
    const file = csv([
      ["Khối", "Số định danh cá nhân", "Ghi chú của khối", "Ngày cài đặt VNeID"],
      ["1", "001090001234", "nhà số 5", "02/03/2026"],
      ["1", "01090001234", "thiếu số 0", "02/03/2026"],
      ["2", "002090001235", "", "31/02/2026"],
      ["12", "003090001236", "", ""],
    ], ";");
    const [outcome] = await importWithReports({ "ho-tro.csv": file });
    expect(outcome.counts).toMatchObject({ new: 1, invalid: 3 });
    const [sheet, ...others] = await reportOf(outcome);
    expect(others).toEqual([]);
    expect(sheet.name).toBe("Dòng lỗi");
    expect(sheet.rows[0]).toEqual(["Khối", "Số định danh cá nhân", "Ghi chú của khối", "Ngày cài đặt VNeID", "Lỗi"]);
    expect(sheet.rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ["1", "01090001234", "thiếu số 0", "02/03/2026"],
      ["2", "002090001235", undefined, "31/02/2026"],
      ["12", "003090001236", undefined, undefined],
    ]);
    const reasons = sheet.rows.slice(1).map((r) => String(r[4]));
    expect(reasons[0]).toMatch(/^Dòng 3: .*12 chữ số/);
    expect(reasons[1]).toMatch(/^Dòng 4: .*ngày không có thật: "31\/02\/2026"/);
    expect(reasons[2]).toMatch(/^Dòng 5: .*Không có khối "12"/);
    // Text stays text: an ID typed again in the cell keeps its leading zero.
    expect(sheet.sheet.getCell("B2").numFmt).toBe("@");
    expect(sheet.sheet.autoFilter).toBeTruthy();
    expect(fs.statSync(path.join(reports, outcome.errorReport!)).mode & 0o777).toBe(0o600);
  });

  it("is complete: every row in error, beyond the thousand the history lists", async () => {
    const rows = Array.from({ length: LISTED_ISSUES + 500 }, (_, i) => ["1", String(i + 1)]);
    const [outcome] = await importWithReports({ "ho-tro.csv": csv([["khoi", "so_dinh_danh"], ...rows]) });
    expect(outcome.status).toBe("refused");
    expect(outcome.errors.length).toBe(LISTED_ISSUES);
    const [sheet, whole] = await reportOf(outcome);
    expect(sheet.rows).toHaveLength(1 + LISTED_ISSUES + 500);
    expect(sheet.rows.at(-1)!.slice(0, 2)).toEqual(["1", String(LISTED_ISSUES + 500)]);
    // Why the whole file was refused is on a sheet of its own (a re-upload reads only the first).
    expect(whole.name).toBe("Lỗi của cả tệp");
    expect(whole.rows[1]).toEqual([undefined, undefined, expect.stringContaining("Không có dòng hợp lệ nào")]);
  });

  it("imports again once fixed in place: the Lỗi column is ignored, the fixed rows are taken", async () => {
    const [first] = await importWithReports({
      "ho-tro.csv": csv([["khoi", "so_dinh_danh", "ngay_cai_vneid"], ["1", "001090001234", "02/03/2026"], ["1", "123", "02/03/2026"], ["2", "002090001235", "31/02/2026"]]),
    }, false);
    expect(first.counts).toMatchObject({ new: 1, invalid: 2 });
    const [{ sheet }] = await reportOf(first);
    sheet.getCell("B2").value = "001090009999";
    sheet.getCell("C3").value = "28/02/2026";
    const fixed = path.join(dir, "loi-ho-tro-da-sua.xlsx");
    await sheet.workbook.xlsx.writeFile(fixed);
    const [again] = await importFiles(db, cli(wardId), [{ name: "loi-ho-tro-da-sua.xlsx", path: fixed }]);
    expect(again).toMatchObject({ kind: "onboarding", status: "committed", counts: { new: 2, invalid: 0 } });
    expect(await count(db, "onboarding_record")).toBe(3);
  });

  it("keeps a workbook's cells as they were: numbers as numbers, dates as dates", async () => {
    const day = new Date(Date.UTC(2026, 2, 2));
    const book = await xlsxOf([["khoi", "so_dinh_danh", "ngay_cai_vneid"], [1, "001090001234", day], [1, 123, day]]);
    const [outcome] = await importWithReports({ "ho-tro.xlsx": book });
    const [sheet] = await reportOf(outcome);
    expect(sheet.rows).toEqual([["khoi", "so_dinh_danh", "ngay_cai_vneid", "Lỗi"], [1, 123, day, expect.stringMatching(/^Dòng 3: /)]]);
  });

  it("names the right file of an archive, and none for a file without errors", async () => {
    const zip = new JSZip();
    zip.file("khoi-1.csv", csv([["khoi", "so_dinh_danh"], ["1", "001090001234"]]));
    zip.file("khoi-2.csv", csv([["khoi", "so_dinh_danh"], ["2", "002090001235"], ["2", "abc"]]));
    const outcomes = await importWithReports({ "thang-3.zip": await zip.generateAsync({ type: "uint8array" }) });
    expect(outcomes.map((o) => [o.name, o.errorReport])).toEqual([["thang-3.zip/khoi-1.csv", undefined], ["thang-3.zip/khoi-2.csv", "loi-0002.xlsx"]]);
    const [sheet] = await reportOf(outcomes[1]);
    expect(sheet.rows.slice(1).map((r) => r.slice(0, 2))).toEqual([["2", "abc"]]);
  });
});

describe("error report of an XML file", () => {
  it("lists each error with its line and field, the file having no columns to give back", async () => {
    const [outcome] = await importWithReports({
      "ho-so.xml": envelope([{ MA_LK: "HX1", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }, { MA_LK: "", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }]),
    });
    const [sheet] = await reportOf(outcome);
    expect(sheet.name).toBe("Lỗi");
    expect(sheet.rows[0]).toEqual(["Dòng", "Cột", "Lỗi"]);
    expect(sheet.rows).toHaveLength(2);
    expect(sheet.rows[1][2]).toContain("Thiếu MA_LK");
  });
});

it("writes no report when none is asked for", async () => {
  const file = path.join(dir, "ho-tro.csv");
  fs.writeFileSync(file, csv([["khoi", "so_dinh_danh"], ["1", "12"], ["1", "001090001234"]]));
  const [outcome] = await importFiles(db, cli(wardId), [{ name: "ho-tro.csv", path: file }], { dryRun: true });
  expect(outcome.errorReport).toBeUndefined();
  expect(fs.readdirSync(reports)).toEqual([]);
});

it("sskdt import --error-reports DIR writes them, as the upload page does", async () => {
  const cliDb = cliDatabase("sskdt-error-report-cli-", "error-report-cli-secret-0123456789");
  try {
    const file = path.join(cliDb.dir, "ho-tro.csv");
    fs.writeFileSync(file, csv([["khoi", "so_dinh_danh"], ["1", "001090001234"], ["1", "12"]]));
    const out = path.join(cliDb.dir, "loi");
    const printed = cliDb.run(["import", file, "--error-reports", out]);
    expect(printed).toContain(`error report: ${path.join(out, "loi-0001.xlsx")}`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    const [sheet] = await sheetsOf(fs.readFileSync(path.join(out, "loi-0001.xlsx")));
    expect(sheet.rows.slice(1).map((r) => r.slice(0, 2))).toEqual([["1", "12"]]);
  } finally {
    cliDb.remove();
  }
});
