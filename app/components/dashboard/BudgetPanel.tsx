import { BUDGET_CATEGORY_LABELS } from "~/domain/codes";
import { formatDay, formatMoney, formatPercent } from "~/domain/format";
import { EmptyState } from "./Panel";

import type { I6Figures } from "~/domain/metrics-types";

export interface BudgetYear {
  year: number;
  toDay: string;
  approved: number;
  spentToDate: number;
  executionRate: number | null;
  categories: Array<{ category: string; estimated: number; approved: number; spentToDate: number }>;
}

const CATEGORY_LABELS: Record<string, string> = { ...BUDGET_CATEGORY_LABELS, ngoai_du_toan: "Ngoài dự toán" };

/**
 * I6 and the year behind it: the year's estimate and approved amount, spent from
 * 1 January to the period's end (execution rate on that), then what the period's spending
 * bought. A cost is "—" when nothing was spent in the period, never "0 đ per resident".
 */
export function BudgetPanel({ i6, year, periodLabel }: { i6: I6Figures; year: BudgetYear | null; periodLabel: string }) {
  const spentToDate = year?.spentToDate ?? 0;
  if (i6.estimated === 0 && i6.approved === 0 && i6.spent === 0 && spentToDate === 0) return <EmptyState />;
  const cost = (v: number | null) => (i6.spent > 0 && v !== null ? formatMoney(Math.round(v)) : "—");
  const rows: Array<[string, string, string]> = [
    [`Dự toán năm ${i6.year}`, formatMoney(i6.estimated), "i6-estimated"],
    [`Được phê duyệt năm ${i6.year}`, formatMoney(i6.approved), "i6-approved"],
    [`Đã chi từ đầu năm đến ${year ? formatDay(year.toDay) : "nay"}`, formatMoney(spentToDate), "budget-spent-ytd"],
    ["Tỷ lệ thực hiện (đã chi từ đầu năm / phê duyệt)", formatPercent(year?.executionRate ?? null), "budget-execution-ytd"],
    [`Đã chi trong kỳ (${periodLabel})`, i6.spent > 0 ? formatMoney(i6.spent) : "—", "i6-spent"],
    ["Chi phí trong kỳ cho mỗi người hoàn thành 3 bước", cost(i6.costPerFullyOnboarded), "i6-cost-onboarded"],
    ["Chi phí trong kỳ cho mỗi hồ sơ liên thông", cost(i6.costPerRecordSent), "i6-cost-record"],
  ];
  return (
    <>
      <dl className="dash-figures">
        {rows.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={id}>{value}</dd>
          </div>
        ))}
      </dl>
      {year && year.categories.length > 0 && (
        <div className="table-wrap">
          <table className="data" data-testid="budget-categories">
            <caption className="visually-hidden">Kinh phí theo nhóm chi</caption>
            <thead>
              <tr><th>Nhóm chi</th><th className="num">Dự toán</th><th className="num">Phê duyệt</th><th className="num">Đã chi từ đầu năm</th><th className="num">Tỷ lệ</th></tr>
            </thead>
            <tbody>
              {year.categories.map((c) => (
                <tr key={c.category}>
                  <td>{CATEGORY_LABELS[c.category] ?? c.category}</td>
                  <td className="num nowrap">{formatMoney(c.estimated)}</td>
                  <td className="num nowrap">{formatMoney(c.approved)}</td>
                  <td className="num nowrap">{c.spentToDate > 0 ? formatMoney(c.spentToDate) : "—"}</td>
                  <td className="num">{formatPercent(c.approved > 0 ? c.spentToDate / c.approved : null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
