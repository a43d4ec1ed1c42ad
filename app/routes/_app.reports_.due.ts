// What the vice chair must sign soon: reports due within seven days or overdue, not yet
// submitted. JSON for the dashboard's panel (app/components/reports/ReportsDuePanel.tsx);
// a role that does not submit reports gets an empty list, as it sees no panel.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { formatDateTime } from "~/domain/format";
import { can } from "~/domain/permissions";
import { periodLabel } from "~/domain/periods";
import { CALENDAR_STATE_LABELS, dueSoon, REPORT_KIND_SHORT } from "~/domain/reports";
import { getDb } from "~/server/db.server";
import { requireUser } from "~/server/guard.server";
import { reportCalendar } from "~/server/reports/reports.server";

export interface DueItem {
  key: string;
  label: string;
  deadline: string;
  state: string;
  overdue: boolean;
  href: string;
}

export async function loader({ request }: LoaderFunctionArgs): Promise<{ items: DueItem[] | null }> {
  const user = await requireUser(request);
  if (!can(user.role, "report:submit")) return { items: null };
  const now = Math.floor(Date.now() / 1000);
  const calendar = await reportCalendar(await getDb(), user.wardId, now);
  return {
    items: calendar
      .filter((c) => dueSoon(c, now))
      // This week's deadlines first, soonest first; then the overdue, latest first.
      .sort((a, b) => Number(a.deadline < now) - Number(b.deadline < now) || (a.deadline < now ? b.deadline - a.deadline : a.deadline - b.deadline))
      .map((c) => ({
        key: `${c.kind}|${c.period.key}`,
        label: `${REPORT_KIND_SHORT[c.kind]} · ${periodLabel(c.period)}`,
        deadline: formatDateTime(c.deadline),
        state: CALENDAR_STATE_LABELS[c.state],
        overdue: c.state === "overdue",
        href: c.latest ? `/reports/${c.latest.id}` : "/reports",
      })),
  };
}
