// The file readers against FORMATS.md, with real files written to a temporary folder and
// imported by path (the command line's route): kinds recognised from content, CSV as
// spreadsheets and editors write it, every date form, and GIAMDINHHS / check-in XML variants.
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import yazl from "yazl";
import { describe, expect, it } from "vitest";
import { localToEpoch } from "~/domain/time";
import { base64, checkinFile, csv, envelope, onDisk, tongHop, xlsxOf } from "./helpers";

const { t, importPath, importPaths } = onDisk();

const visits = () =>
  t.db.selectFrom("visit").innerJoin("facility", "facility.id", "visit.facility_id")
    .select(["facility.code", "ma_lk", "checkin_at", "ended_at", "method", "visit_type", "source"])
    .orderBy("ma_lk").execute();

const RECEIPTS = "ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep";

describe("recognising files by content, from disk", () => {
  it("reads each kind whatever its name or extension", async () => {
    const book = await xlsxOf([["khoi", "ngay_hieu_luc", "dan_so"], ["Khối 1", new Date(Date.UTC(2026, 0, 1)), 1400]]);
    const outcomes = await importPaths({
      "ho-so.csv": envelope([{ MA_LK: "K1", NGAY_VAO: "202603040815", NGAY_RA: "202603040900" }]),
      "checkin.txt": checkinFile([{ MA_LK: "K2", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }]),
      "ket-qua.xml": `${RECEIPTS}\n38120,K1,GD1,20260304100000,200,OK\n`,
      "dan-so": book,
      "hien-thi.dat": JSON.stringify([{ ma_cskcb: "38120", ma_lk: "K1", thoi_gian_hien_thi: "2026-03-04T12:00:00+07:00", nguon: "bhxh" }]),
    });
    expect(outcomes.map((o) => [o.kind, o.status])).toEqual([
      ["visits_xml", "committed"], ["checkin_xml", "committed"], ["receipts", "committed"], ["population", "committed"], ["displays", "committed"],
    ]);
  });

  it("refuses an Excel 97-2003 workbook saying how to save it, and anything unknown listing the accepted kinds", async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
    const [old, unknown] = await importPaths({ "so-lieu.xls": xls, "ghi-chu.csv": "ho_ten;dien_thoai\nAn;0900000001\n" });
    expect(old).toMatchObject({ status: "refused", kind: null });
    expect(old.errors[0].reason).toMatch(/Excel 97-2003 \(\.xls\).*\.xlsx.*Các loại tệp được chấp nhận/);
    expect(unknown.errors[0].reason).toMatch(/Không nhận ra loại tệp.*Các loại tệp được chấp nhận: Hồ sơ KCB XML/);
  });
});

describe("CSV", () => {
  it("reads CRLF, quoted separators and line breaks, blank lines, extra columns in any order; lines are where each record starts", async () => {
    const text = [
      "",
      "Thông điệp;GHI CHU;maKetQua;ma luot kcb;THỜI GIAN TIẾP NHẬN;Mã CSKCB;ma_giao_dich",
      '"Sai mã thẻ; kiểm tra lại";"dòng một\r\ndòng hai";E101;LK1;20260304100000;38120;GD1',
      "OK;;200;LK1;khong-phai-ngay;38120;GD2", // line 5
      '"Thành công\r\n(đã nhận)";x;200;LK2;04/03/2026 11:00;38120;GD3',
      ";;;;;;",
      "Thành công;;200;;04/03/2026 12:00;38120;GD4", // line 9
      "",
      "",
    ].join("\r\n");
    const outcome = await importPath("ket-qua.txt", text);
    expect(outcome).toMatchObject({ kind: "receipts", status: "committed", counts: { new: 2, invalid: 2 } });
    expect(outcome.errors.map((e) => [e.line, e.field])).toEqual([[5, "thoi_gian_tiep_nhan"], [9, "ma_lk"]]);
    expect(await t.db.selectFrom("gateway_receipt").select(["ma_lk", "transaction_id", "result_code", "message"]).orderBy("id").execute()).toEqual([
      { ma_lk: "LK1", transaction_id: "GD1", result_code: "E101", message: "Sai mã thẻ; kiểm tra lại" },
      { ma_lk: "LK2", transaction_id: "GD3", result_code: "200", message: "Thành công\r\n(đã nhận)" },
    ]);
  });

  it("matches Vietnamese template labels and canonical names for the visits table, without BOM, comma-separated", async () => {
    const text = csv([
      ["Số thẻ BHYT", "ma_cskcb", "Mã lượt KCB", "thoi gian vao", "THỜI GIAN RA", "so dinh danh / cccd", "HÌNH THỨC TIẾP NHẬN", "loai kcb", "Họ tên"],
      ["", "38A15", "V1", "04/03/2026 08:00", "04/03/2026 08:30", "040090001234", "Số định danh cá nhân", "", "Người Giả Định"],
    ]);
    const outcome = await importPath("v.csv", text);
    expect(outcome).toMatchObject({ kind: "visits_table", counts: { new: 1, invalid: 0 } });
    expect(await visits()).toMatchObject([{ code: "38A15", ma_lk: "V1", method: "so_dinh_danh", visit_type: "01", ended_at: localToEpoch(2026, 3, 4, 8, 30) }]);
  });
});

describe("dates", () => {
  it("reads every form of FORMATS.md through an import, with no zone meaning Asia/Ho_Chi_Minh; impossible dates are invalid rows", async () => {
    const forms: Array<[string, number | null]> = [
      ["20260304", localToEpoch(2026, 3, 4)],
      ["202603040815", localToEpoch(2026, 3, 4, 8, 15)],
      ["20260304081530", localToEpoch(2026, 3, 4, 8, 15, 30)],
      ["04/03/2026", localToEpoch(2026, 3, 4)],
      ["04/03/2026 08:15", localToEpoch(2026, 3, 4, 8, 15)],
      ["04/03/2026 08:15:30", localToEpoch(2026, 3, 4, 8, 15, 30)],
      ["2026-03-04", localToEpoch(2026, 3, 4)],
      ["2026-03-04T01:15:30Z", localToEpoch(2026, 3, 4, 8, 15, 30)],
      ["2026-03-04T08:15:30+07:00", localToEpoch(2026, 3, 4, 8, 15, 30)],
      ["2026-03-04T08:15:30", localToEpoch(2026, 3, 4, 8, 15, 30)],
      ["31/02/2026", null],
      ["2026-13-01", null],
      ["04/03/2026 24:61", null],
      ["20260230", null],
      ["202603042460", null],
    ];
    const rows = forms.map(([form], i) => ["38120", `D${String(i).padStart(2, "0")}`, `GD${i}`, form, "200", ""]);
    const outcome = await importPath("dates.csv", csv([RECEIPTS.split(","), ...rows]));
    const invalid = forms.flatMap(([, epoch], i) => (epoch === null ? [i + 2] : []));
    expect(outcome.errors.map((e) => e.line)).toEqual(invalid);
    // Impossible days (30 February) are told apart from wrong forms.
    expect(outcome.errors.every((e) => /không đúng định dạng ngày giờ|là ngày không có thật/.test(e.reason))).toBe(true);
    expect(outcome.errors.find((e) => e.reason.includes('"20260230"'))?.reason).toMatch(/là ngày không có thật.*tháng 2\/2026 không có ngày 30/);
    const stored = await t.db.selectFrom("gateway_receipt").select(["ma_lk", "received_at"]).orderBy("ma_lk").execute();
    expect(stored).toEqual(forms.flatMap(([, epoch], i) => (epoch === null ? [] : [{ ma_lk: `D${String(i).padStart(2, "0")}`, received_at: epoch }])));
  });
});

describe("XLSX", () => {
  it("reads the first tab, even when it is not the workbook's first sheet file", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Hướng dẫn").addRow(["ma_cskcb", "ma_lk", "thoi_gian_tiep_nhan", "ma_ket_qua"]);
    const data = wb.addWorksheet("Dữ liệu");
    data.addRow(["khoi", "ngay_hieu_luc", "dan_so"]);
    data.addRow(["Khối 2", "01/01/2026", 1437]);
    // The data sheet (sheet2.xml) dragged to the first tab: its <sheet> comes first in workbook.xml.
    const moved = await rewriteZip(Buffer.from(await wb.xlsx.writeBuffer()), "xl/workbook.xml", (xml) =>
      xml.replace(/<sheets>(<sheet [^>]*\/>)(<sheet [^>]*\/>)<\/sheets>/, "<sheets>$2$1</sheets>"));
    const outcome = await importPath("dan-so.xlsx", moved);
    expect(outcome).toMatchObject({ kind: "population", status: "committed", counts: { new: 1 } });
  });
});

/** The archive with one entry's text changed. */
async function rewriteZip(bytes: Buffer, entryName: string, change: (text: string) => string): Promise<Uint8Array> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (e, z) => (e || !z ? reject(e) : resolve(z))));
  const out = new yazl.ZipFile();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith("/")) return void zip.readEntry(); // folders are implied by the paths
      zip.openReadStream(entry, async (error, stream) => {
        if (error || !stream) return reject(error);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const content = Buffer.concat(chunks);
        out.addBuffer(entry.fileName === entryName ? Buffer.from(change(content.toString("utf8"))) : content, entry.fileName);
        zip.readEntry();
      });
    });
    zip.on("end", resolve).on("error", reject);
    zip.readEntry();
  });
  out.end();
  const chunks: Buffer[] = [];
  for await (const chunk of out.outputStream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

describe("XML", () => {
  it("reads a prefixed envelope, CDATA base64 wrapped over lines, an inner BOM, a default namespace and NGAY_SINH with 00 day and month", async () => {
    const inner = "\uFEFF" + tongHop({ MA_LK: "N1", MA_CSKCB: "", NGAY_VAO: "202603040815", NGAY_RA: "202603040840", NGAY_SINH: "198700000000", SO_CCCD: "040090001234" }, ' xmlns="urn:qd4750"');
    const wrapped = base64(inner).replace(/(.{76})/g, "$1\r\n");
    const text = `<?xml version="1.0" encoding="utf-8"?>
<bh:GIAMDINHHS xmlns:bh="urn:giamdinh"><bh:THONGTINDONVI><bh:MACSKCB>38120</bh:MACSKCB></bh:THONGTINDONVI>
<bh:THONGTINHOSO><bh:SOLUONGHOSO>1</bh:SOLUONGHOSO><bh:DANHSACHHOSO><bh:HOSO>
<bh:FILEHOSO><bh:LOAIHOSO>XML1</bh:LOAIHOSO><bh:NOIDUNGFILE><![CDATA[
${wrapped}
]]></bh:NOIDUNGFILE></bh:FILEHOSO>
<bh:FILEHOSO><bh:LOAIHOSO>XML3</bh:LOAIHOSO><bh:NOIDUNGFILE>not base64 at all</bh:NOIDUNGFILE></bh:FILEHOSO>
</bh:HOSO></bh:DANHSACHHOSO></bh:THONGTINHOSO><bh:CHUKYDONVI/></bh:GIAMDINHHS>`;
    const outcome = await importPath("N1.xml", text);
    expect(outcome).toMatchObject({ kind: "visits_xml", status: "committed", counts: { new: 1, invalid: 0 }, errors: [] });
    expect(await visits()).toMatchObject([{ code: "38120", ma_lk: "N1", checkin_at: localToEpoch(2026, 3, 4, 8, 15), ended_at: localToEpoch(2026, 3, 4, 8, 40), method: "so_dinh_danh" }]);
  });

  it("falls back to the envelope's MACSKCB even when it comes after the records", async () => {
    const text = envelope([{ MA_LK: "M1", MA_CSKCB: "", NGAY_VAO: "202603040815" }, { MA_LK: "M2", MA_CSKCB: "38A15", NGAY_VAO: "202603040815" }], { facility: "38120" })
      .replace(/<THONGTINDONVI>.*?<\/THONGTINDONVI>/, "")
      .replace("<CHUKYDONVI/>", "<THONGTINDONVI><MACSKCB>38120</MACSKCB></THONGTINDONVI><CHUKYDONVI/>");
    const outcome = await importPath("late.xml", text);
    expect(outcome.counts).toMatchObject({ new: 2, invalid: 0 });
    expect((await visits()).map((v) => [v.ma_lk, v.code])).toEqual([["M1", "38120"], ["M2", "38A15"]]);
  });

  it("lists a check-in record with none of the visit fields as invalid, never skipping it", async () => {
    const text = checkinFile([{ MA_LK: "C2", MA_CSKCB: "38120", NGAY_VAO: "202603040815" }]).replace("</DSACH_TRANG_THAI_KCB>", "<TRANG_THAI_KCB><HO_TEN>Không Có Mã</HO_TEN></TRANG_THAI_KCB></DSACH_TRANG_THAI_KCB>");
    const outcome = await importPath("c2.xml", text);
    expect(outcome).toMatchObject({ status: "committed", counts: { new: 1, invalid: 1 } });
    expect(outcome.errors.map((e) => e.field)).toEqual(expect.arrayContaining(["ma_lk"]));
  });

  it("reads a check-in file whose root holds the visit's fields itself, as an open visit", async () => {
    const text = `<?xml version="1.0"?><CHI_TIEU_TRANG_THAI_KCB><MA_LK>C1</MA_LK><MA_CSKCB>38120</MA_CSKCB><SO_CCCD>040090001234</SO_CCCD><NGAY_VAO>202603040815</NGAY_VAO></CHI_TIEU_TRANG_THAI_KCB>`;
    const outcome = await importPath("c1.xml", text);
    expect(outcome).toMatchObject({ kind: "checkin_xml", status: "committed", counts: { new: 1 } });
    expect(await visits()).toMatchObject([{ ma_lk: "C1", ended_at: null, method: "so_dinh_danh", source: "checkin" }]);
  });
});
