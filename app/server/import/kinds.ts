// The sources the dashboard reads (FORMATS.md): their kinds, Vietnamese names, columns
// (canonical ASCII name + the template's Vietnamese label) and who may feed each.
// Pure data, shared by the parsers, the templates, the API and the upload page.
import {
  ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS, DISPLAY_SOURCE_LABELS, FACILITY_KIND_LABELS, METHOD_LABELS, SUPPORT_UNIT_LABELS,
} from "../../domain/codes";
import { can, type Permission, type Role } from "../../domain/permissions";

export const SOURCE_KINDS = [
  "visits_xml", "checkin_xml", "visits_table", "receipts", "displays", "onboarding", "population", "activities", "facilities",
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const KIND_LABELS: Record<SourceKind, string> = {
  visits_xml: "Hồ sơ KCB XML gửi Cổng giám định (XML1, QĐ 130/4750)",
  checkin_xml: "Tệp check-in trạng thái KCB (XML)",
  visits_table: "Lượt KCB (CSV/XLSX, cơ sở không có phần mềm)",
  receipts: "Kết quả gửi hồ sơ lên Cổng giám định BHYT",
  displays: "Xác nhận hiển thị trên VNeID",
  onboarding: "Hỗ trợ cài đặt VNeID, kích hoạt mức 2, tích hợp BHYT",
  population: "Dân số trong diện theo khối",
  activities: "Hoạt động tuyên truyền, tập huấn",
  facilities: "Danh mục cơ sở KCB của phường",
};

/** The permission a role needs to feed each kind (app/domain/permissions.ts). */
export const KIND_PERMISSION: Record<SourceKind, Permission> = {
  visits_xml: "import:visits",
  checkin_xml: "import:visits",
  visits_table: "import:visits",
  receipts: "import:receipts",
  displays: "import:displays",
  onboarding: "import:onboarding",
  population: "import:population",
  activities: "import:activities",
  facilities: "import:facilities",
};

/** Kinds whose rows belong to one facility (a facility-scoped API token may send them). */
export const FACILITY_KINDS: ReadonlySet<SourceKind> = new Set(["visits_xml", "checkin_xml", "visits_table", "receipts", "displays"]);

export interface Column {
  name: string; // canonical ASCII name, the CSV header and the JSON key
  label: string; // the downloadable template's Vietnamese header
  required: boolean; // the header must have it
  codes?: Record<string, string>; // coded values: code → label (both accepted)
  /** Accepted but not in the template: a field the XML sources carry. */
  extra?: boolean;
  example: string | number;
}

export type TabularKind = "visits_table" | "receipts" | "displays" | "onboarding" | "population" | "activities" | "facilities";

export const TABULAR_KINDS: readonly TabularKind[] = ["visits_table", "receipts", "displays", "onboarding", "population", "activities", "facilities"];

const FACILITY: Column = { name: "ma_cskcb", label: "Mã cơ sở KCB", required: true, example: "38A15" };
const VISIT_KEY: Column = { name: "ma_lk", label: "Mã lượt KCB", required: true, example: "PK0001" };
const BLOCK: Column = { name: "khoi", label: "Khối", required: true, example: "Khối 1" };

export const COLUMNS: Record<TabularKind, readonly Column[]> = {
  visits_table: [
    FACILITY,
    VISIT_KEY,
    { name: "ngay_vao", label: "Thời gian vào", required: true, example: "04/03/2026 08:15" },
    { name: "ngay_ra", label: "Thời gian ra", required: false, example: "04/03/2026 08:40" },
    { name: "so_cccd", label: "Số định danh / CCCD", required: false, example: "040090001234" },
    { name: "ma_the_bhyt", label: "Số thẻ BHYT", required: false, example: "DN4404012345678" },
    { name: "hinh_thuc", label: "Hình thức tiếp nhận", required: false, codes: METHOD_LABELS, example: METHOD_LABELS.the_can_cuoc },
    { name: "ma_loai_kcb", label: "Loại KCB", required: false, example: "01" },
    { name: "ma_doituong_kcb", label: "Mã đối tượng KCB", required: false, extra: true, example: "1.1" },
  ],
  receipts: [
    FACILITY,
    VISIT_KEY,
    { name: "ma_giao_dich", label: "Mã giao dịch", required: false, example: "GD0001" },
    { name: "thoi_gian_tiep_nhan", label: "Thời gian tiếp nhận", required: true, example: "20260304093000" },
    { name: "ma_ket_qua", label: "Mã kết quả", required: true, example: "200" },
    { name: "thong_diep", label: "Thông điệp", required: false, example: "Thành công" },
  ],
  displays: [
    FACILITY,
    VISIT_KEY,
    { name: "thoi_gian_hien_thi", label: "Thời gian hiển thị", required: true, example: "04/03/2026 21:00" },
    { name: "nguon", label: "Nguồn", required: false, codes: DISPLAY_SOURCE_LABELS, example: DISPLAY_SOURCE_LABELS.bhxh },
  ],
  onboarding: [
    BLOCK,
    { name: "so_dinh_danh", label: "Số định danh cá nhân", required: true, example: "040090001234" },
    { name: "ngay_cai_vneid", label: "Ngày cài đặt VNeID", required: false, example: "02/03/2026" },
    { name: "ngay_kich_hoat_muc2", label: "Ngày kích hoạt định danh mức 2", required: false, example: "03/03/2026" },
    { name: "ngay_tich_hop_bhyt", label: "Ngày tích hợp thẻ BHYT", required: false, example: "" },
    { name: "don_vi_ho_tro", label: "Đơn vị hỗ trợ", required: false, codes: SUPPORT_UNIT_LABELS, example: SUPPORT_UNIT_LABELS.cong_an },
  ],
  population: [
    BLOCK,
    { name: "ngay_hieu_luc", label: "Ngày hiệu lực", required: true, example: "01/01/2026" },
    { name: "dan_so", label: "Dân số trong diện", required: true, example: 1450 },
  ],
  activities: [
    { name: "ngay", label: "Ngày", required: true, example: "05/03/2026" },
    { name: "loai", label: "Loại hoạt động", required: true, codes: ACTIVITY_TYPE_LABELS, example: ACTIVITY_TYPE_LABELS.hoi_nghi },
    { name: "don_vi", label: "Đơn vị thực hiện", required: true, codes: ACTIVITY_UNIT_LABELS, example: ACTIVITY_UNIT_LABELS.van_hoa_xa_hoi },
    { ...BLOCK, required: false },
    { name: "noi_dung", label: "Nội dung", required: false, example: "Hội nghị triển khai Sổ sức khỏe điện tử" },
    { name: "so_nguoi", label: "Số người tham dự / tiếp cận", required: false, example: 120 },
  ],
  facilities: [
    { ...FACILITY, example: "38120" },
    { name: "ten_co_so", label: "Tên cơ sở", required: true, example: "Trạm Y tế phường" },
    { name: "loai", label: "Loại cơ sở", required: false, codes: FACILITY_KIND_LABELS, example: FACILITY_KIND_LABELS.tram_y_te },
  ],
};

/** The visit fields the XML sources carry, under the same canonical names as the table. */
export const XML_VISIT_FIELDS = ["MA_LK", "MA_CSKCB", "SO_CCCD", "MA_THE_BHYT", "NGAY_VAO", "NGAY_RA", "MA_LOAI_KCB", "MA_DOITUONG_KCB"] as const;

/** API path segment → kind (POST /api/v1/:source). */
export const API_SOURCES = {
  visits: "visits_table",
  receipts: "receipts",
  displays: "displays",
  onboarding: "onboarding",
  population: "population",
  activities: "activities",
  facilities: "facilities",
} as const satisfies Record<string, TabularKind>;
export type ApiSource = keyof typeof API_SOURCES;

export const isApiSource = (value: string): value is ApiSource => Object.hasOwn(API_SOURCES, value);

/** Short label of a column for messages: "Mã lượt KCB" (ma_lk). */
export function columnLabel(kind: TabularKind, name: string): string {
  const column = COLUMNS[kind].find((c) => c.name === name);
  return column ? `"${column.label}" (${name})` : name;
}

export function acceptedKindsMessage(kinds: readonly SourceKind[] = SOURCE_KINDS): string {
  return `Các loại tệp được chấp nhận: ${kinds.map((k) => KIND_LABELS[k]).join("; ")}.`;
}

/** The kinds a role may import (all of them for the command line, which has no role). */
export const kindsFor = (role: Role | null): SourceKind[] => SOURCE_KINDS.filter((k) => role === null || can(role, KIND_PERMISSION[k]));

/** What happened to a file, as the history and the upload page say it. */
export const FILE_STATUS_LABELS: Record<string, string> = {
  committed: "Đã nhập",
  unchanged: "Không thay đổi",
  preview: "Xem trước",
  refused: "Bị từ chối",
  duplicate: "Trùng tệp đã nhập, bị từ chối",
};

export const CHANNEL_LABELS: Record<string, string> = {
  upload: "Tải lên",
  cli: "Dòng lệnh",
  api: "API",
  form: "Biểu mẫu",
};
