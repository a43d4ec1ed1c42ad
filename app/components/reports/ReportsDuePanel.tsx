// "Báo cáo đến hạn tuần này" on the vice chair's dashboard: the reports due within seven
// days or overdue, each linking to its page. Loads its own data (/reports/due) so the
// dashboard's loader is untouched; renders nothing for roles that do not sign reports.
import { useEffect } from "react";
import { Link, useFetcher } from "@remix-run/react";
import type { DueItem } from "~/routes/_app.reports_.due";
import { Panel } from "~/components/dashboard/Panel";

/** More than this many (a ward that never reported) are counted, not listed. */
const SHOWN = 6;

export function ReportsDuePanel() {
  const fetcher = useFetcher<{ items: DueItem[] | null }>();
  useEffect(() => {
    if (fetcher.state === "idle" && !fetcher.data) fetcher.load("/reports/due");
  }, [fetcher]);
  const items = fetcher.data?.items;
  if (!items) return null;
  return (
    <Panel wide title="Báo cáo đến hạn trong tuần" testId="reports-due-panel" actions={<Link to="/reports">Lịch báo cáo</Link>}>
      {items.length === 0 ? (
        <p className="dash-empty">Không có báo cáo nào đến hạn trong 7 ngày tới.</p>
      ) : (
        <ul className="reports-due">
          {items.slice(0, SHOWN).map((d) => (
            <li key={d.key}>
              <Link to={d.href}>{d.label}</Link> — hạn {d.deadline} · <span className={d.overdue ? "badge badge-off" : "badge"}>{d.state}</span>
            </li>
          ))}
          {items.length > SHOWN ? (
            <li><Link to="/reports">Và {items.length - SHOWN} báo cáo khác đến hạn hoặc quá hạn</Link></li>
          ) : null}
        </ul>
      )}
    </Panel>
  );
}
