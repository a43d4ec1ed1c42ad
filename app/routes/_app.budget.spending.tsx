// Spending of a year against its approved estimate in force: approved vs spent per line
// and in total, the finance officer's form to record an expenditure (date, amount,
// document number, description) with a warning before a line is over-spent, the list of
// expenditures, and the R3 with spending to date.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { PageHeader, pageTitle } from "~/components/page";
import { parseDong } from "~/domain/budget";
import { BUDGET_CATEGORY_LABELS } from "~/domain/codes";
import { formatDay, formatMoney, formatPercent } from "~/domain/format";
import { can } from "~/domain/permissions";
import { localDayOf } from "~/domain/time";
import { audit } from "~/server/audit.server";
import { BudgetError, listExpenditures, OverspendWarning, recordExpenditure, yearExecution } from "~/server/budget.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import styles from "~/styles/budget.css?url";

export const meta: MetaFunction = () => pageTitle("Chi tiêu kinh phí");
export const links = () => [{ rel: "stylesheet", href: styles }];

const yearOf = (request: Request) => {
  const raw = new URL(request.url).searchParams.get("year");
  const year = raw ? Number(raw) : Number(localDayOf(Math.floor(Date.now() / 1000)).slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Response("Năm không hợp lệ", { status: 400 });
  return year;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:budget");
  const db = await getDb();
  const year = yearOf(request);
  const [execution, expenditures] = await Promise.all([yearExecution(db, user.wardId, year), listExpenditures(db, user.wardId, year)]);
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `budget:spending:${year}` });
  return {
    year,
    today: localDayOf(Math.floor(Date.now() / 1000)),
    canSpend: can(user.role, "budget:spend"),
    estimate: execution ? { id: execution.estimate.id, version: execution.estimate.version, title: execution.estimate.title } : null,
    lines: (execution?.lines ?? []).map((l) => ({ ...l, categoryLabel: BUDGET_CATEGORY_LABELS[l.category] })),
    totals: execution ? { approved: execution.approved, spent: execution.spent, outside: execution.outside, rate: execution.executionRate } : null,
    expenditures: expenditures.map((x) => ({ ...x, date: formatDay(x.date) })),
  };
}

const spendForm = z.object({
  line: z.string().min(1, "Hãy chọn dòng dự toán."),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày chi không hợp lệ."),
  amount: z.string(),
  documentRef: z.string().trim().min(1, "Thiếu số chứng từ."),
  content: z.string().trim().min(1, "Thiếu nội dung chi."),
  confirmOverspend: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "budget:spend");
  const db = await getDb();
  const form = Object.fromEntries(await request.formData());
  const parsed = spendForm.safeParse(form);
  if (!parsed.success) return data({ error: parsed.error.issues[0].message, form }, { status: 400 });
  const amount = parseDong(parsed.data.amount);
  if (amount === null || amount <= 0) return data({ error: `Số tiền "${parsed.data.amount}" phải là số đồng nguyên dương (ví dụ 1.250.000).`, form }, { status: 400 });
  const budgetLineId = parsed.data.line === "none" ? null : Number(parsed.data.line);
  try {
    const { id, overspend } = await recordExpenditure(db, {
      wardId: user.wardId, budgetLineId, date: parsed.data.date, amount, content: parsed.data.content, documentRef: parsed.data.documentRef,
      createdBy: user.id, confirmOverspend: parsed.data.confirmOverspend === "1",
    });
    await audit(db, {
      action: "create", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
      target: `expenditure:${id}`, detail: { amount, line: budgetLineId, overspend },
    });
    return { ok: `Đã ghi khoản chi ${formatMoney(amount)}${overspend > 0 ? `, vượt dự toán của dòng ${formatMoney(overspend)}` : ""}.` };
  } catch (error) {
    if (error instanceof OverspendWarning) {
      // Not a failure: a question back to the officer, answered by ticking the confirmation.
      return {
        warning: `${error.message} Được duyệt ${formatMoney(error.approved)}, đã chi ${formatMoney(error.spentBefore)}; khoản này làm vượt ${formatMoney(error.by)}.`,
        form,
      };
    }
    if (error instanceof BudgetError) return data({ error: error.message, form }, { status: 400 });
    throw error;
  }
}

export default function Spending() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const kept = result && "form" in result ? (result.form as Record<string, string>) : null;
  return (
    <>
      <PageHeader title={`Chi tiêu kinh phí năm ${d.year}`}>
        <p className="toolbar">
          <Link to={`/budget/spending?year=${d.year - 1}`} className="btn btn-secondary">← Năm {d.year - 1}</Link>
          <Link to={`/budget/spending?year=${d.year + 1}`} className="btn btn-secondary">Năm {d.year + 1} →</Link>
          {d.estimate && <a className="btn btn-secondary" href={`/budget/r3.xlsx?year=${d.year}`} download>Tải R3 đến hôm nay (.xlsx)</a>}
          <Link to="/budget" className="btn btn-secondary">Danh sách dự toán</Link>
        </p>
      </PageHeader>
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {!d.estimate ? (
        <p className="empty-state">Năm {d.year} chưa có dự toán được phê duyệt; chỉ ghi chi khi dự toán đã được phê duyệt.</p>
      ) : (
        <>
          <p>
            Theo <Link to={`/budget/${d.estimate.id}`}>{d.estimate.title} (phiên bản {d.estimate.version})</Link>
          </p>
          <div className="table-wrap">
            <table className="data" data-testid="execution">
              <thead>
                <tr><th>Nhóm</th><th>Nội dung</th><th className="num">Được duyệt</th><th className="num">Đã chi</th><th className="num">Còn lại</th><th className="num">Tỷ lệ</th></tr>
              </thead>
              <tbody>
                {d.lines.map((l) => (
                  <tr key={l.id} className={l.spent > l.amount ? "budget-over" : undefined}>
                    <td>{l.categoryLabel}</td><td>{l.content}</td>
                    <td className="num nowrap">{formatMoney(l.amount)}</td><td className="num nowrap">{formatMoney(l.spent)}</td>
                    <td className="num nowrap">{formatMoney(l.remaining)}{l.remaining < 0 && " (vượt)"}</td><td className="num">{formatPercent(l.executionRate)}</td>
                  </tr>
                ))}
                {d.totals!.outside > 0 && (
                  <tr><td colSpan={3}>Chi không thuộc dòng nào của dự toán đang hiệu lực</td><td className="num nowrap">{formatMoney(d.totals!.outside)}</td><td /><td /></tr>
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th colSpan={2}>Tổng cộng</th><th className="num nowrap">{formatMoney(d.totals!.approved)}</th>
                  <th className="num nowrap" data-testid="spent-total">{formatMoney(d.totals!.spent)}</th>
                  <th className="num nowrap">{formatMoney(d.totals!.approved - d.totals!.spent)}</th><th className="num">{formatPercent(d.totals!.rate)}</th>
                </tr>
              </tfoot>
            </table>
          </div>
          {d.canSpend && (
            <Form method="post" className="card form-grid" key={result && "ok" in result ? result.ok : "form"}>
              <h2>Ghi khoản chi</h2>
              {result && "warning" in result && (
                <div className="notice notice-error" role="alert">
                  <p>{result.warning}</p>
                  <label><input type="checkbox" name="confirmOverspend" value="1" required /> Tôi đã xem cảnh báo và vẫn ghi khoản chi này</label>
                </div>
              )}
              <label>
                <span>Dòng dự toán</span>
                <select name="line" defaultValue={kept?.line ?? ""} required>
                  <option value="" disabled>— Chọn —</option>
                  {d.lines.map((l) => <option key={l.id} value={l.id}>{l.content} (còn {formatMoney(l.remaining)})</option>)}
                  <option value="none">Không thuộc dòng nào của dự toán</option>
                </select>
              </label>
              <label><span>Ngày chi</span><input type="date" name="date" defaultValue={kept?.date ?? d.today} min={`${d.year}-01-01`} max={`${d.year}-12-31`} required /></label>
              <label><span>Số tiền (đồng)</span><input name="amount" inputMode="numeric" defaultValue={kept?.amount ?? ""} placeholder="1.250.000" required /></label>
              <label><span>Số chứng từ</span><input name="documentRef" defaultValue={kept?.documentRef ?? ""} placeholder="Phiếu chi số 012/2026" required /></label>
              <label className="wide"><span>Nội dung chi</span><input name="content" defaultValue={kept?.content ?? ""} required /></label>
              <div><button className="btn" disabled={busy}>Ghi khoản chi</button></div>
            </Form>
          )}
        </>
      )}
      <h2>Các khoản đã chi năm {d.year}</h2>
      {d.expenditures.length === 0 ? (
        <p className="muted">Chưa có khoản chi nào.</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="expenditures">
            <thead><tr><th>Ngày</th><th>Số chứng từ</th><th>Nội dung</th><th>Dòng dự toán</th><th className="num">Số tiền</th><th>Người ghi</th></tr></thead>
            <tbody>
              {d.expenditures.map((x) => (
                <tr key={x.id}>
                  <td className="nowrap">{x.date}</td><td>{x.document_ref}</td><td>{x.content}</td><td>{x.lineContent ?? <span className="muted">Ngoài dự toán</span>}</td>
                  <td className="num nowrap">{formatMoney(x.amount)}</td><td>{x.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
