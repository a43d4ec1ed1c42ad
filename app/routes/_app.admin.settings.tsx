// The ward's settings: its name and code, who signs reports, who receives them, and
// which MA_LOAI_KCB codes make each row of the six-monthly facility table (R2).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { PageHeader, pageTitle } from "~/components/page";
import { VISIT_TYPE_GROUPS } from "~/domain/codes";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { getSetting, getWard, setSetting, updateWard, type SettingValue } from "~/server/ward.server";
import { numberYear, REPORT_KIND_SHORT, REPORT_KINDS } from "~/domain/reports";
import { REPORT_SYMBOL } from "~/domain/official-document";
import { highestUsed, listSequences, setSequence, type Sequence } from "~/server/reports/sequences.server";

export const meta: MetaFunction = () => pageTitle("Cấu hình");

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:settings");
  const db = await getDb();
  const [ward, signer, recipients, visitTypeGroups, reportSymbols, reportCalendarStart, stored] = await Promise.all([
    getWard(db, admin.wardId),
    getSetting(db, admin.wardId, "signer"),
    getSetting(db, admin.wardId, "recipients"),
    getSetting(db, admin.wardId, "visitTypeGroups"),
    getSetting(db, admin.wardId, "reportSymbols"),
    getSetting(db, admin.wardId, "reportCalendarStart"),
    listSequences(db, admin.wardId),
  ]);
  return { ward, signer, recipients, visitTypeGroups, reportSymbols, reportCalendarStart, sequences: sequencesToShow(stored, reportSymbols) };
}

/** The stored sequences, and this year's for every symbol in use even before its first number. */
function sequencesToShow(stored: Sequence[], symbols: SettingValue<"reportSymbols">): Sequence[] {
  const year = numberYear(Math.floor(Date.now() / 1000)); // the ward's year, not the server's
  const out = [...stored];
  for (const symbol of new Set(Object.values(symbols))) {
    if (!out.some((s) => s.year === year && s.symbol === symbol)) out.push({ year, symbol, lastNumber: 0 });
  }
  return out.sort((a, b) => b.year - a.year || a.symbol.localeCompare(b.symbol));
}

const text = (label: string) => z.string().trim().min(1, `Thiếu ${label}.`);

const settingsForm = z.object({
  name: text("tên phường"),
  code: z.string().trim().regex(/^\d{5}$/, "Mã đơn vị hành chính gồm 5 chữ số."),
  placeName: text("địa danh"),
  onBehalf: z.string().trim(),
  title: text("chức vụ người ký"),
  signerName: text("họ tên người ký"),
  recipients: z.string(),
});

/** One recipient a line: "Tên đầy đủ | Tên viết tắt" (the short name may be left out). */
function parseRecipients(textValue: string): SettingValue<"recipients"> {
  return textValue
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^-\s*/, "").replace(/;$/, ""))
    .filter(Boolean)
    .map((line) => {
      const [name, shortName] = line.split("|").map((s) => s.trim());
      return { name, shortName: shortName || name };
    });
}

/** Codes typed as "01, 10 11"; each code may belong to one row only. */
function parseGroups(form: Record<string, FormDataEntryValue>): SettingValue<"visitTypeGroups"> | string {
  const seen = new Map<string, string>();
  const groups = {} as SettingValue<"visitTypeGroups">;
  for (const g of VISIT_TYPE_GROUPS) {
    const codes = String(form[`group_${g.key}`] ?? "").split(/[\s,;]+/).filter(Boolean).map((c) => c.padStart(2, "0"));
    for (const code of codes) {
      if (!/^\d{2}$/.test(code)) return `Mã loại KCB không hợp lệ: ${code}`;
      if (seen.has(code)) return `Mã ${code} nằm ở cả "${seen.get(code)}" và "${g.label}".`;
      seen.set(code, g.label);
    }
    groups[g.key] = codes;
  }
  return groups;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:settings");
  const form = Object.fromEntries(await request.formData());
  const parsed = settingsForm.safeParse(form);
  if (!parsed.success) return data({ error: parsed.error.issues[0].message }, { status: 400 });
  const recipients = parseRecipients(parsed.data.recipients);
  if (recipients.length === 0) return data({ error: "Cần ít nhất một nơi nhận." }, { status: 400 });
  const groups = parseGroups(form);
  if (typeof groups === "string") return data({ error: groups }, { status: 400 });
  const reports = parseReportSettings(form);
  if (typeof reports === "string") return data({ error: reports }, { status: 400 });

  const { name, code, placeName, onBehalf, title, signerName } = parsed.data;
  const db = await getDb();
  try {
    await db.transaction().execute(async (trx) => {
      await updateWard(trx, admin.wardId, { name, code, placeName });
      await setSetting(trx, admin.wardId, "signer", { onBehalf, title, name: signerName });
      await setSetting(trx, admin.wardId, "recipients", recipients);
      await setSetting(trx, admin.wardId, "visitTypeGroups", groups);
      await setSetting(trx, admin.wardId, "reportSymbols", reports.symbols);
      await setSetting(trx, admin.wardId, "reportCalendarStart", reports.calendarStart);
      for (const seq of reports.sequences) {
        // A number already given is never given again: the sequence cannot go below it.
        const used = await highestUsed(trx, admin.wardId, seq.year, seq.symbol);
        if (seq.lastNumber < used) throw new SettingsError(`Số ${seq.symbol} năm ${seq.year}: đã cấp đến số ${used}, không thể đặt lại về ${seq.lastNumber}.`);
        await setSequence(trx, admin.wardId, seq);
      }
      await audit(trx, { action: "update", wardId: admin.wardId, userId: admin.id, username: admin.username, target: "settings", ip: clientIp(request) });
    });
  } catch (error) {
    if (error instanceof SettingsError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
  return { ok: "Đã lưu cấu hình." };
}

class SettingsError extends Error {}

/** Report symbols per kind, the calendar's first month, and the number sequences ("seq_<year>_<symbol>"). */
function parseReportSettings(form: Record<string, FormDataEntryValue>) {
  const symbols = {} as SettingValue<"reportSymbols">;
  for (const k of REPORT_KINDS) {
    const symbol = String(form[`symbol_${k}`] ?? REPORT_SYMBOL).trim();
    if (!/^[A-ZĐ0-9][A-ZĐ0-9-]{0,19}$/u.test(symbol)) return `Ký hiệu báo cáo ${k} không hợp lệ: "${symbol}" (ví dụ BC-UBND).`;
    symbols[k] = symbol;
  }
  const start = String(form.reportCalendarStart ?? "").trim();
  if (start && !/^\d{4}-(0[1-9]|1[0-2])$/.test(start)) return `Tháng bắt đầu lịch báo cáo không hợp lệ: "${start}" (ví dụ 2026-01).`;
  const sequences: Sequence[] = [];
  for (const [key, value] of Object.entries(form)) {
    const m = /^seq_(\d{4})_(.+)$/.exec(key);
    if (!m) continue;
    const last = Number(String(value).trim() || "0");
    if (!Number.isInteger(last) || last < 0 || last > 99999) return `Số báo cáo ${m[2]} năm ${m[1]} phải là số nguyên không âm.`;
    sequences.push({ year: Number(m[1]), symbol: m[2], lastNumber: last });
  }
  return { symbols, calendarStart: start || null, sequences };
}

export default function Settings() {
  const { ward, signer, recipients, visitTypeGroups, reportSymbols, reportCalendarStart, sequences } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader title="Cấu hình" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}
      <Form method="post">
        <h2>Đơn vị</h2>
        <div className="card form-grid">
          <label>
            <span>Tên phường (ví dụ: Phường Bến Thủy)</span>
            <input name="name" defaultValue={ward.name} required />
          </label>
          <label>
            <span>Mã đơn vị hành chính</span>
            <input name="code" defaultValue={ward.code} required inputMode="numeric" pattern="\d{5}" />
          </label>
          <label>
            <span>Địa danh ghi trên văn bản</span>
            <input name="placeName" defaultValue={ward.placeName} required />
          </label>
        </div>

        <h2>Người ký báo cáo</h2>
        <div className="card form-grid">
          <label>
            <span>Thẩm quyền ký (ví dụ: KT. CHỦ TỊCH)</span>
            <input name="onBehalf" defaultValue={signer.onBehalf} />
          </label>
          <label>
            <span>Chức vụ</span>
            <input name="title" defaultValue={signer.title} required />
          </label>
          <label>
            <span>Họ và tên</span>
            <input name="signerName" defaultValue={signer.name} required />
          </label>
        </div>

        <h2>Nơi nhận báo cáo</h2>
        <div className="card form-grid">
          <label className="wide">
            <span>Mỗi dòng một nơi nhận: Tên đầy đủ | Tên viết tắt. Dòng “Lưu: VT, VH.” được thêm tự động.</span>
            <textarea name="recipients" rows={4} defaultValue={recipients.map((r) => (r.shortName === r.name ? r.name : `${r.name} | ${r.shortName}`)).join("\n")} />
          </label>
        </div>

        <h2>Nhóm loại khám chữa bệnh (mẫu báo cáo 6 tháng)</h2>
        <div className="card form-grid">
          {VISIT_TYPE_GROUPS.map((g) => (
            <label key={g.key}>
              <span>{g.label} — mã MA_LOAI_KCB</span>
              <input name={`group_${g.key}`} defaultValue={(visitTypeGroups[g.key] ?? []).join(", ")} />
            </label>
          ))}
        </div>
        <h2>Báo cáo định kỳ</h2>
        <div className="card form-grid">
          {REPORT_KINDS.map((k) => (
            <label key={k}>
              <span>Ký hiệu số văn bản — {REPORT_KIND_SHORT[k]}</span>
              <input name={`symbol_${k}`} defaultValue={reportSymbols[k]} required />
            </label>
          ))}
          <label>
            <span>Tháng bắt đầu lịch báo cáo (để trống: 12 tháng gần nhất)</span>
            <input name="reportCalendarStart" type="month" defaultValue={reportCalendarStart ?? ""} />
          </label>
          {sequences.map((seq) => (
            <label key={`${seq.year}_${seq.symbol}`}>
              <span>Số đã cấp gần nhất — {seq.symbol}, năm {seq.year} (báo cáo gửi tiếp theo nhận số {seq.lastNumber + 1})</span>
              <input name={`seq_${seq.year}_${seq.symbol}`} defaultValue={seq.lastNumber} inputMode="numeric" pattern="\d{1,5}" />
            </label>
          ))}
        </div>
        <button type="submit" disabled={busy}>Lưu cấu hình</button>
      </Form>
    </>
  );
}
