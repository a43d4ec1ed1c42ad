// `sskdt metrics` — METRICS.md's figures for a period: the JSON object with --json, a
// readable Vietnamese table without. Same engine as the dashboard and the API.
import { parseArgs } from "node:util";
import { openMigratedDatabase } from "../../app/server/db.server";
import { env } from "../../app/server/env.server";
import { ensureWard } from "../../app/server/ward.server";
import { computeMetrics, MetricsQueryError } from "../../app/server/metrics/engine.server";
import { rebuildDerived } from "../../app/server/metrics/derived.server";
import { periodLabel, PeriodError, resolvePeriod } from "../../app/domain/periods";
import { asOfOption } from "./as-of";
import { formatDay, formatMoney, formatNumber, formatPercent, formatHours, formatDateTime } from "../../app/domain/format";
import { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS, METHOD_LABELS, ONBOARDING_STEP_LABELS, I3_STATUS_LABELS } from "../../app/domain/codes";
import { publicMetrics, type MetricsJson } from "../../app/domain/metrics-types";

export const summary = "indicator figures (I1–I6) for a period, as a table or METRICS.md's JSON";

export const help = `Usage:
  npx sskdt metrics --period P [--as-of T] [--facility CODE] [--ward CODE] [--json]
  npx sskdt metrics --rebuild

P: 2026, 2026-H1, 2026-Q3, 2026-03, 2026-W05, 2026-03-15, 2026-01-01..2026-03-31
   (both days inclusive), or this-month, last-month, this-quarter, last-quarter,
   year-to-date, this-year.
T: ISO 8601, e.g. 2026-04-02T08:00:00+07:00 (no zone = Vietnam time). Default: the end
   of the period, or now if the period is not over.
--facility CODE  I1–I3 of one facility (MA_CSKCB) only.
--ward CODE      the ward's administrative code, when the installation serves several.
--json           print METRICS.md's JSON object instead of the table.
--rebuild        recompute the roll-up tables from the imported data (after a restore).`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      period: { type: "string" },
      "as-of": { type: "string" },
      facility: { type: "string" },
      ward: { type: "string" },
      json: { type: "boolean", default: false },
      rebuild: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.rebuild && !values.period) {
    console.error(`--period is required\n\n${help}`);
    return 2;
  }
  const now = Math.floor(Date.now() / 1000);
  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    if (values.rebuild) {
      const started = performance.now();
      const n = await rebuildDerived(db);
      console.log(`Đã tính lại bảng tổng hợp cho ${formatNumber(n)} hồ sơ trong ${((performance.now() - started) / 1000).toFixed(1)} giây.`);
      return 0;
    }
    const period = resolvePeriod(values.period!, now);
    const asOf = asOfOption(values["as-of"], period, now);
    if (asOf === null) return 2;
    const wardId = await wardIdOf(values.ward);
    if (wardId === null) {
      console.error(`Không có phường mã ${values.ward}.`);
      return 2;
    }
    const m = await computeMetrics(db, { wardId, period, asOf, facilityCode: values.facility ?? null });
    console.log(values.json ? JSON.stringify(publicMetrics(m), null, 2) : table(m, periodLabel(period), asOf));
    return 0;
  } catch (error) {
    if (error instanceof PeriodError || error instanceof MetricsQueryError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await db.destroy();
  }

  async function wardIdOf(code: string | undefined): Promise<number | null> {
    if (code === undefined) return (await ensureWard(db)).id;
    const row = await db.selectFrom("ward").select("id").where("code", "=", code).executeTakeFirst();
    return row?.id ?? null;
  }
}

/** Label and value columns, the value right-aligned. */
function rows(lines: Array<[string, string]>, indent = "  "): string[] {
  const width = Math.max(...lines.map(([l]) => l.length));
  const valueWidth = Math.max(...lines.map(([, v]) => v.length));
  return lines.map(([l, v]) => (v ? `${indent}${l.padEnd(width)}  ${v.padStart(valueWidth)}` : `${indent}${l}`));
}

const n = (x: number) => formatNumber(x);
const orDash = (x: number | null) => (x === null ? "—" : formatNumber(x));

function table(m: MetricsJson, label: string, asOf: number): string {
  const out: string[] = [];
  out.push(`CHỈ SỐ THÍ ĐIỂM SỔ SỨC KHỎE ĐIỆN TỬ — ${label} (${formatDay(m.period.from)} – ${formatDay(m.period.to)})`);
  out.push(`Số liệu tính đến ${formatDateTime(asOf)}${m.facility ? ` · Cơ sở KCB ${m.facility}` : ""}`);

  out.push("", "I1. Lượt KCB tiếp nhận bằng định danh");
  out.push(...rows([
    ["Tổng lượt KCB", n(m.i1.total)],
    ["Lượt tiếp nhận bằng định danh", n(m.i1.identified)],
    ["Tỷ lệ", formatPercent(m.i1.rate)],
    ["Số người bệnh (không trùng)", n(m.i1.distinctPatients)],
    ["Theo hình thức tiếp nhận:", ""],
    ...Object.entries(m.i1.byMethod).map(([k, v]) => [`  ${METHOD_LABELS[k as keyof typeof METHOD_LABELS]}`, n(v)] as [string, string]),
  ]));

  out.push("", "I2. Hồ sơ đã liên thông lên Cổng giám định BHYT");
  out.push(...rows([
    ["Lượt KCB đã kết thúc", n(m.i2.ended)],
    ["Đã gửi thành công", n(m.i2.sent)],
    ["Bị từ chối, chưa gửi lại thành công", n(m.i2.rejected)],
    ["Chưa gửi", n(m.i2.notSent)],
    ["Tỷ lệ", formatPercent(m.i2.rate)],
    ["Thời gian gửi: trung vị", formatHours(m.i2.hoursToSend.median)],
    ["Thời gian gửi: 90 %", formatHours(m.i2.hoursToSend.p90)],
    ...(m.i2.rejectCodes.length ? [["Mã lỗi của hồ sơ bị từ chối:", ""] as [string, string]] : []),
    ...m.i2.rejectCodes.map((c) => [`  Mã lỗi ${c.code}`, n(c.count)] as [string, string]),
  ]));

  out.push("", "I3. Hiển thị trên VNeID trong vòng 24 giờ");
  out.push(...rows([
    [I3_STATUS_LABELS.onTime, n(m.i3.onTime)],
    [I3_STATUS_LABELS.late, n(m.i3.late)],
    [I3_STATUS_LABELS.overdue, n(m.i3.overdue)],
    [I3_STATUS_LABELS.pending, n(m.i3.pending)],
    ["Tỷ lệ đúng hạn", formatPercent(m.i3.rate)],
    ["Thời gian hiển thị: trung vị", formatHours(m.i3.hoursToDisplay.median)],
    ["Thời gian hiển thị: 90 %", formatHours(m.i3.hoursToDisplay.p90)],
  ]));

  out.push("", `I4. Người dân được hỗ trợ (lũy kế đến ${formatDay(m.i4.asOf)}; trong ngoặc: mới trong kỳ)`);
  const steps = ["vneidInstalled", "level2Activated", "bhytLinked", "fullyOnboarded"] as const;
  const header = ["Khối", "Dân số", ...steps.map((s) => ONBOARDING_STEP_LABELS[s])];
  const body = m.i4.blocks.map((b) => [b.block, orDash(b.eligible), ...steps.map((s) => `${n(b[s])} (${n(b.newInPeriod[s])})`)]);
  body.push(["Toàn phường", orDash(m.i4.ward.eligible), ...steps.map((s) => n(m.i4.ward[s]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  for (const r of [header, ...body]) out.push("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));

  out.push("", "I5. Hoạt động tuyên truyền, tập huấn");
  out.push(...rows([
    ["Tổng số hoạt động", n(m.i5.total)],
    ["Số người tham dự / tiếp cận", n(m.i5.reach)],
    ["Theo loại hoạt động:", ""],
    ...Object.entries(m.i5.byType).map(([k, v]) => [`  ${ACTIVITY_TYPE_LABELS[k as keyof typeof ACTIVITY_TYPE_LABELS] ?? k}`, n(v)] as [string, string]),
    ["Theo đơn vị thực hiện:", ""],
    ...Object.entries(m.i5.byUnit).map(([k, v]) => [`  ${ACTIVITY_UNIT_LABELS[k as keyof typeof ACTIVITY_UNIT_LABELS] ?? k}`, n(v)] as [string, string]),
  ]));

  out.push("", `I6. Kinh phí năm ${m.i6.year}`);
  out.push(...rows([
    ["Dự toán", formatMoney(m.i6.estimated)],
    ["Được phê duyệt", formatMoney(m.i6.approved)],
    ["Đã chi trong kỳ", formatMoney(m.i6.spent)],
    ["Tỷ lệ giải ngân", formatPercent(m.i6.executionRate)],
    ["Chi phí / người hoàn thành 3 bước", m.i6.costPerFullyOnboarded === null ? "—" : formatMoney(Math.round(m.i6.costPerFullyOnboarded))],
    ["Chi phí / hồ sơ liên thông", m.i6.costPerRecordSent === null ? "—" : formatMoney(Math.round(m.i6.costPerRecordSent))],
  ]));
  return out.join("\n");
}
