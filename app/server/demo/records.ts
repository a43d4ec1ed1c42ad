// What the demo ward keeps by hand rather than imports: budget estimates and spending,
// targets, the plan's tasks and the health station's infrastructure checklist. Dates follow
// the pilot's timeline so the story holds together (equipment bought after approval, a
// task done after the training it needed, …).
import { addDays, makeDay, splitDay } from "~/domain/time";
import type { NewBudgetLine } from "../budget.server";
import type { InfrastructureCategory, InfrastructureStatus, ResponsibleUnit, TaskStatus } from "../plan.server";
import type { Timeline } from "./calendar";
import { DEMO_FACILITIES } from "./profile";

// Support allowance: half the statutory base salary (2.340.000 đ, Nghị định 73/2024/NĐ-CP).
const SUPPORT_ALLOWANCE = 1_170_000;
const QUOTE = "Báo giá của 03 nhà cung cấp";
const CONFERENCE_RULES = "Thông tư 40/2017/TT-BTC (chế độ công tác phí, chi hội nghị)";

export interface DemoEstimate {
  year: number;
  title: string;
  lines: NewBudgetLine[];
  createdOn: string;
  submittedOn: string;
  review: { on: string; decision: "return_review" | "forward"; comment: string };
  /** Absent while the estimate is still in review. */
  approvedOn?: string;
}

const monthsLeftIn = (day: string) => 12 - splitDay(day)[1] + 1;

/** The pilot's first-year estimate: equipment, and running costs from the start month. */
function startLines(startDay: string): NewBudgetLine[] {
  const months = monthsLeftIn(startDay);
  return [
    { category: "thiet_bi", content: "Máy tính để bàn phục vụ tiếp đón và liên thông dữ liệu", unit: "bộ", quantity: 2, unitPrice: 15_800_000, basis: QUOTE },
    { category: "thiet_bi", content: "Máy in laser khổ A4", unit: "cái", quantity: 1, unitPrice: 4_650_000, basis: QUOTE },
    { category: "thiet_bi", content: "Máy quét tài liệu hai mặt", unit: "cái", quantity: 1, unitPrice: 7_900_000, basis: QUOTE },
    { category: "thiet_bi", content: "Đầu đọc thẻ căn cước gắn chip, mã QR", unit: "cái", quantity: 2, unitPrice: 2_850_000, basis: QUOTE },
    { category: "internet", content: "Cước Internet cáp quang gói doanh nghiệp", unit: "tháng", quantity: months, unitPrice: 480_000, basis: "Hợp đồng cung cấp dịch vụ Internet" },
    { category: "nhan_su", content: "Hỗ trợ 02 cán bộ hướng dẫn người dân cài đặt VNeID, tích hợp thẻ BHYT", unit: "người.tháng", quantity: 2 * months, unitPrice: SUPPORT_ALLOWANCE, basis: "50 % mức lương cơ sở" },
    { category: "truyen_thong", content: "In tờ rơi hướng dẫn cài đặt VNeID, tích hợp thẻ BHYT", unit: "tờ", quantity: 3000, unitPrice: 1_200, basis: QUOTE },
    { category: "truyen_thong", content: "Băng rôn tuyên truyền Sổ sức khỏe điện tử (phường và 9 khối)", unit: "cái", quantity: 10, unitPrice: 650_000, basis: QUOTE },
    { category: "tap_huan", content: "Hội nghị triển khai và tập huấn cho Ban cán sự 9 khối", unit: "lớp", quantity: 1, unitPrice: 6_500_000, basis: CONFERENCE_RULES },
  ];
}

/** A full year of running the pilot. */
function runningLines(internetPrice: number): NewBudgetLine[] {
  return [
    { category: "thiet_bi", content: "Máy tính để bàn cho bàn hỗ trợ người dân", unit: "bộ", quantity: 1, unitPrice: 15_800_000, basis: QUOTE },
    { category: "thiet_bi", content: "Bảo trì, sửa chữa máy tính, máy in", unit: "lần", quantity: 2, unitPrice: 1_500_000, basis: QUOTE },
    { category: "internet", content: "Cước Internet cáp quang gói doanh nghiệp", unit: "tháng", quantity: 12, unitPrice: internetPrice, basis: "Hợp đồng cung cấp dịch vụ Internet" },
    { category: "internet", content: "Đường truyền dự phòng 4G", unit: "tháng", quantity: 12, unitPrice: 150_000, basis: "Hợp đồng cung cấp dịch vụ viễn thông" },
    { category: "nhan_su", content: "Hỗ trợ 02 cán bộ hướng dẫn người dân cài đặt VNeID, tích hợp thẻ BHYT", unit: "người.tháng", quantity: 24, unitPrice: SUPPORT_ALLOWANCE, basis: "50 % mức lương cơ sở" },
    { category: "truyen_thong", content: "In tờ rơi hướng dẫn xem Sổ sức khỏe điện tử trên VNeID", unit: "tờ", quantity: 5000, unitPrice: 1_200, basis: QUOTE },
    { category: "truyen_thong", content: "Sản xuất video hướng dẫn đăng tải trên Fanpage, Zalo", unit: "video", quantity: 2, unitPrice: 3_500_000, basis: QUOTE },
    { category: "tap_huan", content: "Tập huấn liên thông dữ liệu cho Trạm Y tế và phòng khám tư nhân", unit: "lớp", quantity: 1, unitPrice: 4_500_000, basis: CONFERENCE_RULES },
    { category: "tap_huan", content: "Hội nghị sơ kết, đánh giá kết quả thí điểm", unit: "hội nghị", quantity: 1, unitPrice: 3_000_000, basis: CONFERENCE_RULES },
    { category: "khac", content: "Văn phòng phẩm, in biểu mẫu báo cáo", unit: "gói", quantity: 1, unitPrice: 1_800_000, basis: null },
  ];
}

/**
 * Approved estimates for every year of the pilot so far, and one in review: for this
 * year, or — from August, when wards prepare next year's budget — for next year.
 */
export function demoEstimates(t: Timeline): DemoEstimate[] {
  const [year, month] = splitDay(t.today);
  const startYear = splitDay(t.startDay)[0];
  const reviewYear = month >= 8 ? year + 1 : year;
  const estimates: DemoEstimate[] = [];
  for (let y = startYear; y < reviewYear; y++) {
    const created = y === startYear ? addDays(t.startDay, 2) : maxDay(addDays(t.startDay, 20), makeDay(y - 1, 12, 1));
    estimates.push({
      year: y,
      title: `Dự toán kinh phí triển khai thí điểm Sổ sức khỏe điện tử năm ${y}`,
      lines: y === startYear ? startLines(t.startDay) : runningLines(480_000),
      createdOn: created,
      submittedOn: addDays(created, 2),
      review: { on: addDays(created, 5), decision: "forward", comment: "Đã thẩm định, nội dung và định mức phù hợp. Đề nghị Lãnh đạo UBND phường phê duyệt." },
      approvedOn: addDays(created, 8),
    });
  }
  const created = addDays(t.today, -21);
  estimates.push({
    year: reviewYear,
    title: `Dự toán kinh phí triển khai thí điểm Sổ sức khỏe điện tử năm ${reviewYear}`,
    lines: [
      ...runningLines(520_000),
      { category: "thiet_bi", content: "Máy quét tài liệu cho bàn hỗ trợ người dân", unit: "cái", quantity: 1, unitPrice: 8_200_000, basis: QUOTE },
    ],
    createdOn: created,
    submittedOn: addDays(created, 3),
    review: {
      on: addDays(created, 12),
      decision: "return_review",
      comment: "Đề nghị Trạm Y tế bổ sung báo giá cho máy quét tài liệu; cước Internet điều chỉnh theo hợp đồng mới (520.000 đ/tháng) cần kèm phụ lục hợp đồng.",
    },
  });
  return estimates;
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);

export interface DemoExpenditure {
  linePosition: number;
  date: string;
  amount: number;
  content: string;
}

/** Spending on an approved estimate up to today: purchases after approval, monthly bills, training days. */
export function demoExpenditures(t: Timeline, estimate: DemoEstimate, unit: (n: number) => number): DemoExpenditure[] {
  const out: DemoExpenditure[] = [];
  const from = maxDay(estimate.approvedOn!, makeDay(estimate.year, 1, 1));
  const yearEnd = makeDay(estimate.year, 12, 31);
  const lastDay = minDay(t.today, yearEnd);
  const months: string[] = [];
  for (let d = from.slice(0, 7) + "-01"; d <= lastDay; d = addDays(d, 32).slice(0, 7) + "-01") months.push(d.slice(0, 7));
  estimate.lines.forEach((line, i) => {
    const position = i + 1;
    const spend = (date: string, amount: number, content: string) => {
      const day = minDay(date, yearEnd);
      if (day <= lastDay && day >= from) out.push({ linePosition: position, date: day, amount, content });
    };
    switch (line.category) {
      case "thiet_bi":
      case "khac":
        // Bought once, a little under the estimate after comparing quotes.
        spend(addDays(from, 20 + position * 3), Math.round((line.quantity * line.unitPrice * (0.94 + unit(position) * 0.06)) / 1000) * 1000, `Thanh toán: ${line.content}`);
        break;
      case "internet":
        for (const m of months.slice(0, line.quantity)) spend(`${m}-05`, line.unitPrice, `${line.content} tháng ${Number(m.slice(5))}/${m.slice(0, 4)}`);
        break;
      case "nhan_su":
        // Two staff paid each month until the estimate's person-months are used.
        for (const m of months.slice(0, line.quantity / 2)) spend(`${m}-25`, 2 * line.unitPrice, `Chi hỗ trợ cán bộ tháng ${Number(m.slice(5))}/${m.slice(0, 4)}`);
        break;
      default:
        spend(addDays(from, 10 + position * 9), Math.round((line.quantity * line.unitPrice * (0.9 + unit(position) * 0.1)) / 1000) * 1000, `Thanh toán: ${line.content}`);
    }
  });
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.linePosition - b.linePosition);
}

/** The plan's tasks (section III phases, section IV units) and how far each has got. */
export function demoPlanTasks(t: Timeline) {
  const at = (days: number) => minDay(addDays(t.startDay, days), t.today);
  const clinicConnected = t.days[Math.round(DEMO_FACILITIES[2].connectedAt * (t.days.length - 1))];
  const yearEnd = makeDay(splitDay(t.today)[0], 12, 31);
  const task = (phase: 1 | 2, title: string, responsibleUnit: ResponsibleUnit, status: TaskStatus, doneOn: string | null, dueDate: string | null, note: string | null = null) =>
    ({ phase, title, responsibleUnit, status, doneOn: status === "done" ? doneOn : null, dueDate, note });
  return [
    task(1, "Xây dựng Kế hoạch triển khai thí điểm và các văn bản chỉ đạo, điều hành", "ubnd", "done", at(4), at(10)),
    task(1, "Tổ chức hội nghị triển khai cho lãnh đạo, trưởng các ban, ngành, đoàn thể", "ubnd", "done", at(12), at(15)),
    task(1, "Xây dựng chương trình phối hợp giữa các đơn vị, các khối", "van_hoa_xa_hoi", "done", at(20), at(30)),
    task(1, "Xây dựng kế hoạch truyền thông về Sổ sức khỏe điện tử", "van_hoa_xa_hoi", "done", at(18), at(30)),
    task(1, "Rà soát, đánh giá hiện trạng hạ tầng, đường truyền Internet của Trạm Y tế", "tram_y_te", "done", at(9), at(20)),
    task(1, "Tham gia tập huấn liên thông dữ liệu lên Cổng tiếp nhận dữ liệu giám định BHYT", "tram_y_te", "done", at(14), at(30)),
    task(1, "Xây dựng dự toán kinh phí, thẩm định, trình phê duyệt", "tai_chinh_ke_toan", "done", at(10), at(20)),
    task(2, "Kết nối, liên thông dữ liệu từ Trạm Y tế lên Cổng tiếp nhận dữ liệu giám định BHYT", "tram_y_te", "done", at(30), at(45)),
    task(2, "Kết nối liên thông dữ liệu của các phòng khám tư nhân trên địa bàn", "tram_y_te", "done", clinicConnected, at(60), "Phòng khám chuyên khoa Nội Bình An kết nối chậm do thay phần mềm quản lý"),
    task(2, "Tiếp nhận KCB bằng thẻ căn cước, số định danh cá nhân hoặc thẻ BHYT cho tất cả người bệnh", "tram_y_te", "doing", null, null),
    task(2, "Bảo đảm dữ liệu hiển thị trên VNeID trong vòng 24 giờ kể từ khi Cổng tiếp nhận", "tram_y_te", "doing", null, null, "Còn hồ sơ quá hạn, rà soát hằng tuần"),
    task(2, "Hướng dẫn, hỗ trợ người dân cài đặt VNeID, kích hoạt định danh mức 2, tích hợp thẻ BHYT", "cong_an", "doing", null, null),
    task(2, "Rà soát, hỗ trợ người dân trong khối cài đặt VNeID, tích hợp thẻ BHYT", "ban_can_su_khoi", "doing", null, null, "Khối 7, Khối 8 còn chậm"),
    task(2, "Bảo đảm an toàn thông tin theo cấp độ hệ thống thông tin", "van_hoa_xa_hoi", "doing", null, null),
    task(2, "Thường xuyên đăng tải tin, bài tuyên truyền lợi ích Sổ sức khỏe điện tử", "van_hoa_xa_hoi", "doing", null, null),
    task(2, "Thẩm định, tham mưu phê duyệt kinh phí triển khai hằng năm", "tai_chinh_ke_toan", "doing", null, null),
    task(2, "Báo cáo định kỳ UBND thị xã và Trung tâm Y tế", "tram_y_te", "doing", null, null),
    task(2, "Đánh giá kết quả triển khai thí điểm", "ubnd", "todo", null, yearEnd),
  ];
}

/** The health station's checklist (plan II.3.a). Items in the estimate under review are not there yet. */
export function demoInfrastructure(t: Timeline): Array<{ category: InfrastructureCategory; item: string; status: InfrastructureStatus; note: string | null; checkedOn: string }> {
  const review = minDay(addDays(t.startDay, 9), t.today);
  const recent = addDays(t.today, -12);
  return [
    { category: "may_tinh", item: "Máy tính cài phần mềm quản lý KCB, kết nối Cổng giám định BHYT", status: "dat", note: null, checkedOn: recent },
    { category: "may_tinh", item: "Máy tính tại bàn hỗ trợ người dân cài đặt VNeID", status: "dat", note: null, checkedOn: recent },
    { category: "may_in", item: "Máy in phiếu khám, đơn thuốc", status: "dat", note: null, checkedOn: recent },
    { category: "may_quet", item: "Máy quét tài liệu tại khu tiếp đón", status: "dat", note: null, checkedOn: recent },
    { category: "may_quet", item: "Máy quét tài liệu tại bàn hỗ trợ người dân", status: "chua_dat", note: "Đã đề xuất trong dự toán đang thẩm định", checkedOn: recent },
    { category: "khac", item: "Đầu đọc thẻ căn cước gắn chip, mã QR tại quầy tiếp đón", status: "dat", note: null, checkedOn: recent },
    { category: "internet", item: "Đường truyền Internet cáp quang tốc độ tối thiểu 100 Mbps", status: "dat", note: null, checkedOn: recent },
    { category: "internet", item: "Đường truyền dự phòng 4G", status: "dang_trien_khai", note: "Đang làm thủ tục với nhà mạng", checkedOn: recent },
    { category: "nhan_su", item: "Cán bộ phụ trách liên thông dữ liệu lên Cổng giám định", status: "dat", note: null, checkedOn: review },
    { category: "nhan_su", item: "Cán bộ hỗ trợ người dân cài đặt VNeID, tích hợp thẻ BHYT", status: "dat", note: "02 cán bộ", checkedOn: review },
    { category: "khac", item: "Chứng thư số của cơ sở KCB còn hiệu lực", status: "dat", note: "Đã gia hạn sau đợt lỗi E412", checkedOn: recent },
    { category: "khac", item: "Phần mềm diệt virus, sao lưu dữ liệu định kỳ", status: "dang_trien_khai", note: "Chưa sao lưu ra thiết bị ngoài", checkedOn: recent },
  ];
}

/** Targets for this year and its quarters: the ward's rates and each block's fully onboarded share. */
export function demoTargets(t: Timeline): Array<{ indicator: string; block: number | null; period: string; threshold: number }> {
  const year = t.today.slice(0, 4);
  const targets: Array<{ indicator: string; block: number | null; period: string; threshold: number }> = [];
  for (const period of [year, `${year}-Q1`, `${year}-Q2`, `${year}-Q3`, `${year}-Q4`]) {
    targets.push({ indicator: "i1.rate", block: null, period, threshold: 0.9 });
    targets.push({ indicator: "i2.rate", block: null, period, threshold: 0.95 });
    targets.push({ indicator: "i3.rate", block: null, period, threshold: 0.9 });
  }
  const onboarded: Array<[string, number]> = [[year, 0.5], [`${year}-Q1`, 0.2], [`${year}-Q2`, 0.3], [`${year}-Q3`, 0.4], [`${year}-Q4`, 0.5]];
  for (let block = 1; block <= 9; block++) {
    for (const [period, threshold] of onboarded) targets.push({ indicator: "i4.fullyOnboarded.rate", block, period, threshold });
  }
  return targets;
}
