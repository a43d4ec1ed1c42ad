import type { WorkItemKind } from "./metrics-types";

/** Why a record is on the work list, as the health station reads it. */
export const WORK_KIND_LABELS: Record<WorkItemKind, string> = {
  not_sent: "Chưa gửi lên Cổng",
  rejected: "Bị Cổng từ chối",
  overdue: "Quá hạn hiển thị VNeID",
};
