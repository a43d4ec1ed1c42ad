// Communication and training activities (FORMATS.md §7), month by month: what the plan's
// section II.2 and IV asks of each unit, done more eagerly in some blocks than others.
import { formatDay } from "~/domain/format";
import { daysInMonth, makeDay } from "~/domain/time";
import type { Timeline } from "./calendar";
import { BLOCK_UPTAKE } from "./profile";
import { rngFor, type Rng } from "./random";

export type ActivityRow = { ngay: string; loai: string; don_vi: string; khoi: string; noi_dung: string; so_nguoi: string };

const ARTICLES = [
  "Lợi ích của Sổ sức khỏe điện tử khi đi khám, chữa bệnh",
  "Hướng dẫn tích hợp thẻ BHYT vào ứng dụng VNeID",
  "Tra cứu lịch sử khám, chữa bệnh trên Sổ sức khỏe điện tử VNeID",
  "Khám bệnh bằng thẻ căn cước gắn chip, không cần mang thẻ BHYT giấy",
  "Bảo vệ dữ liệu cá nhân khi sử dụng ứng dụng VNeID",
  "Kích hoạt tài khoản định danh điện tử mức độ 2: những điều cần biết",
];
const POSTS = [
  "Đăng tin trên Fanpage UBND phường: hướng dẫn xem Sổ sức khỏe điện tử trên VNeID",
  "Chia sẻ video hướng dẫn kích hoạt định danh điện tử mức 2 trên nhóm Zalo phường",
  "Đăng infographic lợi ích Sổ sức khỏe điện tử trên Fanpage UBND phường",
  "Đăng tin lịch hỗ trợ cài đặt VNeID tại các khối trên nhóm Zalo phường",
];

interface MonthContext {
  rng: Rng;
  month: string;
  monthIndex: number;
  lastDay: number; // last day of the month that has passed
}

function dayIn(c: MonthContext, from = 1): string {
  const [y, m] = c.month.split("-").map(Number);
  return makeDay(y, m, c.rng.int(Math.min(from, c.lastDay), c.lastDay));
}

const row = (day: string, loai: string, donVi: string, noiDung: string, soNguoi: number | null, khoi = ""): ActivityRow => ({
  ngay: formatDay(day), loai, don_vi: donVi, khoi, noi_dung: noiDung, so_nguoi: soNguoi === null ? "" : String(soNguoi),
});

/** Ward-level units: UBND, culture officer, police, health station. */
function wardActivities(c: MonthContext): ActivityRow[] {
  const { rng, monthIndex: k } = c;
  const rows: ActivityRow[] = [];
  if (k === 0) {
    rows.push(row(dayIn(c, 5), "hoi_nghi", "ubnd", "Hội nghị triển khai Kế hoạch thí điểm Sổ sức khỏe điện tử tích hợp trên ứng dụng VNeID cho lãnh đạo, trưởng các ban, ngành, đoàn thể", rng.int(70, 95)));
    rows.push(row(dayIn(c, 10), "tap_huan", "tram_y_te", "Tham gia tập huấn liên thông dữ liệu lên Cổng tiếp nhận dữ liệu giám định BHYT do Trung tâm Y tế tổ chức", rng.int(4, 7)));
  }
  if (k === 1) {
    rows.push(row(dayIn(c), "tap_huan", "cong_an", "Tập huấn cho Ban cán sự 9 khối về hướng dẫn cài đặt VNeID, kích hoạt định danh mức 2, tích hợp thẻ BHYT", rng.int(32, 40)));
    rows.push(row(dayIn(c), "tap_huan", "van_hoa_xa_hoi", "Tập huấn bảo đảm an toàn thông tin theo cấp độ cho cán bộ Trạm Y tế", rng.int(8, 14)));
  }
  if (k === 6) {
    rows.push(row(dayIn(c), "hoi_nghi", "ubnd", "Hội nghị sơ kết 6 tháng triển khai thí điểm Sổ sức khỏe điện tử", rng.int(55, 80)));
    rows.push(row(dayIn(c), "tap_huan", "tram_y_te", "Tập huấn cập nhật quy trình liên thông dữ liệu cho Trạm Y tế và phòng khám tư nhân", rng.int(12, 20)));
  }
  if (k === 9) rows.push(row(dayIn(c), "tap_huan", "cong_an", "Tập huấn kỹ năng hướng dẫn người cao tuổi sử dụng VNeID cho Ban cán sự khối", rng.int(25, 36)));
  else if (k > 0 && k % 3 === 0) rows.push(row(dayIn(c), "hoi_nghi", "ubnd", "Giao ban đánh giá tiến độ triển khai Sổ sức khỏe điện tử theo quý", rng.int(22, 35)));
  for (let i = rng.int(2, 3); i > 0; i--) rows.push(row(dayIn(c), "bai_viet", "van_hoa_xa_hoi", `Bài viết trên Trang thông tin điện tử phường: ${rng.pick(ARTICLES)}`, rng.int(150, 1200)));
  for (let i = rng.int(3, 6); i > 0; i--) rows.push(row(dayIn(c), "mang_xa_hoi", "van_hoa_xa_hoi", rng.pick(POSTS), rng.int(300, 2500)));
  for (let week = 0; week < 4 && week * 7 < c.lastDay; week++) {
    rows.push(row(dayIn(c, week * 7 + 1), "loa_fm", "van_hoa_xa_hoi", "Phát thanh trên hệ thống loa FM phường về lợi ích của Sổ sức khỏe điện tử", null));
  }
  if (k >= 1) {
    for (let i = rng.int(1, 3); i > 0; i--) {
      const block = rng.int(1, BLOCK_UPTAKE.length);
      rows.push(row(dayIn(c), "khac", "cong_an", `Ra quân hỗ trợ người dân cài đặt VNeID, kích hoạt định danh mức 2 tại Nhà văn hóa Khối ${block}`, rng.int(40, 160), `Khối ${block}`));
    }
  }
  rows.push(row(dayIn(c), "khac", "tram_y_te", "Tư vấn, hướng dẫn người bệnh tích hợp thẻ BHYT vào VNeID tại khu vực tiếp đón", rng.int(60, 200)));
  return rows;
}

/** One block committee's month, once the block has got going. */
function blockActivities(c: MonthContext, block: number, monthsTotal: number): ActivityRow[] {
  const { rng } = c;
  const uptake = BLOCK_UPTAKE[block - 1];
  if (c.monthIndex < Math.floor(uptake.lag * monthsTotal * 0.8)) return [];
  const active = uptake.lag < 0.3;
  const khoi = `Khối ${block}`;
  const rows: ActivityRow[] = [];
  if (rng.chance(active ? 0.5 : 0.25)) {
    rows.push(row(dayIn(c), "hoi_nghi", "ban_can_su_khoi", `Họp dân ${khoi}: phổ biến lợi ích Sổ sức khỏe điện tử, hướng dẫn cài đặt VNeID`, rng.int(35, 110), khoi));
  }
  for (let i = active ? rng.int(1, 4) : rng.int(0, 1); i > 0; i--) {
    rows.push(row(dayIn(c), "mang_xa_hoi", "ban_can_su_khoi", `Đăng tin hướng dẫn tích hợp thẻ BHYT vào VNeID trên nhóm Zalo ${khoi}`, rng.int(60, 320), khoi));
  }
  for (let i = rng.int(0, 2); i > 0; i--) rows.push(row(dayIn(c), "loa_fm", "ban_can_su_khoi", `Phát thanh trên loa truyền thanh ${khoi}`, null, khoi));
  return rows;
}

/** The month's activity lists: the culture officer's for the ward, then each block committee's. */
export function activityFiles(seed: number, timeline: Timeline, monthIndex: number): Array<{ block: number | null; rows: ActivityRow[] }> {
  const month = timeline.months[monthIndex];
  const [y, m] = month.split("-").map(Number);
  const lastDay = month === timeline.today.slice(0, 7) ? Number(timeline.today.slice(8)) : daysInMonth(y, m);
  const byDate = (rows: ActivityRow[]) => rows.sort((a, b) => a.ngay.split("/").reverse().join().localeCompare(b.ngay.split("/").reverse().join()));
  const context = (key: string | number): MonthContext => ({ rng: rngFor(seed, "activities", month, key), month, monthIndex, lastDay });
  const files = [{ block: null as number | null, rows: byDate(wardActivities(context("ward"))) }];
  for (let block = 1; block <= BLOCK_UPTAKE.length; block++) {
    files.push({ block, rows: byDate(blockActivities(context(block), block, timeline.months.length)) });
  }
  return files.filter((f) => f.rows.length > 0);
}
