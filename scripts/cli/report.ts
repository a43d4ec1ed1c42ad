// `sskdt report r1|r2|r4 --period P [--as-of T] [--facility CODE] --out FILE.xlsx` writes
// the .xlsx the web page gives for a draft of that report (same builder, same bytes for
// the same as-of time); `sskdt report list` lists the archive of kept versions.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openMigratedDatabase } from "../../app/server/db.server";
import { env } from "../../app/server/env.server";
import { ensureWard } from "../../app/server/ward.server";
import { buildContent } from "../../app/server/reports/content.server";
import { reportXlsx } from "../../app/server/reports/xlsx.server";
import { listReports, reportCalendar, sha256 } from "../../app/server/reports/reports.server";
import { MetricsQueryError } from "../../app/server/metrics/engine.server";
import { parsePeriod, PeriodError, resolvePeriod } from "../../app/domain/periods";
import { asOfOption } from "./as-of";
import { formatDateTime, formatMoney } from "../../app/domain/format";
import { ESTIMATE_STATUS_LABELS } from "../../app/domain/budget";
import { BudgetError } from "../../app/server/budget.server";
import { yearR3 } from "../../app/server/reports/r3.server";
import { CALENDAR_STATE_LABELS, REPORT_KIND_SHORT, REPORT_STATUS_LABELS, ReportPeriodError, reportPeriod, type ReportKind } from "../../app/domain/reports";

export const summary = "official reports R1, R2, R3, R4 as .xlsx, and the archive of submitted versions";

export const help = `Usage:
  npx sskdt report r1|r2|r4 --period P [--as-of T] [--facility CODE] --out FILE.xlsx
  npx sskdt report list [--json]
  npx sskdt report r3 --year 2026 [--as-of T] --out FILE.xlsx

r1  progress report (period: month 2026-03, quarter 2026-Q1, half 2026-H1, year 2026)
r2  six-monthly facility table (period: 2026-H1 or 2026-H2)
r4  work list for the health station (any period)
The file is the draft the web page gives (no number, blank date line), with the figures
at T (ISO 8601, default: the end of the period, or now if it is not over).
--facility CODE  only this facility's figures (MA_CSKCB).
r3  budget estimate and justification of a year: its approved estimate in force (else
    its latest version), with spending and results to T (default: now).
list  every kept version: type, period, version, state, number, as-of, sha-256, and the
      report calendar's state of each period due.`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      period: { type: "string" },
      "as-of": { type: "string" },
      facility: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
      year: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  const [what] = positionals;
  const now = Math.floor(Date.now() / 1000);
  if (what === "list") return list(values.json === true, now);
  if (what?.toLowerCase() === "r3") return r3(values.year, values["as-of"], values.out, now);
  const kind = ({ r1: "R1", r2: "R2", r4: "R4" } as const)[what?.toLowerCase() as "r1" | "r2" | "r4"] as ReportKind | undefined;
  if (!kind || !values.period || !values.out) {
    console.error(help);
    return 2;
  }
  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    const ward = await ensureWard(db);
    const period = reportPeriod(kind, resolvePeriod(values.period, now).key);
    const asOf = asOfOption(values["as-of"], period, now);
    if (asOf === null) return 2;
    const content = await buildContent(db, {
      wardId: ward.id, kind, period, asOf, facilityCode: values.facility ?? null, number: null, day: null, difficulties: "", proposals: "",
    });
    const bytes = await reportXlsx(content);
    fs.writeFileSync(values.out, bytes);
    console.log(`${REPORT_KIND_SHORT[kind]} · ${content.period.label} · số liệu đến ${formatDateTime(asOf)} → ${values.out} (${bytes.length} byte, sha-256 ${sha256(bytes)})`);
    return 0;
  } catch (error) {
    if (error instanceof PeriodError || error instanceof ReportPeriodError || error instanceof MetricsQueryError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

async function list(json: boolean, now: number): Promise<number> {
  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    const ward = await ensureWard(db);
    const versions = await listReports(db, ward.id);
    const calendar = await reportCalendar(db, ward.id, now, versions);
    if (json) {
      console.log(JSON.stringify({
        versions,
        calendar: calendar.map((c) => ({ kind: c.kind, period: c.period.key, deadline: formatDateTime(c.deadline), state: c.state, latestId: c.latest?.id ?? null })),
      }, null, 2));
      return 0;
    }
    console.log("Lưu trữ báo cáo");
    if (versions.length === 0) console.log("  (chưa có báo cáo nào)");
    for (const v of versions) {
      const replaced = v.replacedById ? ` · đã được thay bằng #${v.replacedById}` : "";
      const replaces = v.replacesId ? ` · thay cho #${v.replacesId}` : "";
      console.log(
        `  #${v.id}  ${v.kind}  ${v.period.padEnd(8)} bản ${v.version}  ${REPORT_STATUS_LABELS[v.status].padEnd(11)}` +
          (v.number !== null ? `  số ${String(v.number).padStart(2, "0")}` : "") +
          (v.asOf !== null ? `  số liệu đến ${formatDateTime(v.asOf)}` : "") +
          (v.sha256 ? `  sha-256 ${v.sha256}` : "") + replaces + replaced,
      );
    }
    console.log("\nLịch báo cáo");
    for (const c of calendar) {
      console.log(`  ${c.kind}  ${c.period.key.padEnd(8)} hạn ${formatDateTime(c.deadline)}  ${CALENDAR_STATE_LABELS[c.state]}`);
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

async function r3(yearText: string | undefined, asOfText: string | undefined, out: string | undefined, now: number): Promise<number> {
  const year = Number(yearText);
  if (!yearText || !Number.isInteger(year) || year < 2000 || year > 2100 || !out) {
    console.error(help);
    return 2;
  }
  const asOf = asOfOption(asOfText, parsePeriod(String(year)), now);
  if (asOf === null) return 2;
  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    const ward = await ensureWard(db);
    const { content, bytes } = await yearR3(db, ward.id, year, asOf);
    fs.writeFileSync(out, bytes);
    console.log(
      `R3 · dự toán năm ${year}, phiên bản ${content.estimate.version} (${ESTIMATE_STATUS_LABELS[content.estimate.status]}) · tổng ${formatMoney(content.total)}` +
        ` · đã chi ${formatMoney(content.spent)} · số liệu đến ${formatDateTime(asOf)} → ${out} (${bytes.length} byte, sha-256 ${sha256(bytes)})`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BudgetError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}
