// The import holes of issue #13, each reproduced through the real pipeline: identifiers
// kept in coded columns and file names, another block's residents moved by a block
// committee, unreadable text taken as data, workbooks that lie about their sizes or hide
// inside archives, and spreadsheet formulas in the error report.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import yazl from "yazl";
import type { DB } from "~/server/db.server";
import ExcelJS from "exceljs";
import { errorReportList } from "~/server/import/history.server";
import { listWorkbook } from "~/server/xlsx.server";
import { inflatedWorkbookBytes } from "~/server/import/workbook.server";
import { asUser, cli, count, csv, importOne, sheetsOf, testDb, xlsxBomb } from "../import/helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const PID = "040090001234";
const VISITS = ["ma_cskcb", "ma_lk", "ngay_vao", "ngay_ra", "so_cccd", "hinh_thuc", "ma_loai_kcb", "ma_doituong_kcb"];
const ONBOARDING = ["khoi", "so_dinh_danh", "ngay_cai_vneid"];

function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  Object.assign(process.env, vars);
  return run().finally(() => {
    for (const k of Object.keys(vars)) delete process.env[k];
  });
}

function zipOf(entries: Record<string, Buffer>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) z.addBuffer(content, name);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve(Buffer.concat(chunks))).on("error", reject);
  });
}

/** Every text the database holds about visits, batches and the audit log. */
async function storedText(): Promise<string> {
  const rows = [
    ...(await db.selectFrom("visit").selectAll().execute()),
    ...(await db.selectFrom("import_batch").selectAll().execute()),
    ...(await db.selectFrom("audit_log").selectAll().execute()),
  ];
  return JSON.stringify(rows);
}

describe("identifiers in clear", () => {
  it("stores only known codes in hinh_thuc, ma_loai_kcb and ma_doituong_kcb; anything else is a warning and not stored", async () => {
    const outcome = await importOne(db, cli(wardId), "luot.csv", csv([
      VISITS,
      ["38120", "C1", "04/03/2026 08:15", "04/03/2026 08:30", "", PID, "01", "1.1"],
      ["38120", "C2", "04/03/2026 09:15", "04/03/2026 09:30", "", "Nguyễn Văn Mười", "079123456789", "Trần Thị Hai"],
      ["38120", "C3", "04/03/2026 10:15", "04/03/2026 10:30", "", "the_bhyt", "3", "2.10"],
    ]));
    expect(outcome.counts).toMatchObject({ new: 3, invalid: 0 });
    const stored = await db.selectFrom("visit").select(["ma_lk", "declared_method", "visit_type", "subject_code"]).orderBy("ma_lk").execute();
    expect(stored).toEqual([
      { ma_lk: "C1", declared_method: null, visit_type: "01", subject_code: "1.1" },
      { ma_lk: "C2", declared_method: null, visit_type: "", subject_code: null },
      { ma_lk: "C3", declared_method: "the_bhyt", visit_type: "03", subject_code: "2.10" },
    ]);
    const text = await storedText();
    for (const secret of [PID, "079123456789", "Nguyễn Văn Mười", "Trần Thị Hai"]) expect(text).not.toContain(secret);
    expect(outcome.warnings.map((w) => w.field).sort()).toEqual(["hinh_thuc", "hinh_thuc", "ma_doituong_kcb", "ma_loai_kcb"]);
  });

  it("masks digit runs of a file name in the import history and the audit log, and keeps dates and codes", async () => {
    const name = "ds-040090001234-38120-2026-03-04.csv";
    const outcome = await importOne(db, cli(wardId), name, csv([VISITS, ["38120", "N1", "04/03/2026 08:15", "", "", "", "", ""]]));
    expect(outcome.name).toBe("ds-•••1234-38120-2026-03-04.csv");
    const batch = await db.selectFrom("import_batch").select("file_name").executeTakeFirstOrThrow();
    expect(batch.file_name).toBe("ds-•••1234-38120-2026-03-04.csv");
    await importOne(db, cli(wardId), "0400 9000 1235.csv", "not a table\u0000");
    expect(await storedText()).not.toMatch(/040090001234|0400 9000 1235/);
  });
});

describe("a block committee and another block's residents", () => {
  it("refuses rows moving a resident recorded in another block, with the reason; its own residents are imported", async () => {
    const police = await asUser(db, wardId, "cong_an");
    const block2 = csv([ONBOARDING, ["2", "040090001201", "01/03/2026"], ["2", "040090001202", "01/03/2026"], ["2", "040090001203", "01/03/2026"]]);
    expect((await importOne(db, police, "khoi2.csv", block2)).counts.new).toBe(3);

    const khoi1 = await asUser(db, wardId, "ban_can_su_khoi", 1);
    const outcome = await importOne(db, khoi1, "khoi1.csv", csv([
      ONBOARDING,
      ["1", "040090001201", "05/03/2026"],
      ["1", "040090001101", "05/03/2026"],
      ["1", "040090001202", "05/03/2026"],
      ["1", "040090001203", "05/03/2026"],
    ]));
    expect(outcome.status).toBe("committed");
    expect(outcome.counts).toMatchObject({ new: 1, invalid: 3 });
    expect(outcome.errors.map((e) => e.line)).toEqual([2, 4, 5]);
    expect(outcome.errors[0].reason).toBe(
      "Người dân có số định danh …1201 đang được ghi nhận ở Khối 2: Ban cán sự khối không được chuyển người dân của khối khác về khối mình. Đề nghị Công an phường hoặc quản trị hệ thống cập nhật.",
    );
    const rowsIn = async (block: number) =>
      (await db.selectFrom("onboarding_record").innerJoin("block", "block.id", "onboarding_record.block_id").select("pid_last4").where("block.number", "=", block).orderBy("onboarding_record.id").execute()).map((r) => r.pid_last4);
    expect(await rowsIn(1)).toEqual(["1101"]);
    expect(await rowsIn(2)).toEqual(["1201", "1202", "1203"]);

    // Only rows of movers: nothing valid, the file is refused whole.
    const movers = await importOne(db, khoi1, "chuyen.csv", csv([ONBOARDING, ["1", "040090001202", "06/03/2026"]]));
    expect(movers.status).toBe("refused");

    // The police (or the administrator) may move them.
    expect((await importOne(db, police, "chuyen-khoi.csv", csv([ONBOARDING, ["1", "040090001202", "07/03/2026"]]))).counts.new).toBe(1);
    expect(await rowsIn(1)).toEqual(["1101", "1202"]);
    // The resident now in Khối 1 is Khối 1's to update.
    expect((await importOne(db, khoi1, "cap-nhat.csv", csv([ONBOARDING, ["1", "040090001202", "08/03/2026"]]))).counts.new).toBe(1);
  });
});

describe("unreadable text", () => {
  it("refuses rows with a NUL character or bytes that are not UTF-8, with a Vietnamese reason", async () => {
    const header = Buffer.from("ma_cskcb,ma_lk,ngay_vao\n");
    const good = Buffer.from("38120,U1,04/03/2026 08:15\n");
    const nul = Buffer.from("38120,U2\u0000,04/03/2026 08:15\n");
    const latin1 = Buffer.concat([Buffer.from("38120,U3"), Buffer.from([0xe9, 0xff]), Buffer.from(",04/03/2026 08:15\n")]);
    const outcome = await importOne(db, cli(wardId), "u.csv", Buffer.concat([header, good, nul, latin1]));
    expect(outcome.counts).toMatchObject({ new: 1, invalid: 2 });
    expect(outcome.errors.map((e) => [e.line, e.field])).toEqual([[3, "ma_lk"], [4, "ma_lk"]]);
    expect(outcome.errors[0].reason).toContain("ký tự NUL");
    expect(outcome.errors[1].reason).toContain("không phải mã UTF-8");
    expect(await db.selectFrom("visit").select("ma_lk").execute()).toEqual([{ ma_lk: "U1" }]);
  });
});

describe("workbooks that lie about their size", () => {
  it("refuses a sheet whose zip headers understate it, on the bytes actually inflated", async () => {
    const bomb = xlsxBomb(20, { declaredSize: 1000 });
    const before = inflatedWorkbookBytes();
    const outcome = await importOne(db, cli(wardId), "nho.xlsx", bomb);
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toContain("giải nén ra nhiều hơn kích thước khai báo");
    expect(inflatedWorkbookBytes() - before).toBeLessThan(2 * 1024 * 1024);
  });

  it("refuses an honest oversize workbook inside a .zip, as it would alone", async () => {
    await withEnv({ SSKDT_IMPORT_MAX_FILE_BYTES: String(5 * 1024 * 1024) }, async () => {
      const archive = await zipOf({ "thang-03/danh-sach.xlsx": xlsxBomb(8) });
      const outcome = await importOne(db, cli(wardId), "goi.zip", archive);
      expect(outcome.name).toBe("goi.zip/thang-03/danh-sach.xlsx");
      expect(outcome.status).toBe("refused");
      expect(outcome.errors[0].reason).toMatch(/giải nén ra hơn 5,0 MB, vượt giới hạn/);
    });
  });

  it("refuses a block committee's visits workbook after its header row, before reading the rest", async () => {
    const khoi1 = await asUser(db, wardId, "ban_can_su_khoi", 1);
    const before = inflatedWorkbookBytes();
    const outcome = await importOne(db, khoi1, "luot-kcb.xlsx", xlsxBomb(50, { header: ["ma_cskcb", "ma_lk", "ngay_vao"] }));
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toContain("không được nhập loại dữ liệu");
    expect(inflatedWorkbookBytes() - before).toBeLessThan(4 * 1024 * 1024);
    expect(await count(db, "visit")).toBe(0);
  });
});

describe("error report", () => {
  it("gives a file name that looks like a formula back as text, never as a formula", async () => {
    await importOne(db, cli(wardId), "\t=HYPERLINK(1).csv", csv([VISITS, ["38120", "", "04/03/2026 08:15", "", "", "", "", ""]]));
    const admin = { id: 0, wardId, username: "q", displayName: "Q", role: "quan_tri" as const, blockId: null };
    const batch = await db.selectFrom("import_batch").select("id").executeTakeFirstOrThrow();
    const [{ sheet }] = await sheetsOf(await listWorkbook((await errorReportList(db, admin, batch.id))!));
    const title = sheet.getCell("A1");
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.value).toContain("\t=HYPERLINK(1).csv");
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
  });
});
