// The official-document frame: texts (pure) and the .xlsx sheet opened back with exceljs.
import ExcelJS from "exceljs";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dateLine, numberLine, recipientLines, signatureLines, unitLines, type OfficialFrame } from "~/domain/official-document";
import {
  COUNT_FORMAT, DOCUMENT_FONT, newOfficialWorkbook, officialXlsxBytes, OfficialSheet, PAGE_FOOTER, PERCENT_FORMAT,
} from "~/server/reports/official-document.server";
import { localToEpoch } from "~/domain/time";

const frame: OfficialFrame = {
  authority: "Ủy ban nhân dân",
  unitName: "Phường Hòa Thạnh",
  number: 7,
  symbol: "BC-UBND",
  place: "Hòa Thạnh",
  day: "2026-04-02",
  title: "Báo cáo",
  summary: "Kết quả triển khai thí điểm Sổ sức khỏe điện tử quý I năm 2026",
  subtitle: ["Số liệu tính đến 00:00 ngày 01/04/2026"],
  signature: { onBehalfOfBody: "TM. Ủy ban nhân dân", onBehalf: "KT. Chủ tịch", title: "Phó Chủ tịch", name: "Hồ Xuân Hùng" },
  recipients: [
    { name: "UBND thị xã", shortName: "UBND thị xã" },
    { name: "Trung tâm Y tế thị xã", shortName: "TTYT thị xã" },
  ],
};

describe("official document texts", () => {
  it("writes the number, date line, header, signature and recipients as Decree 30 does", () => {
    expect(numberLine(7, "BC-UBND")).toBe("Số: 07/BC-UBND");
    expect(numberLine(112, "BC-UBND")).toBe("Số: 112/BC-UBND");
    expect(numberLine(null, "BC-UBND")).toMatch(/^Số: +\/BC-UBND$/);
    expect(dateLine("Hòa Thạnh", "2026-03-05")).toBe("Hòa Thạnh, ngày 05 tháng 03 năm 2026");
    expect(dateLine("Hòa Thạnh", null)).toMatch(/^Hòa Thạnh, ngày +tháng +năm$/);
    expect(unitLines(frame)).toEqual(["ỦY BAN NHÂN DÂN", "PHƯỜNG HÒA THẠNH"]);
    expect(signatureLines(frame.signature)).toEqual(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
    expect(signatureLines({ ...frame.signature, onBehalf: " " })).toEqual(["TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH"]);
    expect(recipientLines(frame.recipients)).toEqual(["- UBND thị xã;", "- TTYT thị xã;", "- Lưu: VT, VH."]);
  });
});

async function build(asOf: number) {
  const workbook = newOfficialWorkbook(asOf);
  const s = new OfficialSheet(workbook, "Báo cáo", { columnWidths: [6, 36, 14, 14, 14] });
  s.frame(frame);
  s.heading("1. Kết quả");
  const range = s.table({
    columns: [
      { header: "STT", kind: "text" }, { header: "Khối", kind: "text" }, { header: "Dân số", kind: "count" },
      { header: "Hoàn thành", kind: "count" }, { header: "Tỷ lệ", kind: "percent" },
    ],
    groups: [{ label: "", span: 1 }, { label: "", span: 1 }, { label: "Người dân", span: 3 }],
    rows: [
      { cells: ["1", "Khối 1", 1200, 300, 0.25] },
      { cells: ["2", "Khối 2", 0, 0, null] },
      { cells: ["", "Cộng", 1200, 300, 0.25], bold: true },
    ],
    repeatHeader: true,
  });
  s.paragraph("Khó khăn: đường truyền chậm.");
  s.close(frame);
  return { bytes: await officialXlsxBytes(workbook), range };
}

describe("official sheet (.xlsx)", () => {
  const asOf = localToEpoch(2026, 4, 1);

  it("has the header, merges, fonts, page setup, print titles and numeric cells", async () => {
    const { bytes, range } = await build(asOf);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(wb.created.getTime()).toBe(asOf * 1000);
    expect(wb.modified.getTime()).toBe(asOf * 1000);
    const ws = wb.getWorksheet("Báo cáo")!;
    const texts = (r: number) => [...new Set((ws.getRow(r).values as unknown[]).filter((v) => typeof v === "string"))];
    expect(texts(1)).toEqual(["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]);
    expect(texts(2)).toEqual(["PHƯỜNG HÒA THẠNH", "Độc lập - Tự do - Hạnh phúc"]);
    expect(texts(4)).toEqual(["Số: 07/BC-UBND", "Hòa Thạnh, ngày 02 tháng 04 năm 2026"]);
    expect(ws.getCell("A6").value).toBe("BÁO CÁO");
    expect(ws.getCell("A7").value).toBe(frame.summary);
    // Left block: columns A–B; right block C–E; the title spans the sheet.
    expect(ws.getCell("B1").isMerged && ws.getCell("B1").master.address).toBe("A1");
    expect(ws.getCell("E2").master.address).toBe("C2");
    expect(ws.getCell("E6").master.address).toBe("A6");
    expect(ws.getCell("A1").font).toMatchObject({ name: DOCUMENT_FONT, bold: true });
    expect(ws.getCell("C4").font).toMatchObject({ name: DOCUMENT_FONT, italic: true });
    expect(ws.getCell("A6").font).toMatchObject({ name: DOCUMENT_FONT, bold: true, size: 14 });

    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: "portrait", fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.margins!.top * 25.4).toBeCloseTo(20, 5);
    expect(ws.pageSetup.margins!.bottom * 25.4).toBeCloseTo(20, 5);
    expect(ws.pageSetup.margins!.left * 25.4).toBeCloseTo(30, 5);
    expect(ws.pageSetup.margins!.right * 25.4).toBeCloseTo(15, 5);
    expect(ws.pageSetup.printTitlesRow).toBe(`${range.headerFirst}:${range.headerLast}`);
    expect(range.headerLast - range.headerFirst).toBe(1);
    expect(ws.pageSetup.printArea).toBe(`A1:E${ws.rowCount}`);
    expect(ws.headerFooter.oddFooter).toBe(PAGE_FOOTER);
    // Group header over C–E, and "STT"/"Khối" spanning both header rows.
    expect(ws.getCell(range.headerFirst, 3).value).toBe("Người dân");
    expect(ws.getCell(range.headerFirst, 5).master.address).toBe(ws.getCell(range.headerFirst, 3).address);
    expect(ws.getCell(range.headerLast, 1).master.address).toBe(ws.getCell(range.headerFirst, 1).address);
    expect(ws.getCell(range.headerFirst, 1).value).toBe("STT");

    const first = ws.getRow(range.bodyFirst);
    expect(first.getCell(3).value).toBe(1200);
    expect(first.getCell(3).numFmt).toBe(COUNT_FORMAT);
    expect(first.getCell(5).value).toBe(0.25);
    expect(first.getCell(5).numFmt).toBe(PERCENT_FORMAT);
    expect(ws.getRow(range.bodyFirst + 1).getCell(5).value).toBeNull();
    expect(ws.getRow(range.bodyLast).getCell(2).font).toMatchObject({ bold: true });

    // Signature and recipients at the end, side by side.
    const tail = Array.from({ length: 10 }, (_, i) => texts(ws.rowCount - 9 + i)).flat();
    expect(tail).toEqual(expect.arrayContaining(["Nơi nhận:", "- UBND thị xã;", "- Lưu: VT, VH.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hồ Xuân Hùng"]));
  });

  it("refuses text in a figure column", () => {
    const s = new OfficialSheet(newOfficialWorkbook(asOf), "x", { columnWidths: [10, 10] });
    expect(() => s.table({ columns: [{ header: "a", kind: "text" }, { header: "b", kind: "count" }], rows: [{ cells: ["x", "12"] }] })).toThrow(/figures/);
  });

  it("gives the same bytes for the same content whatever the clock, others for another as-of", async () => {
    const one = await build(asOf);
    await new Promise((r) => setTimeout(r, 2100)); // zip times have a 2-second grain
    const two = await build(asOf);
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    expect(sha(two.bytes)).toBe(sha(one.bytes));
    expect(sha((await build(asOf + 3600)).bytes)).not.toBe(sha(one.bytes));
  });
});
