// Chỉ tiêu (administrator and ward leadership): a figure of METRICS.md, the ward or one
// block, a period and a threshold; listed with where each stands on its own period.
// The dashboard marks the same targets met / not met / no target.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TARGET_LABELS } from "~/components/dashboard/figures";
import { PageHeader, pageTitle } from "~/components/page";
import { formatNumber, formatPercent } from "~/domain/format";
import { TARGET_INDICATORS, type TargetIndicator } from "~/domain/metrics-types";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { createTarget, deleteTarget, TargetError, targetsWithStatus, updateTarget, type TargetInput } from "~/server/targets.server";
import { listBlocks } from "~/server/ward.server";

export const meta: MetaFunction = () => pageTitle("Chỉ tiêu");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "edit:targets");
  const db = await getDb();
  const [targets, blocks] = await Promise.all([targetsWithStatus(db, user.wardId, Math.floor(Date.now() / 1000)), listBlocks(db, user.wardId)]);
  return { targets, blocks };
}

/** The form's threshold: a percentage for a rate (80 or 80,5), a whole number otherwise. */
function thresholdOf(indicator: string, text: string): number {
  const value = Number(text.trim().replace(",", "."));
  if (!text.trim() || !Number.isFinite(value)) throw new TargetError("Ngưỡng phải là một số.");
  const definition = TARGET_INDICATORS[indicator as TargetIndicator];
  return definition?.kind === "rate" ? value / 100 : value;
}

function inputOf(form: FormData): TargetInput {
  const indicator = String(form.get("indicator") ?? "");
  const block = String(form.get("blockId") ?? "");
  return {
    indicator,
    blockId: block ? Number(block) : null,
    period: String(form.get("period") ?? "").trim(),
    threshold: thresholdOf(indicator, String(form.get("threshold") ?? "")),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "edit:targets");
  const db = await getDb();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const log = (detail: Record<string, unknown>) =>
    audit(db, { action: "update", wardId: user.wardId, userId: user.id, username: user.username, target: "targets", detail, ip: clientIp(request) });
  try {
    if (intent === "create") {
      const id = await createTarget(db, user.wardId, inputOf(form));
      await log({ intent, id });
      return { ok: "Đã thêm chỉ tiêu." };
    }
    const id = Number(form.get("targetId"));
    if (intent === "update") {
      await updateTarget(db, user.wardId, id, inputOf(form));
      await log({ intent, id });
      return { ok: "Đã lưu chỉ tiêu." };
    }
    if (intent === "delete") {
      await deleteTarget(db, user.wardId, id);
      await log({ intent, id });
      return { ok: "Đã xóa chỉ tiêu." };
    }
    return data({ error: "Yêu cầu không hợp lệ." }, { status: 400 });
  } catch (error) {
    if (error instanceof TargetError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

const INDICATORS = Object.entries(TARGET_INDICATORS) as Array<[TargetIndicator, (typeof TARGET_INDICATORS)[TargetIndicator]]>;
const shownThreshold = (indicator: string, t: number) =>
  TARGET_INDICATORS[indicator as TargetIndicator]?.kind === "rate" ? formatNumber(t * 100, 1).replace(/,0$/, "") : String(t);

function TargetFields({ blocks, value }: { blocks: Array<{ id: number; name: string }>; value?: TargetInput }) {
  return (
    <>
      <label><span>Chỉ số</span>
        <select name="indicator" defaultValue={value?.indicator ?? "i3.rate"} required>
          {INDICATORS.map(([key, d]) => <option key={key} value={key}>{d.label}{d.kind === "rate" ? " (%)" : ""}</option>)}
        </select>
      </label>
      <label><span>Phạm vi</span>
        <select name="blockId" defaultValue={value?.blockId ?? ""}>
          <option value="">Toàn phường</option>
          {blocks.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      </label>
      <label><span>Kỳ (2026, 2026-Q1, 2026-H1, 2026-03…)</span><input name="period" defaultValue={value?.period ?? ""} required /></label>
      <label><span>Ngưỡng (tỷ lệ: %, số lượng: số)</span>
        <input name="threshold" inputMode="decimal" defaultValue={value ? shownThreshold(value.indicator, value.threshold) : ""} required />
      </label>
    </>
  );
}

export default function Targets() {
  const { targets, blocks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const editing = Number(params.get("edit"));
  const blockName = new Map(blocks.map((b) => [b.id, b.name]));
  return (
    <>
      <PageHeader title="Chỉ tiêu" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      <p className="muted">Chỉ tiêu đạt khi số liệu của kỳ bằng hoặc vượt ngưỡng. Chỉ tiêu tỷ lệ của một kỳ dài (năm) cũng áp dụng cho các kỳ ngắn hơn trong đó.</p>
      <div className="table-wrap">
        <table className="data" data-testid="target-list">
          <thead><tr><th>Chỉ số</th><th>Phạm vi</th><th>Kỳ</th><th className="num">Ngưỡng</th><th className="num">Hiện đạt</th><th>Đánh giá</th><th /></tr></thead>
          <tbody>
            {targets.length === 0 ? <tr><td colSpan={7} className="muted">Chưa có chỉ tiêu nào.</td></tr> : null}
            {targets.map((t) => {
              const rate = TARGET_INDICATORS[t.indicator]?.kind === "rate";
              const shown = (v: number | null) => (rate ? formatPercent(v) : formatNumber(v));
              return editing === t.id ? (
                <tr key={t.id}>
                  <td colSpan={7}>
                    <Form method="post" className="form-grid">
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="targetId" value={t.id} />
                      <TargetFields blocks={blocks} value={t} />
                      <button type="submit" disabled={busy}>Lưu</button>
                      <Link to="/targets">Hủy</Link>
                    </Form>
                  </td>
                </tr>
              ) : (
                <tr key={t.id} data-testid={`target-${t.id}`}>
                  <td>{TARGET_INDICATORS[t.indicator]?.label ?? t.indicator}</td>
                  <td>{t.blockId === null ? "Toàn phường" : blockName.get(t.blockId)}</td>
                  <td>{t.period}</td>
                  <td className="num">{shown(t.threshold)}</td>
                  <td className="num">{shown(t.status?.value ?? null)}</td>
                  <td className={`status-${t.status?.status ?? "no_data"}`}>{TARGET_LABELS[t.status?.status ?? "no_data"]}</td>
                  <td className="nowrap">
                    <Link to={`/targets?edit=${t.id}`}>Sửa</Link>{" "}
                    <Form method="post" style={{ display: "inline" }}>
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="targetId" value={t.id} />
                      <button type="submit" className="btn-danger" disabled={busy}>Xóa</button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>Thêm chỉ tiêu</h2>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="create" />
          <TargetFields blocks={blocks} />
          <button type="submit" disabled={busy}>Thêm chỉ tiêu</button>
        </Form>
      </div>
    </>
  );
}
