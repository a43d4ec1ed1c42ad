// Hoạt động (phone first): communication and training activities — type, date, unit,
// block, content, people reached. The culture officer (and the administrator) keeps the
// ward's; a block committee its own block's only, checked on the server. New entries go
// through the activities import; edits re-run the import's row validation. Audited.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MonthlyActivities } from "~/components/pilot/MonthlyActivities";
import { PageHeader, pageTitle } from "~/components/page";
import { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS } from "~/domain/codes";
import { formatDay, formatNumber } from "~/domain/format";
import { isBlockScoped } from "~/domain/permissions";
import { localDayOf } from "~/domain/time";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { enterRow } from "~/server/entry.server";
import { activitiesByMonth, deleteActivity, getActivity, listActivities, updateActivity, type ActivityListing } from "~/server/entries.server";
import { clientIp, requireBlockScope, requirePermission } from "~/server/guard.server";
import { listBlocks } from "~/server/ward.server";

export const meta: MetaFunction = () => pageTitle("Hoạt động tuyên truyền");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "edit:activities");
  if (isBlockScoped(user.role)) requireBlockScope(user, user.blockId);
  const db = await getDb();
  const params = new URL(request.url).searchParams;
  const now = Math.floor(Date.now() / 1000);
  const month = /^\d{4}-\d{2}$/.test(params.get("month") ?? "") ? params.get("month") : null;
  const type = params.get("type") && params.get("type")! in ACTIVITY_TYPE_LABELS ? params.get("type") : null;
  const blockId = Number(params.get("block")) || null;
  const blocks = (await listBlocks(db, user.wardId)).filter((b) => !isBlockScoped(user.role) || b.id === user.blockId);
  const editId = Number(params.get("edit")) || null;
  const editing = editId ? await getActivity(db, user, editId) : null;
  await audit(db, { action: "view", wardId: user.wardId, userId: user.id, username: user.username, target: "activities", detail: { month, type, blockId }, ip: clientIp(request) });
  return {
    blocks,
    scoped: isBlockScoped(user.role),
    today: localDayOf(now),
    filter: { month, type, blockId },
    activities: await listActivities(db, user, { month, type, blockId }),
    months: await activitiesByMonth(db, user, now),
    editing,
  };
}

function rowOf(form: FormData, blocks: Array<{ id: number; number: number }>): Record<string, string> {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const block = blocks.find((b) => b.id === Number(text("blockId")));
  return {
    ngay: text("date"), loai: text("type"), don_vi: text("unit"), khoi: block ? String(block.number) : "",
    noi_dung: text("content"), so_nguoi: text("participants"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "edit:activities");
  const db = await getDb();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const blocks = await listBlocks(db, user.wardId);
  const log = (action: "create" | "update" | "delete", detail: Record<string, unknown>) =>
    audit(db, { action, wardId: user.wardId, userId: user.id, username: user.username, target: "activity", detail, ip: clientIp(request) });
  if (intent === "delete") {
    const id = Number(form.get("activityId"));
    await deleteActivity(db, user, id);
    await log("delete", { id });
    return { ok: "Đã xóa hoạt động." };
  }
  const row = rowOf(form, blocks);
  // Block scope on the server: a committee names its own block (or none, which means its own).
  if (isBlockScoped(user.role) && row.khoi) requireBlockScope(user, Number(form.get("blockId")));
  if (intent === "update") {
    const id = Number(form.get("activityId"));
    const result = await updateActivity(db, user, id, row);
    if (!result.ok) return data({ error: result.errors.join(" ") }, { status: 400 });
    await log("update", { id });
    return { ok: "Đã lưu hoạt động." };
  }
  const result = await enterRow(db, user, "activities", "Biểu mẫu hoạt động", row, clientIp(request));
  if (!result.ok) return data({ error: result.errors.join(" ") }, { status: 400 });
  return { ok: "Đã ghi nhận hoạt động." };
}

function ActivityFields({ blocks, scoped, today, value }: {
  blocks: Array<{ id: number; name: string }>;
  scoped: boolean;
  today: string;
  value?: ActivityListing | null;
}) {
  return (
    <>
      <label><span>Loại hoạt động</span>
        <select name="type" defaultValue={value?.type ?? "hoi_nghi"} required>
          {Object.entries(ACTIVITY_TYPE_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </label>
      <label><span>Ngày</span><input name="date" type="date" defaultValue={value?.date ?? today} max={today} required /></label>
      <label><span>Đơn vị thực hiện</span>
        <select name="unit" defaultValue={value?.unit ?? (scoped ? "ban_can_su_khoi" : "van_hoa_xa_hoi")} required>
          {Object.entries(ACTIVITY_UNIT_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </label>
      <label><span>Khối</span>
        <select name="blockId" defaultValue={value?.blockId ?? (scoped ? blocks[0]?.id : "")}>
          {scoped ? null : <option value="">Toàn phường</option>}
          {blocks.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      </label>
      <label><span>Nội dung</span><textarea name="content" rows={3} maxLength={2000} defaultValue={value?.content ?? ""} /></label>
      <label><span>Số người tham dự / tiếp cận</span>
        <input name="participants" type="number" min={0} inputMode="numeric" defaultValue={value?.participants ?? ""} />
      </label>
    </>
  );
}

export default function Activities() {
  const { blocks, scoped, today, filter, activities, months, editing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const blockName = new Map(blocks.map((b) => [b.id, b.name]));
  return (
    <>
      <PageHeader title="Hoạt động tuyên truyền, tập huấn" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}

      <Form method="post" className="phone-form card" data-testid="activity-form" key={editing?.id ?? "new"}>
        <h2>{editing ? "Sửa hoạt động" : "Ghi nhận hoạt động"}</h2>
        <input type="hidden" name="intent" value={editing ? "update" : "create"} />
        {editing ? <input type="hidden" name="activityId" value={editing.id} /> : null}
        <ActivityFields blocks={blocks} scoped={scoped} today={today} value={editing} />
        <button type="submit" disabled={busy}>{editing ? "Lưu thay đổi" : "Ghi nhận"}</button>
        {editing ? <Link to="/activities">Hủy</Link> : null}
      </Form>

      <h2>Theo tháng</h2>
      <div className="card"><MonthlyActivities months={months} /></div>

      <h2>Danh sách</h2>
      <Form method="get" className="form-grid card">
        <label><span>Tháng</span><input name="month" type="month" defaultValue={filter.month ?? ""} /></label>
        <label><span>Loại</span>
          <select name="type" defaultValue={filter.type ?? ""}>
            <option value="">Tất cả</option>
            {Object.entries(ACTIVITY_TYPE_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </label>
        {scoped ? null : (
          <label><span>Khối</span>
            <select name="block" defaultValue={filter.blockId ?? ""}>
              <option value="">Tất cả</option>
              {blocks.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
            </select>
          </label>
        )}
        <button type="submit" className="btn-secondary">Lọc</button>
      </Form>
      <ul className="entry-list" data-testid="activity-list">
        {activities.length === 0 ? <li className="muted">Không có hoạt động nào.</li> : null}
        {activities.map((a) => (
          <li key={a.id}>
            <strong>{ACTIVITY_TYPE_LABELS[a.type as keyof typeof ACTIVITY_TYPE_LABELS] ?? a.type}</strong> · {formatDay(a.date)} ·{" "}
            {a.blockId === null ? "Toàn phường" : (blockName.get(a.blockId) ?? "")}
            <br />
            {a.content || <span className="muted">(không có nội dung)</span>}
            <br />
            <span className="muted">
              {ACTIVITY_UNIT_LABELS[a.unit as keyof typeof ACTIVITY_UNIT_LABELS] ?? a.unit}
              {a.participants !== null ? ` · ${formatNumber(a.participants)} người` : ""}
            </span>
            <div className="entry-actions">
              <Link to={`/activities?edit=${a.id}`}>Sửa</Link>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="activityId" value={a.id} />
                <button type="submit" className="btn-danger" disabled={busy}>Xóa</button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
