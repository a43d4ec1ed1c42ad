// Downloadable .xlsx templates, one per table source: Vietnamese headers (which the
// importer reads back), an example row, drop-down lists for coded columns and blocks,
// text-formatted identifier columns (so Excel keeps their leading zeros), and a guide sheet.
import ExcelJS from "exceljs";
import { API_SOURCES, COLUMNS, KIND_LABELS, type ApiSource } from "./kinds";

/** Columns whose values are codes or identifiers: kept as text, never as numbers. */
const TEXT_COLUMNS = new Set(["ma_cskcb", "ma_lk", "so_cccd", "ma_the_bhyt", "ma_loai_kcb", "ma_doituong_kcb", "ma_giao_dich", "ma_ket_qua", "so_dinh_danh"]);
const FILLED_ROWS = 1000;

const COLUMN_NOTES: Record<string, string> = {
  ngay_vao: "Ngày giờ: dd/MM/yyyy HH:mm, yyyyMMddHHmm hoặc ô ngày của Excel",
  ngay_ra: "Để trống khi lượt KCB chưa kết thúc",
  so_cccd: "12 chữ số; không bắt buộc",
  ma_the_bhyt: "15 ký tự (2 chữ cái, mức hưởng, mã tỉnh, 10 số) hoặc 10 số BHXH",
  thoi_gian_tiep_nhan: "Thời gian Cổng tiếp nhận, ví dụ yyyyMMddHHmmss",
  ma_ket_qua: "200 = được chấp nhận; mã khác = bị từ chối",
  thoi_gian_hien_thi: "Lần đầu thấy hồ sơ trên VNeID",
  so_dinh_danh: "12 chữ số",
  khoi: "Tên khối (Khối 3) hoặc số khối (3)",
  dan_so: "Số nguyên không âm",
};

/** A facility of the ward's list, whose code (and name) the example row uses. */
export interface TemplateFacility {
  code: string;
  name: string;
  kind: string;
}

export async function buildTemplate(source: ApiSource, blockNames: string[], facility: TemplateFacility | null = null): Promise<Uint8Array<ArrayBuffer>> {
  const kind = API_SOURCES[source];
  const columns = COLUMNS[kind].filter((c) => !c.extra);
  // The example row names the ward's own facility, so it imports as it stands (FORMATS.md §8).
  const example = (c: (typeof columns)[number]) => {
    if (!facility) return c.example;
    if (c.name === "ma_cskcb") return facility.code;
    if (kind === "facilities" && c.name === "ten_co_so") return facility.name;
    if (kind === "facilities" && c.name === "loai") return c.codes?.[facility.kind] ?? c.example;
    return c.example;
  };
  const wb = new ExcelJS.Workbook();
  wb.creator = "SSKĐT";
  const sheet = wb.addWorksheet("Dữ liệu", { views: [{ state: "frozen", ySplit: 1 }] });
  const guide = wb.addWorksheet("Hướng dẫn");
  const lists = wb.addWorksheet("Danh mục", { state: "veryHidden" });

  sheet.addRow(columns.map((c) => c.label));
  sheet.addRow(columns.map(example));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE6EEF7" } };
  sheet.getRow(2).font = { italic: true, color: { argb: "FF5B6776" } };

  let listColumn = 0;
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(14, c.label.length + 4);
    if (TEXT_COLUMNS.has(c.name)) column.numFmt = "@";
    const values = c.name === "khoi" ? blockNames : c.codes ? Object.values(c.codes) : null;
    if (!values || values.length === 0) return;
    listColumn++;
    const letter = lists.getColumn(listColumn).letter;
    values.forEach((v, j) => (lists.getCell(`${letter}${j + 1}`).value = v));
    for (let r = 2; r <= FILLED_ROWS; r++) {
      sheet.getCell(r, i + 1).dataValidation = {
        type: "list",
        allowBlank: !c.required,
        formulae: [`'Danh mục'!$${letter}$1:$${letter}$${values.length}`],
        showErrorMessage: true,
        errorTitle: c.label,
        error: `Chọn một giá trị trong danh sách ${c.label}.`,
      };
    }
  });

  guide.addRow([`Mẫu nhập: ${KIND_LABELS[kind]}`]).font = { bold: true, size: 13 };
  guide.addRow(["Điền dữ liệu vào trang \"Dữ liệu\" (trang đầu tiên), từ dòng 2; dòng 1 là tiêu đề, giữ nguyên. Xóa dòng ví dụ trước khi nhập."]);
  guide.addRow(["Có thể lưu thành CSV (UTF-8). Nhập lại cùng tệp không tạo dữ liệu trùng. Họ tên, địa chỉ, số điện thoại không cần và không được lưu."]);
  guide.addRow([]);
  guide.addRow(["Cột", "Tên cột (CSV / API)", "Bắt buộc", "Ghi chú"]).font = { bold: true };
  for (const c of columns) {
    const note = c.codes ? `Một trong: ${Object.entries(c.codes).map(([code, label]) => `${label} (${code})`).join("; ")}` : (COLUMN_NOTES[c.name] ?? "");
    guide.addRow([c.label, c.name, c.required ? "Có" : "Không", note]);
  }
  guide.columns.forEach((col, i) => (col.width = [34, 24, 10, 80][i]));

  return Uint8Array.from(Buffer.from(await wb.xlsx.writeBuffer()));
}
