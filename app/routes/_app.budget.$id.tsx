// One budget estimate: its lines (edited in the page, or filled from the R3-layout Excel
// template: download, fill, upload, preview, confirm), the workflow step each role may
// take now with its comment (the finance officer's comments per line), the history, and
// the R3 download. An approved estimate is locked; a supplement is a new version beside it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { LinesEditor, type EditableLine } from "~/components/budget/LinesEditor";
import { PageHeader, pageTitle } from "~/components/page";
import {
  availableActions, checkEdit, ESTIMATE_KIND_LABELS, ESTIMATE_STATUS_LABELS, HISTORY_LABELS, isEstimateAction, parseDong, parseQuantity,
  romanNumeral, TRANSITIONS, type EstimateAction,
} from "~/domain/budget";
import { BUDGET_CATEGORY_LABELS } from "~/domain/codes";
import { formatDateTime, formatMoney, formatNumber, formatPercent } from "~/domain/format";
import { can } from "~/domain/permissions";
import { audit } from "~/server/audit.server";
import {
  BUDGET_CATEGORIES, BudgetError, createSupplement, estimateDetail, transition, TRANSITION_AUDIT, updateDraft, yearExecution,
  type BudgetCategory, type NewBudgetLine,
} from "~/server/budget.server";
import { readEstimateWorkbook } from "~/server/budget-xlsx.server";
import { freezeR3 } from "~/server/reports/r3.server";
import { getDb } from "~/server/db.server";
import { clientIp, permitted, requirePermission, type CurrentUser } from "~/server/guard.server";
import { importLimits } from "~/server/import/limits.server";
import styles from "~/styles/budget.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data ? `Dự toán năm ${data.estimate.year}` : "Kinh phí");
export const links = () => [{ rel: "stylesheet", href: styles }];

const idOf = (params: { id?: string }) => {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Không có dự toán này", { status: 404 });
  return id;
};

async function load(db: Awaited<ReturnType<typeof getDb>>, user: CurrentUser, id: number) {
  try {
    return await estimateDetail(db, user.wardId, id);
  } catch (error) {
    if (error instanceof BudgetError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:budget");
  const db = await getDb();
  const detail = await load(db, user, idOf(params));
  const execution = detail.estimate.status === "approved" ? await yearExecution(db, user.wardId, detail.estimate.year) : null;
  const inForce = execution?.estimate.id === detail.estimate.id;
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `budget:${detail.estimate.id}` });
  const comments = new Map<number, Array<{ comment: string; by: string | null; at: string }>>();
  for (const h of detail.history) {
    if (h.decision !== "line_comment" || h.lineId === null || !h.comment) continue;
    comments.set(h.lineId, [...(comments.get(h.lineId) ?? []), { comment: h.comment, by: h.by, at: formatDateTime(h.at) }]);
  }
  const spentOf = new Map((inForce ? execution!.lines : []).map((l) => [l.id, l]));
  return {
    estimate: {
      ...detail.estimate,
      statusLabel: ESTIMATE_STATUS_LABELS[detail.estimate.status],
      kindLabel: ESTIMATE_KIND_LABELS[detail.estimate.kind] ?? detail.estimate.kind,
      approvedAtText: detail.estimate.approvedAt ? formatDateTime(detail.estimate.approvedAt) : null,
    },
    total: detail.total,
    groups: BUDGET_CATEGORIES.filter((c) => detail.lines.some((l) => l.category === c)).map((c, i) => ({
      numeral: romanNumeral(i + 1),
      label: BUDGET_CATEGORY_LABELS[c],
      subtotal: detail.lines.filter((l) => l.category === c).reduce((s, l) => s + l.amount, 0),
      lines: detail.lines.filter((l) => l.category === c).map((l) => ({
        ...l, comments: comments.get(l.id) ?? [], spent: spentOf.get(l.id)?.spent ?? null, rate: spentOf.get(l.id)?.executionRate ?? null,
      })),
    })),
    editable: checkEdit(user.role, detail.estimate.status).ok,
    editLines: detail.lines.map((l): EditableLine => ({
      id: l.id, category: l.category, content: l.content, unit: l.unit, quantity: String(l.quantity), unitPrice: String(l.unitPrice), basis: l.basis ?? "",
    })),
    actions: availableActions(user.role, detail.estimate.status).map((a) => ({ action: a, label: TRANSITIONS[a].label })),
    reviewing: can(user.role, "budget:review") && detail.estimate.status === "submitted",
    canSupplement: inForce && can(user.role, "budget:propose"),
    inForce,
    spent: inForce ? execution!.spent : null,
    history: detail.history.map((h) => ({ ...h, at: formatDateTime(h.at), label: HISTORY_LABELS[h.decision] ?? h.decision })),
    lineNames: Object.fromEntries(detail.lines.map((l) => [l.id, l.content])),
    maxUpload: importLimits().maxFileBytes,
  };
}

/** Lines posted by the editor or the upload preview, each checked and named by its row. */
function postedLines(raw: FormDataEntryValue | null): NewBudgetLine[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw ?? "[]"));
  } catch {
    throw new BudgetError("Dữ liệu các dòng không hợp lệ.");
  }
  const rows = z.array(z.object({
    id: z.number().int().nullable().optional(), category: z.string(), content: z.string(), unit: z.string(),
    quantity: z.union([z.string(), z.number()]), unitPrice: z.union([z.string(), z.number()]), basis: z.string().nullable().optional(),
  })).safeParse(parsed);
  if (!rows.success) throw new BudgetError("Dữ liệu các dòng không hợp lệ.");
  return rows.data
    .filter((l) => [l.content, l.unit, String(l.quantity), String(l.unitPrice), l.basis ?? ""].some((v) => v.trim() !== ""))
    .map((l, i) => {
      const quantity = parseQuantity(l.quantity);
      const unitPrice = parseDong(l.unitPrice);
      if (quantity === null) throw new BudgetError(`Dòng ${i + 1}: số lượng "${l.quantity}" phải là số nguyên dương.`);
      if (unitPrice === null) throw new BudgetError(`Dòng ${i + 1}: đơn giá "${l.unitPrice}" phải là số đồng nguyên, không âm (ví dụ 15.800.000).`);
      return { id: l.id ?? null, category: l.category as BudgetCategory, content: l.content, unit: l.unit, quantity, unitPrice, basis: l.basis ?? null };
    });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, ["budget:propose", "budget:review", "budget:approve"]);
  const db = await getDb();
  const id = idOf(params);
  const who = { wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request) };
  const actor = { id: user.id, role: user.role };
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > importLimits().maxFileBytes + 64 * 1024) return data({ error: "Tệp quá lớn." }, { status: 413 });
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    switch (intent) {
      case "save":
      case "confirm-upload": {
        await permitted(request, user, "budget:propose");
        const lines = postedLines(form.get("lines"));
        const title = String(form.get("title") ?? "");
        await updateDraft(db, { wardId: user.wardId, estimateId: id, actor, title, lines });
        await audit(db, { ...who, action: intent === "save" ? "update" : "import", target: `budget:${id}`, detail: { lines: lines.length } });
        return { ok: intent === "save" ? "Đã lưu dự toán." : `Đã thay các dòng bằng ${lines.length} dòng từ tệp Excel.` };
      }
      case "upload": {
        await permitted(request, user, "budget:propose");
        const file = form.get("file");
        if (!(file instanceof File) || file.size === 0) return data({ error: "Hãy chọn tệp Excel đã điền." }, { status: 400 });
        const read = await readEstimateWorkbook(file.name, new Uint8Array(await file.arrayBuffer()));
        return { preview: { name: file.name, ...read, total: read.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) } };
      }
      case "supplement": {
        await permitted(request, user, "budget:propose");
        const supplement = await createSupplement(db, { wardId: user.wardId, approvedId: id, actor });
        await audit(db, { ...who, action: "create", target: `budget:${supplement}`, detail: { supplementOf: id } });
        return redirect(`/budget/${supplement}`);
      }
      case "transition": {
        const step = form.get("step");
        if (!isEstimateAction(step)) return data({ error: "Thao tác không hợp lệ." }, { status: 400 });
        await permitted(request, user, TRANSITIONS[step].permission); // a step of another role: an audited 403
        const lineComments = [...form.entries()]
          .filter(([k]) => k.startsWith("lineComment-"))
          .map(([k, v]) => ({ lineId: Number(k.slice("lineComment-".length)), comment: String(v) }));
        const to = await transition(db, {
          wardId: user.wardId, estimateId: id, actor, action: step as EstimateAction, comment: String(form.get("comment") ?? ""), lineComments,
          freeze: freezeR3,
        });
        await audit(db, { ...who, action: TRANSITION_AUDIT[step as EstimateAction], target: `budget:${id}`, detail: { step, to } });
        return { ok: `${TRANSITIONS[step as EstimateAction].label}: xong. Trạng thái mới: ${ESTIMATE_STATUS_LABELS[to]}.` };
      }
      default:
        return data({ error: "Thao tác không hợp lệ." }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof BudgetError) return data({ error: error.message }, { status: 400 });
    if (error instanceof Response) throw error;
    throw error;
  }
}

export default function Estimate() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = d.estimate;
  const preview = result && "preview" in result ? result.preview : null;
  return (
    <>
      <PageHeader title={`${e.kindLabel} năm ${e.year} — phiên bản ${e.version}`}>
        <p className="toolbar">
          <span className={`badge budget-status budget-${e.status}`} data-testid="estimate-status">{e.statusLabel}</span>
          {e.status === "approved" && !d.inForce && <span className="badge badge-off">Đã được thay bằng bản bổ sung</span>}
          <a className="btn btn-secondary" href={`/budget/${e.id}/r3.xlsx`} download>
            {e.frozenAt ? "Tải R3 đã phê duyệt (.xlsx)" : "Tải R3 (.xlsx)"}
          </a>
          <Link to="/budget" className="btn btn-secondary">Danh sách dự toán</Link>
        </p>
      </PageHeader>
      <p>
        <strong>{e.title}</strong>
        {e.createdBy && <> · Lập bởi {e.createdBy}</>}
        {e.approvedAtText && <> · Phê duyệt {e.approvedAtText}{e.approvedBy ? ` bởi ${e.approvedBy}` : ""}</>}
      </p>
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}

      {d.editable ? (
        <>
          <Form method="post" className="card">
            <label className="budget-title">
              <span>Tên dự toán</span>
              <input name="title" defaultValue={e.title} required />
            </label>
            <LinesEditor key={JSON.stringify(d.editLines)} initial={d.editLines} busy={busy} />
          </Form>
          <section className="card">
            <h2>Điền từ Excel</h2>
            <p>
              <a href={`/budget/${e.id}/template.xlsx`} download>Tải mẫu dự toán (.xlsx)</a>, điền trong Excel, lưu rồi tải lên. Bạn sẽ xem trước trước khi thay các dòng.
            </p>
            <Form method="post" encType="multipart/form-data" className="inline-form">
              <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-label="Tệp dự toán đã điền" required />
              <button name="intent" value="upload" className="btn btn-secondary" disabled={busy}>Tải lên và xem trước</button>
            </Form>
            {preview && <UploadPreview preview={preview} busy={busy} title={e.title} id={e.id} />}
          </section>
        </>
      ) : (
        <EstimateTable d={d} />
      )}

      {d.actions.length > 0 && (
        <Form method="post" className="card budget-step">
          <input type="hidden" name="intent" value="transition" />
          {d.reviewing && <LineCommentFields groups={d.groups} />}
          <label>
            <span>Ý kiến{d.reviewing ? " chung" : ""} (bắt buộc khi trả lại)</span>
            <textarea name="comment" rows={3} />
          </label>
          <div className="toolbar">
            {d.actions.map((a) => (
              <button key={a.action} name="step" value={a.action} disabled={busy}
                className={a.action.startsWith("return") ? "btn btn-danger" : "btn"}>
                {a.label}
              </button>
            ))}
          </div>
        </Form>
      )}
      {d.canSupplement && (
        <Form method="post" className="toolbar">
          <button name="intent" value="supplement" className="btn btn-secondary" disabled={busy}>Lập dự toán bổ sung</button>
          <span className="muted">Bản đã phê duyệt giữ nguyên; bản bổ sung là phiên bản mới, đi qua thẩm định và phê duyệt.</span>
        </Form>
      )}

      <h2>Lịch sử</h2>
      <ol className="budget-history" data-testid="history">
        {d.history.map((h, i) => (
          <li key={i}>
            <span className="nowrap">{h.at}</span> · <strong>{h.label}</strong>
            {h.by && <> · {h.by}</>}
            {h.lineId !== null && d.lineNames[h.lineId] && <> · dòng “{d.lineNames[h.lineId]}”</>}
            {h.comment && <>: <q>{h.comment}</q></>}
          </li>
        ))}
      </ol>
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function EstimateTable({ d }: { d: LoaderData }) {
  const showSpent = d.inForce;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="estimate-lines">
        <thead>
          <tr>
            <th>STT</th><th>Nội dung</th><th>Đơn vị tính</th><th className="num">Số lượng</th><th className="num">Đơn giá</th>
            <th className="num">Thành tiền</th><th>Căn cứ / ghi chú</th>
            {showSpent && <><th className="num">Đã chi</th><th className="num">Tỷ lệ</th></>}
          </tr>
        </thead>
        <tbody>
          {d.groups.map((g) => [
            <tr key={g.numeral} className="budget-group">
              <th>{g.numeral}</th><th colSpan={4}>{g.label}</th><th className="num nowrap">{formatMoney(g.subtotal)}</th><th />
              {showSpent && <><th /><th /></>}
            </tr>,
            ...g.lines.map((l, i) => (
              <tr key={l.id}>
                <td className="num">{i + 1}</td>
                <td>
                  {l.content}
                  {l.comments.map((c, j) => <div key={j} className="budget-comment">Ý kiến thẩm định: {c.comment} <span className="muted">— {c.by}, {c.at}</span></div>)}
                </td>
                <td>{l.unit}</td>
                <td className="num">{formatNumber(l.quantity)}</td>
                <td className="num nowrap">{formatMoney(l.unitPrice)}</td>
                <td className="num nowrap">{formatMoney(l.amount)}</td>
                <td>{l.basis}</td>
                {showSpent && (
                  <>
                    <td className={`num nowrap${(l.spent ?? 0) > l.amount ? " budget-over" : ""}`}>{formatMoney(l.spent)}</td>
                    <td className="num nowrap">{formatPercent(l.rate)}</td>
                  </>
                )}
              </tr>
            )),
          ])}
        </tbody>
        <tfoot>
          <tr>
            <th /><th colSpan={4}>Tổng cộng</th><th className="num nowrap" data-testid="estimate-total">{formatMoney(d.total)}</th><th />
            {showSpent && <><th className="num nowrap">{formatMoney(d.spent)}</th><th className="num">{formatPercent(d.total > 0 ? (d.spent ?? 0) / d.total : null)}</th></>}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function LineCommentFields({ groups }: { groups: LoaderData["groups"] }) {
  return (
    <details open>
      <summary>Ý kiến thẩm định từng dòng (không bắt buộc)</summary>
      {groups.flatMap((g) => g.lines).map((l) => (
        <label key={l.id} className="budget-line-comment">
          <span>{l.content} — {formatMoney(l.amount)}</span>
          <input name={`lineComment-${l.id}`} aria-label={`Ý kiến về dòng ${l.content}`} />
        </label>
      ))}
    </details>
  );
}

interface Preview {
  name: string;
  lines: NewBudgetLine[];
  errors: Array<{ row: number; reason: string }>;
  warnings: Array<{ row: number; reason: string }>;
  total: number;
}

function UploadPreview({ preview, busy, title, id }: { preview: Preview; busy: boolean; title: string; id: number }) {
  return (
    <div data-testid="upload-preview">
      <h3>Xem trước: {preview.name}</h3>
      {preview.errors.length > 0 && (
        <div className="notice notice-error" role="alert">
          <p>Tệp có {preview.errors.length} lỗi; sửa trong Excel rồi tải lên lại. Chưa có gì được ghi.</p>
          <ul>{preview.errors.map((p, i) => <li key={i}>{p.row > 0 ? `Dòng ${p.row}: ` : ""}{p.reason}</li>)}</ul>
        </div>
      )}
      {preview.warnings.length > 0 && (
        <ul className="notice">{preview.warnings.map((p, i) => <li key={i}>Dòng {p.row}: {p.reason}</li>)}</ul>
      )}
      {preview.lines.length > 0 && (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Nhóm</th><th>Nội dung</th><th>ĐVT</th><th className="num">Số lượng</th><th className="num">Đơn giá</th><th className="num">Thành tiền</th><th>Căn cứ</th></tr></thead>
            <tbody>
              {preview.lines.map((l, i) => (
                <tr key={i}>
                  <td>{BUDGET_CATEGORY_LABELS[l.category]}</td><td>{l.content}</td><td>{l.unit}</td><td className="num">{formatNumber(l.quantity)}</td>
                  <td className="num nowrap">{formatMoney(l.unitPrice)}</td><td className="num nowrap">{formatMoney(l.quantity * l.unitPrice)}</td><td>{l.basis}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr><th colSpan={5}>Tổng cộng</th><th className="num nowrap" data-testid="preview-total">{formatMoney(preview.total)}</th><th /></tr></tfoot>
          </table>
        </div>
      )}
      {preview.errors.length === 0 && preview.lines.length > 0 && (
        <Form method="post" className="toolbar">
          <input type="hidden" name="title" value={title} />
          <input type="hidden" name="lines" value={JSON.stringify(preview.lines)} />
          <button name="intent" value="confirm-upload" className="btn" disabled={busy}>Xác nhận: thay các dòng bằng {preview.lines.length} dòng này</button>
          <Link to={`/budget/${id}`} reloadDocument className="btn btn-secondary">Hủy</Link>
        </Form>
      )}
    </div>
  );
}
