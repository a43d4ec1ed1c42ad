// One report version as its A4 print page (Print → Save as PDF gives this layout), with
// the steps its state and the user's role allow: write the texts (draft), confirm the
// review, send back, sign and submit (vice chair), start a correction. A draft's figures
// are live; a submitted version shows its frozen content. Every view and step is audited.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OfficialDocument } from "~/components/official/OfficialDocument";
import { ReportBody } from "~/components/reports/ReportBody";
import { pageTitle } from "~/components/page";
import { formatDateTime } from "~/domain/format";
import { can } from "~/domain/permissions";
import { REPORT_KIND_SHORT, REPORT_STATUS_LABELS, REPORT_TRANSITIONS, refusal, type ReportAction, type ReportKind, type ReportStatus } from "~/domain/reports";
import { audit, type AuditAction } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import {
  contentOf, correctReport, getReport, listReports, reopenReport, ReportError, reviewReport, saveTexts, submitReport,
} from "~/server/reports/reports.server";
import officialCss from "~/styles/official.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: officialCss }];
export const meta: MetaFunction<typeof loader> = ({ data: d }) => pageTitle(d ? `${d.kindLabel} · ${d.content.period.label}` : "Báo cáo");

function idOf(params: { id?: string }): number {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Không tìm thấy báo cáo", { status: 404 });
  return id;
}

const notFound = (error: unknown) => {
  if (error instanceof ReportError && error.status === 404) throw new Response(error.message, { status: 404 });
  throw error;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "report:export");
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const row = await getReport(db, user.wardId, idOf(params)).catch(notFound);
  const content = await contentOf(db, row, now);
  const versions = (await listReports(db, user.wardId)).filter((v) => v.kind === row.kind && v.period === row.period);
  const isLatest = versions.every((v) => v.version <= row.version);
  const status = row.status as ReportStatus;
  const allowed = (Object.keys(REPORT_TRANSITIONS) as ReportAction[]).filter((a) => refusal(a, status, (p) => can(user.role, p), isLatest) === null);
  await audit(db, {
    action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: `report:${row.id}`, detail: { kind: row.kind, period: row.period, version: row.version, status },
  });
  return {
    id: row.id,
    kindLabel: REPORT_KIND_SHORT[row.kind as ReportKind],
    status,
    statusLabel: REPORT_STATUS_LABELS[status],
    version: row.version,
    replacesId: row.replaces_id,
    replacedById: versions.find((v) => v.replacesId === row.id)?.id ?? null,
    submittedAt: row.submitted_at === null ? null : formatDateTime(row.submitted_at),
    sha256: row.xlsx_sha256,
    allowed,
    content,
  };
}

const AUDIT_OF: Record<ReportAction, AuditAction> = { edit: "update", review: "review", reopen: "update", submit: "submit", correct: "create" };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, ["report:draft", "report:review", "report:submit"]);
  const id = idOf(params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as ReportAction;
  if (!(intent in REPORT_TRANSITIONS)) return data({ error: "Thao tác không hợp lệ." }, { status: 400 });
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const actor = { id: user.id, role: user.role, wardId: user.wardId };
  const log = (detail: Record<string, unknown>, target = `report:${id}`) =>
    audit(db, { action: AUDIT_OF[intent], wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target, detail: { step: intent, ...detail } });
  try {
    switch (intent) {
      case "edit":
        await saveTexts(db, actor, id, { difficulties: String(form.get("difficulties") ?? ""), proposals: String(form.get("proposals") ?? "") }, now);
        await log({});
        return { ok: "Đã lưu nội dung." };
      case "review":
        await reviewReport(db, actor, id, now);
        await log({});
        return { ok: "Đã xác nhận rà soát. Báo cáo chờ lãnh đạo ký, gửi." };
      case "reopen":
        await reopenReport(db, actor, id);
        await log({});
        return { ok: "Đã trả lại bản nháp để sửa." };
      case "submit": {
        const { number, sha256 } = await submitReport(db, actor, id, now);
        await log({ number, sha256 });
        return { ok: `Đã gửi báo cáo số ${String(number).padStart(2, "0")}. Số liệu và tệp Excel đã được lưu cố định.` };
      }
      case "correct": {
        const newId = await correctReport(db, actor, id, now);
        await log({ replaces: id }, `report:${newId}`);
        return redirect(`/reports/${newId}`);
      }
    }
  } catch (error) {
    if (error instanceof ReportError) {
      if (error.status === 403) {
        await audit(db, { action: "access_denied", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `report:${id}`, detail: { step: intent } });
      }
      return data({ error: error.message }, { status: error.status });
    }
    throw error;
  }
}

export default function ReportPage() {
  const r = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const step = (a: ReportAction, extra?: string) =>
    r.allowed.includes(a) ? (
      <Form method="post" key={a}>
        <button type="submit" name="intent" value={a} disabled={busy} className={extra}>{REPORT_TRANSITIONS[a].label}</button>
      </Form>
    ) : null;
  return (
    <>
      <div className="official-noprint report-controls">
        <p><Link to="/reports">← Báo cáo</Link></p>
        <h1>{r.kindLabel} · {r.content.period.label}</h1>
        <p>
          Bản {r.version} · <span className="badge">{r.statusLabel}</span>
          {r.submittedAt ? <> · gửi lúc {r.submittedAt}</> : null}
          {r.status === "submitted" ? <> · số liệu cố định tính đến {formatDateTime(r.content.asOf)}</> : <> · số liệu trực tiếp, tính đến {formatDateTime(r.content.asOf)}</>}
          {r.replacesId ? <> · đính chính bản <Link to={`/reports/${r.replacesId}`}>#{r.replacesId}</Link></> : null}
          {r.replacedById ? <> · <strong>đã được thay bằng <Link to={`/reports/${r.replacedById}`}>bản #{r.replacedById}</Link></strong></> : null}
        </p>
        {result && "error" in result ? <p className="notice notice-error" role="alert">{result.error}</p> : null}
        {result && "ok" in result ? <p className="notice notice-ok" role="status">{result.ok}</p> : null}
        {r.allowed.includes("edit") ? (
          <Form method="post" className="card form-grid">
            <label className="wide">
              <span>Khó khăn, vướng mắc</span>
              <textarea name="difficulties" rows={4} defaultValue={r.content.difficulties} />
            </label>
            <label className="wide">
              <span>Đề xuất, kiến nghị</span>
              <textarea name="proposals" rows={4} defaultValue={r.content.proposals} />
            </label>
            <div><button type="submit" name="intent" value="edit" disabled={busy}>Lưu nội dung</button></div>
          </Form>
        ) : null}
        <div className="toolbar">
          {step("review")}
          {step("submit")}
          {step("reopen", "btn-secondary")}
          {step("correct", "btn-secondary")}
          <a className="btn btn-secondary" href={`/reports/${r.id}/xlsx`} download>Tải Excel (.xlsx)</a>
          <button type="button" className="btn btn-secondary" onClick={() => window.print()}>In / Lưu PDF</button>
        </div>
        {r.sha256 ? <p className="muted">SHA-256 của tệp đã gửi: <code className="wrap-anywhere">{r.sha256}</code></p> : null}
      </div>
      <OfficialDocument frame={r.content.frame}>
        <ReportBody content={r.content} />
      </OfficialDocument>
    </>
  );
}
