// Ghi nhận hỗ trợ (phone first): one resident helped — personal ID, the three steps with
// their dates, the supporting unit — entered by a block committee (its own block only)
// or the ward police. The row goes through the onboarding import (same validation, the
// ID kept as a keyed hash and its last 4 digits, the same block rules, history, audit).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { SUPPORT_UNIT_LABELS } from "~/domain/codes";
import { formatDateTime, formatDay } from "~/domain/format";
import { isBlockScoped } from "~/domain/permissions";
import { localDayOf } from "~/domain/time";
import { getDb } from "~/server/db.server";
import { enterRow } from "~/server/entry.server";
import { onboardingThisWeek } from "~/server/entries.server";
import { clientIp, requireBlockScope, requirePermission } from "~/server/guard.server";
import { listBlocks } from "~/server/ward.server";

export const meta: MetaFunction = () => pageTitle("Ghi nhận hỗ trợ người dân");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "entry:onboarding");
  if (isBlockScoped(user.role)) requireBlockScope(user, user.blockId);
  const db = await getDb();
  const now = Math.floor(Date.now() / 1000);
  const blocks = (await listBlocks(db, user.wardId)).filter((b) => !isBlockScoped(user.role) || b.id === user.blockId);
  return {
    blocks,
    today: localDayOf(now),
    defaultUnit: user.role === "cong_an" ? "cong_an" : "ban_can_su_khoi",
    entries: await onboardingThisWeek(db, user, now),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "entry:onboarding");
  const db = await getDb();
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const blockId = Number(text("blockId"));
  const block = (await listBlocks(db, user.wardId)).find((b) => b.id === blockId);
  if (!block) return data({ error: "Chọn khối của người dân." }, { status: 400 });
  // Block scope on the server: a committee's form may name its own block only.
  requireBlockScope(user, block.id);
  const result = await enterRow(db, user, "onboarding", "Biểu mẫu hỗ trợ người dân", {
    khoi: String(block.number),
    so_dinh_danh: text("pid").replace(/\s/g, ""),
    ngay_cai_vneid: text("vneid"),
    ngay_kich_hoat_muc2: text("level2"),
    ngay_tich_hop_bhyt: text("bhyt"),
    don_vi_ho_tro: text("supportUnit"),
  }, clientIp(request));
  if (!result.ok) return data({ error: result.errors.join(" ") }, { status: 400 });
  const unchanged = result.outcome.status === "unchanged";
  return { ok: unchanged ? "Thông tin này đã được ghi nhận trước đó, không ghi trùng." : "Đã ghi nhận.", warnings: result.warnings };
}

const step = (day: string | null) => (day ? formatDay(day) : "—");

export default function OnboardingEntry() {
  const { blocks, today, defaultUnit, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Ghi nhận hỗ trợ người dân" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && (
        <p className="notice notice-ok" role="status">
          {result.ok}
          {result.warnings.length ? ` Lưu ý: ${result.warnings.join(" ")}` : ""}
        </p>
      )}
      <Form method="post" className="phone-form card" data-testid="onboarding-form">
        <label>
          <span>Khối</span>
          <select name="blockId" defaultValue={blocks.length === 1 ? blocks[0].id : ""} required>
            {blocks.length > 1 ? <option value="" disabled>Chọn khối…</option> : null}
            {blocks.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
          </select>
        </label>
        <label>
          <span>Số định danh cá nhân (12 chữ số)</span>
          <input name="pid" inputMode="numeric" autoComplete="off" maxLength={14} pattern="\s*\d{12}\s*" required />
        </label>
        <fieldset>
          <legend>Các bước đã hoàn thành (để trống bước chưa làm)</legend>
          <label><span>Ngày cài đặt VNeID</span><input name="vneid" type="date" max={today} /></label>
          <label><span>Ngày kích hoạt định danh mức 2</span><input name="level2" type="date" max={today} /></label>
          <label><span>Ngày tích hợp thẻ BHYT</span><input name="bhyt" type="date" max={today} /></label>
        </fieldset>
        <label>
          <span>Đơn vị hỗ trợ</span>
          <select name="supportUnit" defaultValue={defaultUnit}>
            {Object.entries(SUPPORT_UNIT_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
          </select>
        </label>
        <button type="submit" disabled={busy}>Ghi nhận</button>
        <p className="muted">Chỉ lưu mã băm và 4 số cuối của số định danh; không lưu họ tên, địa chỉ, số điện thoại.</p>
      </Form>

      <h2>Đã ghi nhận tuần này ({entries.length})</h2>
      <ul className="entry-list" data-testid="onboarding-week">
        {entries.length === 0 ? <li className="muted">Chưa có ghi nhận nào trong tuần.</li> : null}
        {entries.map((e) => (
          <li key={e.id}>
            <strong>…{e.last4}</strong> · {e.block}
            <br />
            VNeID {step(e.vneid)} · Mức 2 {step(e.level2)} · BHYT {step(e.bhyt)}
            <br />
            <span className="muted">
              {e.supportUnit ? SUPPORT_UNIT_LABELS[e.supportUnit as keyof typeof SUPPORT_UNIT_LABELS] : "—"} · {formatDateTime(e.enteredAt)}
              {e.enteredBy ? ` · ${e.enteredBy}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
