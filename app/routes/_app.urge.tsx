// Cần đôn đốc: the plan's tasks overdue or due within the week, by responsible unit, so
// leadership can "regularly urge, check and evaluate" (plan II.1.d); and who has not
// sent data, from the same figures as the dashboard's panel.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { ReportingGaps } from "~/components/pilot/ReportingGaps";
import { formatDay } from "~/domain/format";
import { can } from "~/domain/permissions";
import { daysUntil, SOON_DUE_DAYS } from "~/domain/pilot";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { listTaskViews, urgeByUnit } from "~/server/plan-tasks.server";
import { reportingGaps } from "~/server/reporting.server";

export const meta: MetaFunction = () => pageTitle("Cần đôn đốc");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:plan");
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const groups = urgeByUnit(await listTaskViews(db, user, now)).map((g) => ({
    ...g,
    overdue: g.overdue.map((t) => ({ id: t.id, title: t.title, dueDate: t.dueDate, days: t.dueDate ? daysUntil(t.dueDate, now) : null })),
    soonDue: g.soonDue.map((t) => ({ id: t.id, title: t.title, dueDate: t.dueDate, days: t.dueDate ? daysUntil(t.dueDate, now) : null })),
  }));
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, target: "urge", ip: clientIp(request) });
  return { groups, gaps: can(user.role, "view:reporting") ? await reportingGaps(db, user.wardId, now) : null };
}

export default function Urge() {
  const { groups, gaps } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Cần đôn đốc"><Link to="/plan">Kế hoạch</Link></PageHeader>
      <p className="muted">Nhiệm vụ quá hạn và sắp đến hạn (trong {SOON_DUE_DAYS} ngày), theo giờ Việt Nam.</p>
      {groups.length === 0 ? <p className="notice notice-ok">Không có nhiệm vụ quá hạn hay sắp đến hạn.</p> : null}
      <div className="form-grid" data-testid="urge-groups">
        {groups.map((g) => (
          <div className="card" key={g.unit} data-testid={`urge-${g.unit}`}>
            <h2>{g.label}</h2>
            {g.overdue.length ? <h3 className="status-overdue">Quá hạn ({g.overdue.length})</h3> : null}
            <ul>{g.overdue.map((t) => <li key={t.id}>{t.title} — hạn {formatDay(t.dueDate)}, quá {-(t.days ?? 0)} ngày</li>)}</ul>
            {g.soonDue.length ? <h3>Sắp đến hạn ({g.soonDue.length})</h3> : null}
            <ul>{g.soonDue.map((t) => <li key={t.id}>{t.title} — hạn {formatDay(t.dueDate)}{t.days === 0 ? " (hôm nay)" : `, còn ${t.days} ngày`}</li>)}</ul>
          </div>
        ))}
      </div>
      {gaps ? (
        <>
          <h2>Chưa gửi số liệu</h2>
          <ReportingGaps gaps={gaps} />
        </>
      ) : null}
    </>
  );
}
