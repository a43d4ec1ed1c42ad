// Hạ tầng: each facility's readiness — computers, printers, scanners, Internet and its
// speed, ID-card reader, staff trained on the gateway — ready or not, a note, when last
// checked; the ward's readiness at a glance. The health station records the checks.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDay, formatNumber, formatPercent } from "~/domain/format";
import { can } from "~/domain/permissions";
import { localDayOf } from "~/domain/time";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { PlanError } from "~/server/plan.server";
import { checkReadiness, wardReadiness } from "~/server/readiness.server";

export const meta: MetaFunction = () => pageTitle("Hạ tầng");

const STATUS_LABELS = { dat: "Sẵn sàng", dang_trien_khai: "Đang triển khai", chua_dat: "Chưa sẵn sàng" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, ["view:infrastructure", "edit:infrastructure"]);
  const db = await getDb();
  return { ...(await wardReadiness(db, user.wardId)), edit: can(user.role, "edit:infrastructure") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "edit:infrastructure");
  const db = await getDb();
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "").trim();
  try {
    const input = {
      facilityId: Number(text("facilityId")), category: text("category"), status: text("status"),
      note: text("note") || null, checkedOn: localDayOf(Math.floor(Date.now() / 1000)), checkedBy: user.id,
    };
    await checkReadiness(db, user.wardId, input);
    await audit(db, { action: "update", wardId: user.wardId, userId: user.id, username: user.username, target: "infrastructure", detail: { facilityId: input.facilityId, category: input.category, status: input.status }, ip: clientIp(request) });
    return { ok: "Đã lưu kết quả kiểm tra." };
  } catch (error) {
    if (error instanceof PlanError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function Infrastructure() {
  const { facilities, ready, total, edit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Hạ tầng, thiết bị" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      <div className="card" data-testid="ward-readiness">
        <strong>{`Toàn phường: ${formatNumber(ready)} / ${formatNumber(total)} hạng mục sẵn sàng (${formatPercent(total ? ready / total : null)})`}</strong>
        <ul>
          {facilities.map((f) => <li key={f.id}>{f.code} — {f.name}: {f.ready} / {f.rows.length} sẵn sàng</li>)}
        </ul>
      </div>
      {facilities.map((f) => (
        <section key={f.id}>
          <h2>{f.code} — {f.name}</h2>
          <ul className="entry-list">
            {f.rows.map((r) => (
              <li key={r.category}>
                <strong>{r.label}</strong>: <span className={r.status === "dat" ? "status-met" : r.status ? "status-not_met" : "status-none"}>{r.status ? STATUS_LABELS[r.status] : "Chưa kiểm tra"}</span>
                {r.note ? ` · ${r.note}` : ""}
                {r.checkedOn ? <span className="muted"> · kiểm tra {formatDay(r.checkedOn)}</span> : null}
                {edit ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="facilityId" value={f.id} />
                    <input type="hidden" name="category" value={r.category} />
                    <select name="status" defaultValue={r.status ?? "chua_dat"} aria-label={`Tình trạng: ${r.label}`}>
                      {Object.entries(STATUS_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
                    </select>
                    <input name="note" defaultValue={r.note ?? ""} placeholder={r.category === "internet" ? "Tốc độ, ví dụ 100 Mbps" : "Ghi chú"} aria-label={`Ghi chú: ${r.label}`} />
                    <button type="submit" className="btn-secondary" disabled={busy}>Lưu</button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {facilities.length === 0 ? <p className="muted">Chưa có cơ sở nào trong danh mục.</p> : null}
    </>
  );
}
