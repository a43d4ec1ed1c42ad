import { formatMoney, formatPercent } from "~/domain/format";
import { EmptyState } from "./Panel";

import type { I6Figures } from "~/domain/metrics-types";

/** I6: the year's budget and what the money bought in the period. */
export function BudgetPanel({ i6 }: { i6: I6Figures }) {
  if (i6.estimated === 0 && i6.approved === 0 && i6.spent === 0) return <EmptyState />;
  const rows: Array<[string, string, string]> = [
    [`Dự toán năm ${i6.year}`, formatMoney(i6.estimated), "i6-estimated"],
    ["Được phê duyệt", formatMoney(i6.approved), "i6-approved"],
    ["Đã chi trong kỳ", formatMoney(i6.spent), "i6-spent"],
    ["Tỷ lệ thực hiện (đã chi / phê duyệt)", formatPercent(i6.executionRate), "i6-execution"],
    ["Chi phí cho mỗi người hoàn thành 3 bước", formatMoney(roundDong(i6.costPerFullyOnboarded)), "i6-cost-onboarded"],
    ["Chi phí cho mỗi hồ sơ liên thông", formatMoney(roundDong(i6.costPerRecordSent)), "i6-cost-record"],
  ];
  return (
    <dl className="dash-figures">
      {rows.map(([label, value, id]) => (
        <div key={id}>
          <dt>{label}</dt>
          <dd data-testid={id}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Cost-effectiveness is a ratio; money is shown in whole đồng. */
const roundDong = (v: number | null) => (v === null ? null : Math.round(v));
