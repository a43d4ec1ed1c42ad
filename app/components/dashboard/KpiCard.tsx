import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatNumber, formatPercent } from "~/domain/format";
import type { TargetStatus } from "~/domain/metrics-types";
import { HelpLink } from "../help-link";
import { TARGET_LABELS, type Change } from "./figures";

/** Đạt / Chưa đạt / Chưa có dữ liệu against the target set for the figure; "Không có chỉ tiêu" when none is. */
export function TargetBadge({ target }: { target: TargetStatus | null }) {
  if (!target) return <span className="dash-badge dash-badge--no_data">Không có chỉ tiêu</span>;
  const threshold = target.kind === "rate" ? formatPercent(target.threshold) : formatNumber(target.threshold);
  return (
    <span className={`dash-badge dash-badge--${target.status}`} title={`${target.label}: chỉ tiêu ≥ ${threshold} (kỳ ${target.period})`}>
      {TARGET_LABELS[target.status]} · chỉ tiêu {threshold}
    </span>
  );
}

export function ChangeNote({ change, against }: { change: Change | null; against: string }) {
  if (!change) return <span className="dash-change">Không so sánh được với {against}</span>;
  const arrow = change.direction === "up" ? "▲ " : change.direction === "down" ? "▼ " : "";
  return (
    <span className={`dash-change dash-change--${change.direction}`}>
      {arrow}
      {change.text} so với {against}
    </span>
  );
}

export interface KpiCardProps {
  title: string;
  value: string;
  /** The records behind the figure, when the user may see them. */
  href?: string | null;
  detail: ReactNode;
  target: TargetStatus | null;
  change: Change | null;
  previousLabel: string;
  testId: string;
  /** Its entry on the help page. */
  help?: string;
}

export function KpiCard({ title, value, href, detail, target, change, previousLabel, testId, help }: KpiCardProps) {
  return (
    <section className="dash-kpi" data-testid={testId} aria-label={title}>
      <h2>{title}{help ? <HelpLink entry={help} label={title} /> : null}</h2>
      <div className="dash-kpi-value" data-testid={`${testId}-value`}>
        {href ? <Link to={href}>{value}</Link> : value}
      </div>
      <div className="dash-kpi-detail">{detail}</div>
      <div className="dash-kpi-foot">
        <TargetBadge target={target} />
        <ChangeNote change={change} against={previousLabel} />
      </div>
    </section>
  );
}
