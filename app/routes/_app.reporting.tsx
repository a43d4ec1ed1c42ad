// Tình hình gửi số liệu: per facility and source the last import and the months with no
// data; per block the last onboarding entry, the last activity and the months with
// neither. Leadership, the administrator and the health station follow it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime, formatDay } from "~/domain/format";
import { monthWords, REPORTING_SOURCES } from "~/domain/pilot";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { reporting } from "~/server/reporting.server";

export const meta: MetaFunction = () => pageTitle("Tình hình gửi số liệu");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:reporting");
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const r = await reporting(db, user.wardId, now);
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, target: "reporting", ip: clientIp(request) });
  return { ...r, months: r.months.map((m) => ({ key: m, words: monthWords(m, now) })) };
}

export default function ReportingPage() {
  const { months, facilities, blocks } = useLoaderData<typeof loader>();
  const words = new Map(months.map((m) => [m.key, m.words]));
  const missing = (list: string[]) => (list.length === 0 ? "Đủ các tháng" : list.map((m) => words.get(m)).join(", "));
  return (
    <>
      <PageHeader title="Tình hình gửi số liệu" />
      <p className="muted">Tính từ {months[0]?.words ?? "—"} đến nay. Kết quả gửi Cổng giám định tính theo hồ sơ được chấp nhận.</p>
      <h2>Theo cơ sở khám bệnh, chữa bệnh</h2>
      <div className="table-wrap">
        <table className="data" data-testid="reporting-facilities">
          <thead><tr><th>Cơ sở</th><th>Nguồn</th><th>Lần nhập gần nhất</th><th>Tháng chưa có số liệu</th></tr></thead>
          <tbody>
            {facilities.flatMap((f) => f.sources.map((s, i) => (
              <tr key={`${f.id}-${s.source}`}>
                {i === 0 ? <td rowSpan={f.sources.length}>{f.code} — {f.name}</td> : null}
                <td>{REPORTING_SOURCES[s.source]}</td>
                <td className="nowrap">{s.lastImportAt ? formatDateTime(s.lastImportAt) : "Chưa nhập lần nào"}</td>
                <td className={s.monthsWithoutData.length ? "status-not_met" : ""}>{missing(s.monthsWithoutData)}</td>
              </tr>
            )))}
          </tbody>
        </table>
      </div>
      <h2>Theo khối</h2>
      <div className="table-wrap">
        <table className="data" data-testid="reporting-blocks">
          <thead><tr><th>Khối</th><th>Ghi nhận hỗ trợ gần nhất</th><th>Hoạt động gần nhất</th><th>Tháng chưa có số liệu</th></tr></thead>
          <tbody>
            {blocks.map((b) => (
              <tr key={b.id}>
                <td>{b.name}</td>
                <td className="nowrap">{b.lastOnboardingAt ? formatDateTime(b.lastOnboardingAt) : "Chưa có"}</td>
                <td className="nowrap">{b.lastActivityOn ? formatDay(b.lastActivityOn) : "Chưa có"}</td>
                <td className={b.monthsWithoutData.length ? "status-not_met" : ""}>{missing(b.monthsWithoutData)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
