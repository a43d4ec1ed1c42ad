import { Link } from "@remix-run/react";
import type { TrendBy } from "~/domain/periods";

/** "Theo tuần | Theo tháng": links, so the choice is in the URL and survives a reload. */
export function TrendSwitch({ current, params }: { current: TrendBy; params: Record<string, string> }) {
  const href = (by: TrendBy) => `?${new URLSearchParams({ ...params, trend: by })}`;
  return (
    <nav className="dash-switch" aria-label="Chia theo">
      <Link to={href("week")} aria-current={current === "week" ? "page" : undefined} preventScrollReset>
        Theo tuần
      </Link>
      <Link to={href("month")} aria-current={current === "month" ? "page" : undefined} preventScrollReset>
        Theo tháng
      </Link>
    </nav>
  );
}
