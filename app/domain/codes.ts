// Every coded value of the spec with its Vietnamese label.
import { foldKey } from "./text";

export const METHOD_LABELS = {
  the_can_cuoc: "Thẻ căn cước",
  so_dinh_danh: "Số định danh cá nhân",
  the_bhyt: "Thẻ BHYT",
  khong: "Không",
} as const;

export const ACTIVITY_TYPE_LABELS = {
  hoi_nghi: "Hội nghị",
  bai_viet: "Bài viết, đăng tin",
  loa_fm: "Phát thanh loa FM",
  mang_xa_hoi: "Facebook, Zalo",
  tap_huan: "Tập huấn",
  khac: "Khác",
} as const;

export const ACTIVITY_UNIT_LABELS = {
  tram_y_te: "Trạm Y tế",
  cong_an: "Công an phường",
  van_hoa_xa_hoi: "Văn hóa - Xã hội",
  tai_chinh_ke_toan: "Tài chính - Kế toán",
  ban_can_su_khoi: "Ban cán sự khối",
  ubnd: "UBND phường",
} as const;

export const SUPPORT_UNIT_LABELS = {
  cong_an: "Công an phường",
  ban_can_su_khoi: "Ban cán sự khối",
  tram_y_te: "Trạm Y tế",
  khac: "Khác",
} as const;

export const FACILITY_KIND_LABELS = {
  tram_y_te: "Trạm Y tế",
  phong_kham: "Phòng khám",
  khac: "Khác",
} as const;
export type FacilityKind = keyof typeof FACILITY_KIND_LABELS;

export const DISPLAY_SOURCE_LABELS = {
  bhxh: "Phản hồi của BHXH",
  kiem_tra: "Cán bộ kiểm tra",
} as const;

export const ONBOARDING_STEP_LABELS = {
  vneidInstalled: "Cài đặt VNeID",
  level2Activated: "Kích hoạt định danh mức 2",
  bhytLinked: "Tích hợp thẻ BHYT",
  fullyOnboarded: "Hoàn thành cả 3 bước",
} as const;

export const I3_STATUS_LABELS = {
  onTime: "Đúng hạn (≤ 24 giờ)",
  late: "Trễ hạn (> 24 giờ)",
  overdue: "Quá hạn chưa hiển thị",
  pending: "Đang chờ (chưa đủ 24 giờ)",
} as const;

export const BUDGET_CATEGORY_LABELS = {
  thiet_bi: "Trang thiết bị (máy tính, máy in, máy quét)",
  internet: "Kết nối Internet",
  nhan_su: "Nhân sự hỗ trợ",
  truyen_thong: "Tài liệu truyền thông",
  tap_huan: "Tập huấn",
  khac: "Khác",
} as const;

/** R2 visit-type groups and the default MA_LOAI_KCB mapping (editable in settings). */
export const VISIT_TYPE_GROUPS = [
  { key: "kham_ngoai_tru", label: "Khám bệnh ngoại trú", codes: ["01", "10", "11", "12", "13", "15", "16"] },
  { key: "dieu_tri_ngoai_tru", label: "Điều trị ngoại trú", codes: ["02", "05", "06", "08"] },
  { key: "linh_thuoc", label: "Lĩnh thuốc theo hẹn", codes: ["07"] },
  { key: "noi_tru", label: "Điều trị nội trú", codes: ["03", "09"] },
  { key: "noi_tru_ban_ngay", label: "Điều trị nội trú ban ngày", codes: ["04"] },
  { key: "tu_xa", label: "Khám bệnh, chữa bệnh từ xa", codes: ["14"] },
] as const;

/**
 * Reads a coded value given either as its code or as its Vietnamese label, ignoring
 * case, spaces and diacritics. Returns null when it is neither.
 */
export function parseCode<K extends string>(labels: Record<K, string>, raw: string): K | null {
  const folded = foldKey(raw);
  if (!folded) return null;
  for (const [code, label] of Object.entries(labels) as [K, string][]) {
    if (foldKey(code) === folded || foldKey(label) === folded) return code;
  }
  return null;
}

export const codesOf = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as K[];
