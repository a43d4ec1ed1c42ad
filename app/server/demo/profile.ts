// The demo ward: a synthetic ward in Khánh Hòa (personal IDs open with 056, insurance
// cards and facility codes with 56). Every name here is invented; none is a real person.

export const DEMO_WARD = {
  name: "Phường Hòa Thạnh",
  code: "22483",
  placeName: "Hòa Thạnh",
  signerName: "Phạm Quốc Thắng",
  signerTitle: "Phó Chủ tịch",
  provinceCode: "056", // first three digits of a resident's personal ID
  cardProvince: "56", // province digits of an insurance card and a social-insurance number
} as const;

export const BLOCK_COUNT = 9;

export interface DemoFacility {
  code: string;
  name: string;
  kind: "tram_y_te" | "phong_kham";
  /** Prefix of its visit keys (MA_LK). */
  keyPrefix: string;
  /** Share of the ward's visits. */
  share: number;
  /** Its export writes the method column as Vietnamese labels instead of codes. */
  methodAsLabel: boolean;
  /** Fraction of the pilot year before it was connected to the gateway (0 = from the start). */
  connectedAt: number;
}

export const DEMO_FACILITIES: readonly DemoFacility[] = [
  { code: "56214", name: "Trạm Y tế phường Hòa Thạnh", kind: "tram_y_te", keyPrefix: "TYT", share: 0.6, methodAsLabel: false, connectedAt: 0 },
  { code: "56A07", name: "Phòng khám đa khoa Tâm Đức", kind: "phong_kham", keyPrefix: "TD", share: 0.25, methodAsLabel: false, connectedAt: 0 },
  { code: "56B12", name: "Phòng khám chuyên khoa Nội Bình An", kind: "phong_kham", keyPrefix: "BA", share: 0.15, methodAsLabel: true, connectedAt: 0.2 },
];

/**
 * How each block takes up onboarding: the share of its residents helped to install VNeID
 * by now, and how late (fraction of the pilot year) its committee got going. Blocks 1–3
 * and 6 are the active ones (1 and 2 reach half their residents fully onboarded); 7 and 8
 * lag far behind.
 */
export const BLOCK_UPTAKE: ReadonlyArray<{ installed: number; lag: number; population: number }> = [
  { installed: 0.82, lag: 0.08, population: 1520 },
  { installed: 0.77, lag: 0.1, population: 1685 },
  { installed: 0.61, lag: 0.14, population: 1390 },
  { installed: 0.43, lag: 0.3, population: 1760 },
  { installed: 0.37, lag: 0.34, population: 1245 },
  { installed: 0.55, lag: 0.18, population: 1455 },
  { installed: 0.24, lag: 0.5, population: 1610 },
  { installed: 0.19, lag: 0.56, population: 1330 },
  { installed: 0.47, lag: 0.24, population: 1580 },
];

/** Gateway answers other than 200, with how often each comes up. */
export const GATEWAY_REJECTIONS: ReadonlyArray<readonly [{ code: string; message: string }, number]> = [
  [{ code: "E101", message: "Mã thẻ BHYT không đúng hoặc không còn giá trị sử dụng" }, 30],
  [{ code: "E108", message: "Số định danh cá nhân không khớp với Cơ sở dữ liệu quốc gia về dân cư" }, 18],
  [{ code: "E205", message: "Thiếu mã bệnh chính (MA_BENH_CHINH) theo ICD-10" }, 22],
  [{ code: "E307", message: "Mã dịch vụ kỹ thuật hoặc mã thuốc không có trong danh mục đã được phê duyệt" }, 20],
  [{ code: "E500", message: "Lỗi xử lý tại Cổng tiếp nhận, đề nghị gửi lại hồ sơ" }, 6],
];

/** A whole day when the station's digital-signature certificate had expired. */
export const CERTIFICATE_REJECTION = { code: "E412", message: "Chứng thư số của cơ sở KCB không hợp lệ hoặc đã hết hạn" } as const;

export interface DemoUser {
  username: string;
  displayName: string;
  role: "lanh_dao" | "tram_y_te" | "cong_an" | "van_hoa" | "tai_chinh" | "ban_can_su_khoi" | "quan_tri";
  blockNumber: number | null;
}

const BLOCK_LEADERS = [
  "Nguyễn Văn Lộc", "Trần Thị Hoa", "Lê Văn Sáu", "Đặng Thị Bích", "Huỳnh Văn Tám",
  "Phan Thị Mai", "Võ Văn Hòa", "Bùi Thị Lan", "Ngô Văn Phúc",
];

export const DEMO_USERS: readonly DemoUser[] = [
  { username: "lanhdao", displayName: `${DEMO_WARD.signerName} (Phó Chủ tịch UBND)`, role: "lanh_dao", blockNumber: null },
  { username: "tramyte", displayName: "Nguyễn Thị Thu Hà (Trạm Y tế)", role: "tram_y_te", blockNumber: null },
  { username: "congan", displayName: "Lê Minh Tuấn (Công an phường)", role: "cong_an", blockNumber: null },
  { username: "vanhoa", displayName: "Trần Thị Mỹ Linh (Văn hóa - Xã hội)", role: "van_hoa", blockNumber: null },
  { username: "taichinh", displayName: "Võ Thị Ngọc Ánh (Tài chính - Kế toán)", role: "tai_chinh", blockNumber: null },
  ...BLOCK_LEADERS.map((name, i): DemoUser => ({
    username: `khoi${i + 1}`,
    displayName: `${name} (Ban cán sự Khối ${i + 1})`,
    role: "ban_can_su_khoi",
    blockNumber: i + 1,
  })),
  { username: "quantri", displayName: "Quản trị hệ thống", role: "quan_tri", blockNumber: null },
];
