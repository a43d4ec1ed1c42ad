// Kế hoạch: the plan's tasks as a checklist by phase, each with its responsible units,
// due date, status (overdue computed in Vietnam time), progress note and evidence link.
// Each unit updates its own tasks; leadership adds, edits and reassigns. At the top, the
// phase view: where each phase stands, with the indicators and targets behind it.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TARGET_LABELS } from "~/components/dashboard/figures";
import { PageHeader, pageTitle } from "~/components/page";
import { ACTIVITY_UNIT_LABELS } from "~/domain/codes";
import { formatDay, formatNumber, formatPercent } from "~/domain/format";
import { can } from "~/domain/permissions";
import { daysUntil, TASK_STATE_LABELS, TASK_STATUSES } from "~/domain/pilot";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { phaseFigures } from "~/server/phases.server";
import { PlanError } from "~/server/plan.server";
import { addTask, editTask, listTaskViews, loadPlanTasks, updateTaskProgress, type TaskView } from "~/server/plan-tasks.server";

export const meta: MetaFunction = () => pageTitle("Kế hoạch thí điểm");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:plan");
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const tasks = await listTaskViews(db, user, now);
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, target: "plan", ip: clientIp(request) });
  return {
    tasks: tasks.map((t) => ({ ...t, days: t.dueDate ? daysUntil(t.dueDate, now) : null })),
    manage: can(user.role, "plan:manage"),
    phases: await phaseFigures(db, user, now, tasks),
  };
}

const unitsFrom = (form: FormData) => form.getAll("units").map(String);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, ["plan:update", "plan:manage"]);
  const db = await getDb();
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const intent = text("intent");
  const now = Math.floor(Date.now() / 1000);
  const log = (detail: Record<string, unknown>) =>
    audit(db, { action: "update", wardId: user.wardId, userId: user.id, username: user.username, target: "plan", detail, ip: clientIp(request) });
  try {
    if (intent === "progress") {
      const id = Number(text("taskId"));
      await updateTaskProgress(db, user, id, { status: text("status"), note: text("note"), evidenceUrl: text("evidenceUrl"), doneOn: text("doneOn") }, now);
      await log({ intent, id, status: text("status") });
      return { ok: "Đã cập nhật tiến độ." };
    }
    if (intent === "edit" || intent === "add") {
      const input = { phase: Number(text("phase")), title: text("title"), units: unitsFrom(form), dueDate: text("dueDate") || null };
      if (intent === "add") {
        const id = await addTask(db, user, input);
        await log({ intent, id });
        return { ok: "Đã thêm nhiệm vụ." };
      }
      const id = Number(text("taskId"));
      await editTask(db, user, id, input, now);
      await log({ intent, id, units: input.units });
      return { ok: "Đã lưu nhiệm vụ." };
    }
    if (intent === "load-plan") {
      const added = await loadPlanTasks(db, user);
      await log({ intent, added });
      return { ok: added ? `Đã nạp ${added} nhiệm vụ theo kế hoạch.` : "Các nhiệm vụ của kế hoạch đã có đủ." };
    }
    return data({ error: "Yêu cầu không hợp lệ." }, { status: 400 });
  } catch (error) {
    if (error instanceof PlanError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

const UNITS = Object.entries(ACTIVITY_UNIT_LABELS) as Array<[keyof typeof ACTIVITY_UNIT_LABELS, string]>;
type Task = TaskView & { days: number | null };

function dueText(t: Task): string {
  if (!t.dueDate) return "Chưa đặt hạn";
  if (t.state === "done") return `Hạn ${formatDay(t.dueDate)}`;
  if (t.days !== null && t.days < 0) return `Hạn ${formatDay(t.dueDate)} · quá ${-t.days} ngày`;
  if (t.days === 0) return `Hạn hôm nay (${formatDay(t.dueDate)})`;
  return `Hạn ${formatDay(t.dueDate)} · còn ${t.days} ngày`;
}

function TaskFields({ task }: { task?: Task }) {
  return (
    <>
      <label><span>Nhiệm vụ</span><input name="title" defaultValue={task?.title} required /></label>
      <label><span>Giai đoạn</span>
        <select name="phase" defaultValue={task?.phase ?? 1}><option value={1}>Giai đoạn 1</option><option value={2}>Giai đoạn 2</option></select>
      </label>
      <label><span>Hạn hoàn thành</span><input name="dueDate" type="date" defaultValue={task?.dueDate ?? ""} /></label>
      <fieldset className="wide">
        <legend>Đơn vị chịu trách nhiệm</legend>
        {UNITS.map(([code, label]) => (
          <label key={code} className="checkbox"><span><input type="checkbox" name="units" value={code} defaultChecked={task?.units.includes(code)} /> {label}</span></label>
        ))}
      </fieldset>
    </>
  );
}

function TaskItem({ t, manage, editing, busy }: { t: Task; manage: boolean; editing: boolean; busy: boolean }) {
  return (
    <li data-testid={`task-${t.id}`}>
      <strong>{t.title}</strong>
      {t.section ? <span className="muted"> (mục {t.section})</span> : null}
      <br />
      <span className={`status-${t.state}`}>{TASK_STATE_LABELS[t.state]}</span> · {dueText(t)} · {t.units.map((u) => ACTIVITY_UNIT_LABELS[u]).join(", ")}
      {t.note ? <><br />{t.note}</> : null}
      {t.evidenceUrl ? <><br /><a href={t.evidenceUrl} rel="noreferrer noopener" target="_blank">Minh chứng</a></> : null}
      {t.mayUpdate ? (
        <details>
          <summary>Cập nhật tiến độ</summary>
          <Form method="post" className="phone-form">
            <input type="hidden" name="intent" value="progress" />
            <input type="hidden" name="taskId" value={t.id} />
            <label><span>Trạng thái</span>
              <select name="status" defaultValue={t.status}>
                {TASK_STATUSES.map((s) => <option key={s} value={s}>{TASK_STATE_LABELS[s]}</option>)}
              </select>
            </label>
            <label><span>Ngày hoàn thành (khi đã xong; để trống là hôm nay)</span><input name="doneOn" type="date" defaultValue={t.doneOn ?? ""} /></label>
            <label><span>Ghi chú tiến độ</span><textarea name="note" rows={2} defaultValue={t.note ?? ""} /></label>
            <label><span>Đường dẫn minh chứng</span><input name="evidenceUrl" type="url" defaultValue={t.evidenceUrl ?? ""} placeholder="https://" /></label>
            <button type="submit" disabled={busy}>Lưu tiến độ</button>
          </Form>
        </details>
      ) : null}
      {manage ? (
        editing ? (
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="edit" />
            <input type="hidden" name="taskId" value={t.id} />
            <TaskFields task={t} />
            <button type="submit" disabled={busy}>Lưu nhiệm vụ</button>
            <Link to="/plan">Hủy</Link>
          </Form>
        ) : (
          <div className="entry-actions"><Link to={`/plan?edit=${t.id}`}>Sửa, giao lại</Link></div>
        )
      ) : null}
    </li>
  );
}

export default function Plan() {
  const { tasks, manage, phases } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const editing = Number(params.get("edit"));
  return (
    <>
      <PageHeader title="Kế hoạch thí điểm">
        <Link to="/urge">Cần đôn đốc</Link>
      </PageHeader>
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}

      <h2>Tiến độ theo giai đoạn</h2>
      <div className="form-grid" data-testid="phase-view">
        {phases.map((p) => (
          <div className="card" key={p.phase}>
            <h3>Giai đoạn {p.phase}: {p.title}</h3>
            <p>
              {formatNumber(p.done)} / {formatNumber(p.total)} nhiệm vụ hoàn thành
              {p.overdue ? <span className="status-overdue"> · {p.overdue} quá hạn</span> : null}
            </p>
            <ul>
              {p.indicators.map((i) => (
                <li key={i.key}>
                  {i.label}: <strong>{i.kind === "rate" ? formatPercent(i.value) : formatNumber(i.value)}</strong>
                  {" · "}
                  {i.target ? (
                    <span className={`status-${i.target.status}`}>
                      {TARGET_LABELS[i.target.status]} (chỉ tiêu {i.kind === "rate" ? formatPercent(i.target.threshold) : formatNumber(i.target.threshold)})
                    </span>
                  ) : <span className="status-none">Không có chỉ tiêu</span>}
                </li>
              ))}
            </ul>
            <p className="muted">Số liệu {p.periodLabel}.</p>
          </div>
        ))}
      </div>

      {tasks.length === 0 ? <p className="muted">Chưa có nhiệm vụ nào.</p> : null}
      {[1, 2].map((phase) => (
        <section key={phase}>
          <h2>Giai đoạn {phase}</h2>
          <ul className="entry-list">
            {tasks.filter((t) => t.phase === phase).map((t) => <TaskItem key={t.id} t={t} manage={manage} editing={editing === t.id} busy={busy} />)}
          </ul>
        </section>
      ))}

      {manage ? (
        <>
          <div className="card">
            <h2>Thêm nhiệm vụ</h2>
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="add" />
              <TaskFields />
              <button type="submit" disabled={busy}>Thêm nhiệm vụ</button>
            </Form>
          </div>
          <Form method="post">
            <input type="hidden" name="intent" value="load-plan" />
            <button type="submit" className="btn-secondary" disabled={busy}>Nạp các nhiệm vụ theo Kế hoạch (mục II, IV) còn thiếu</button>
          </Form>
        </>
      ) : null}
    </>
  );
}
