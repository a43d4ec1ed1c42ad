// The figures whose records can be listed, and what the list page calls each one.
import { I3_STATUS_LABELS, METHOD_LABELS } from "./codes";
import type { MethodCode, MetricsJson } from "./metrics-types";

export const I1_FIGURES = ["i1.total", "i1.identified", "i1.method.the_can_cuoc", "i1.method.so_dinh_danh", "i1.method.the_bhyt", "i1.method.khong"] as const;
export const I2_FIGURES = ["i2.ended", "i2.sent", "i2.rejected", "i2.notSent"] as const;
export const I3_FIGURES = ["i3.all", "i3.onTime", "i3.late", "i3.overdue", "i3.pending"] as const;
export const RECORD_FIGURES = [...I1_FIGURES, ...I2_FIGURES, ...I3_FIGURES] as const;
export type RecordFigure = (typeof RECORD_FIGURES)[number];

export const isRecordFigure = (s: string): s is RecordFigure => (RECORD_FIGURES as readonly string[]).includes(s);

/** The count a figure shows in METRICS.md's object: its records list has exactly that many rows. */
export function figureCount(m: Pick<MetricsJson, "i1" | "i2" | "i3">, figure: RecordFigure): number {
  const [family, name, method] = figure.split(".");
  if (family === "i1") return name === "method" ? m.i1.byMethod[method as MethodCode] : m.i1[name as "total" | "identified"];
  if (family === "i2") return m.i2[name as "ended" | "sent" | "rejected" | "notSent"];
  if (name === "all") return m.i3.onTime + m.i3.late + m.i3.overdue + m.i3.pending;
  return m.i3[name as "onTime" | "late" | "overdue" | "pending"];
}

export type SendingStatus = "sent" | "rejected" | "notSent";

export const SENDING_LABELS: Record<SendingStatus, string> = {
  sent: "Đã liên thông",
  rejected: "Bị từ chối",
  notSent: "Chưa gửi",
};

export const FIGURE_LABELS: Record<RecordFigure, string> = {
  "i1.total": "Lượt KCB trong kỳ (theo thời điểm vào khám)",
  "i1.identified": "Lượt KCB tiếp nhận bằng định danh",
  "i1.method.the_can_cuoc": `Lượt KCB tiếp nhận bằng ${METHOD_LABELS.the_can_cuoc.toLowerCase()}`,
  "i1.method.so_dinh_danh": `Lượt KCB tiếp nhận bằng ${METHOD_LABELS.so_dinh_danh.toLowerCase()}`,
  "i1.method.the_bhyt": `Lượt KCB tiếp nhận bằng số ${METHOD_LABELS.the_bhyt.replace("Thẻ", "thẻ")}`,
  "i1.method.khong": "Lượt KCB không có định danh hợp lệ",
  "i2.ended": "Hồ sơ đã kết thúc khám trong kỳ",
  "i2.sent": "Hồ sơ đã liên thông lên Cổng giám định BHYT",
  "i2.rejected": "Hồ sơ bị Cổng từ chối, chưa được chấp nhận",
  "i2.notSent": "Hồ sơ chưa gửi lên Cổng giám định BHYT",
  "i3.all": "Hồ sơ được Cổng tiếp nhận trong kỳ",
  "i3.onTime": `Hồ sơ hiển thị trên VNeID: ${I3_STATUS_LABELS.onTime.toLowerCase()}`,
  "i3.late": `Hồ sơ hiển thị trên VNeID: ${I3_STATUS_LABELS.late.toLowerCase()}`,
  "i3.overdue": "Hồ sơ quá hạn, chưa hiển thị trên VNeID",
  "i3.pending": "Hồ sơ đang chờ hiển thị (chưa đủ 24 giờ)",
};
