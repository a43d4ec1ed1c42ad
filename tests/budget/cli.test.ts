// `sskdt report r3 --year Y --out FILE.xlsx` as a child process on its own database
// file: the same workbook the page gives for the same as-of time.
import ExcelJS from "exceljs";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliDatabase } from "../metrics/cli";
import { openMigratedDatabase } from "~/server/db.server";
import { ensureWard } from "~/server/ward.server";
import { createEstimate, estimateDetail, recordExpenditure, transition } from "~/server/budget.server";
import { freezeR3, yearR3 } from "~/server/reports/r3.server";
import { localToEpoch } from "~/domain/time";

const cli = cliDatabase("sskdt-r3-", "r3-cli-test-secret-0123456789abcdef");
afterAll(() => cli.remove());

describe("sskdt report r3", () => {
  it("writes the year's R3, byte for byte the page's for the same as-of time", async () => {
    const db = await openMigratedDatabase(cli.databaseUrl);
    const ward = await ensureWard(db);
    const id = await createEstimate(db, {
      wardId: ward.id, year: 2026, title: "Dự toán 2026", createdBy: null,
      lines: [{ category: "tap_huan", content: "Tập huấn", unit: "lớp", quantity: 2, unitPrice: 6_250_000 }],
    });
    for (const [role, action] of [["tram_y_te", "submit"], ["tai_chinh", "forward"], ["lanh_dao", "approve"]] as const) {
      await transition(db, { wardId: ward.id, estimateId: id, actor: { id: null, role }, action, at: localToEpoch(2026, 1, 10), freeze: freezeR3 });
    }
    const [line] = (await estimateDetail(db, ward.id, id)).lines;
    await recordExpenditure(db, { wardId: ward.id, budgetLineId: line.id, date: "2026-03-01", amount: 6_000_000, content: "Lớp 1", createdBy: null });
    const asOf = "2026-04-01T00:00:00+07:00";
    const expected = (await yearR3(db, ward.id, 2026, localToEpoch(2026, 4, 1))).bytes;
    await db.destroy();

    const out = path.join(cli.dir, "r3.xlsx");
    expect(cli.run(["report", "r3", "--year", "2026", "--as-of", asOf, "--out", out])).toMatch(/R3 · dự toán năm 2026, phiên bản 1 \(Đã phê duyệt\) · tổng 12\.500\.000 đ · đã chi 6\.000\.000 đ/);
    const bytes = fs.readFileSync(out);
    expect(bytes.equals(Buffer.from(expected))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Dự toán", "Thuyết minh"]);
    const texts: string[] = [];
    wb.getWorksheet("Dự toán")!.eachRow((r) => r.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain("Bằng chữ: Mười hai triệu năm trăm nghìn đồng.");
  });
});
