// Kinh phí: every estimate by year and version with its state, the year's approved vs
// spent, and for the health station the start of a new year's estimate.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { ESTIMATE_KIND_LABELS, ESTIMATE_STATUS_LABELS } from "~/domain/budget";
import { formatMoney, formatPercent } from "~/domain/format";
import { can } from "~/domain/permissions";
import { localDayOf } from "~/domain/time";
import { audit } from "~/server/audit.server";
import { BudgetError, listEstimates, startEstimate, yearExecution } from "~/server/budget.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import styles from "~/styles/budget.css?url";

export const meta: MetaFunction = () => pageTitle("Kinh phí");
export const links = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:budget");
  const db = await getDb();
  const estimates = await listEstimates(db, user.wardId);
  const thisYear = Number(localDayOf(Math.floor(Date.now() / 1000)).slice(0, 4));
  const years = [...new Set([thisYear, ...estimates.map((e) => e.year)])].sort((a, b) => b - a);
  const execution = await Promise.all(years.map(async (year) => {
    const e = await yearExecution(db, user.wardId, year);
    return { year, approved: e?.approved ?? null, spent: e?.spent ?? null, rate: e?.executionRate ?? null };
  }));
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: "budget" });
  return {
    years: years.map((year) => ({
      year,
      execution: execution.find((x) => x.year === year)!,
      estimates: estimates.filter((e) => e.year === year).map((e) => ({
        ...e, statusLabel: ESTIMATE_STATUS_LABELS[e.status], kindLabel: ESTIMATE_KIND_LABELS[e.kind] ?? e.kind,
      })),
    })),
    canPropose: can(user.role, "budget:propose"),
    canSpend: can(user.role, "budget:spend"),
    nextYear: thisYear + 1,
    thisYear,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "budget:propose");
  const db = await getDb();
  const form = await request.formData();
  const year = Number(form.get("year"));
  try {
    const id = await startEstimate(db, {
      wardId: user.wardId, year, title: `Dự toán kinh phí triển khai thí điểm Sổ sức khỏe điện tử năm ${year}`,
      actor: { id: user.id, role: user.role }, lines: [],
    });
    await audit(db, { action: "create", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `budget:${id}` });
    return redirect(`/budget/${id}`);
  } catch (error) {
    if (error instanceof BudgetError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function Budget() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Kinh phí" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {d.canPropose && (
        <Form method="post" className="card inline-form">
          <label>
            <span>Lập dự toán cho năm </span>
            <select name="year" defaultValue={d.thisYear}>
              {[d.thisYear, d.nextYear].map((y) => <option key={y} value={y}>{y}</option>)}
            </select>
          </label>{" "}
          <button className="btn" disabled={busy}>Lập dự toán</button>
        </Form>
      )}
      {d.years.map((y) => (
        <section key={y.year} className="card" data-testid={`budget-year-${y.year}`}>
          <h2>Năm {y.year}</h2>
          <p>
            Được phê duyệt: <strong>{formatMoney(y.execution.approved)}</strong> · Đã chi: <strong>{formatMoney(y.execution.spent)}</strong> ·
            Tỷ lệ thực hiện: <strong>{formatPercent(y.execution.rate)}</strong>
            {y.execution.approved !== null && (
              <> · <Link to={`/budget/spending?year=${y.year}`}>{d.canSpend ? "Ghi chi và theo dõi" : "Xem chi tiêu"}</Link></>
            )}
          </p>
          {y.estimates.length === 0 ? (
            <p className="muted">Chưa có dự toán.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr><th>Phiên bản</th><th>Loại</th><th>Tên</th><th>Trạng thái</th><th className="num">Tổng tiền</th></tr>
                </thead>
                <tbody>
                  {y.estimates.map((e) => (
                    <tr key={e.id}>
                      <td><Link to={`/budget/${e.id}`}>Phiên bản {e.version}</Link></td>
                      <td>{e.kindLabel}</td>
                      <td>{e.title}</td>
                      <td>
                        <span className={`badge budget-status budget-${e.status}`}>{e.statusLabel}</span>
                        {e.inForce && <> <span className="badge badge-ok">Đang hiệu lực</span></>}
                      </td>
                      <td className="num nowrap">{formatMoney(e.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
