// A report's content from the indicator engine's public entry points (computeMetrics,
// facilityBreakdown, workList, evaluateTargets): no figure is computed here. R2's split of
// I2 by visit type and insurance is the one count the engine has no view for; it counts the
// same visits (ended in the half-year) and the same "sent" (the classifier's, at the
// as-of time), and its totals are tested equal to the engine's I2 per facility.
import type { DB } from "../db.server";
import { sendingStateSql } from "~/domain/classify";
import { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS, VISIT_TYPE_GROUPS } from "~/domain/codes";
import type { MetricsJson, TargetIndicator, TargetStatus, WorkItemKind } from "~/domain/metrics-types";
import { REPORT_SYMBOL, type OfficialFrame } from "~/domain/official-document";
import { lastDay, parsePeriod, periodLabel, type Period } from "~/domain/periods";
import {
  sumCounts, type OnboardingRowFigures, type R1Content, type R2Content, type R2Counts, type R4Content, type ReportContent,
  type TargetMark, type VisitFigureRow,
} from "~/domain/report-content";
import { reportSummary, type ReportKind } from "~/domain/reports";
import { formatDateTime } from "~/domain/format";
import { startOfLocalDay } from "~/domain/time";
import { computeMetrics, evaluateTargets, facilityBreakdown, workList, type MetricsQuery } from "../metrics/engine.server";
import { getSetting, getWard } from "../ward.server";

export interface ContentRequest {
  wardId: number;
  kind: ReportKind;
  period: Period;
  asOf: number;
  facilityCode?: string | null;
  /** Given on submission; null for a draft. */
  number: number | null;
  /** The date line's day; null for a draft. */
  day: string | null;
  difficulties: string;
  proposals: string;
}

/** The frame from the ward and its settings as they are now (a submitted report keeps its own). */
export async function frameOf(db: DB, wardId: number, kind: ReportKind, period: Period, asOf: number, number: number | null, day: string | null): Promise<OfficialFrame> {
  const [ward, signer, recipients, symbols] = await Promise.all([
    getWard(db, wardId),
    getSetting(db, wardId, "signer"),
    getSetting(db, wardId, "recipients"),
    getSetting(db, wardId, "reportSymbols"),
  ]);
  return {
    authority: "Ủy ban nhân dân",
    unitName: ward.name,
    number,
    symbol: symbols[kind] ?? REPORT_SYMBOL,
    place: ward.placeName,
    day,
    title: "Báo cáo",
    summary: reportSummary(kind, period),
    subtitle: [`Số liệu tính đến ${formatDateTime(asOf)}`],
    signature: { onBehalfOfBody: `TM. Ủy ban nhân dân`, onBehalf: signer.onBehalf, title: signer.title, name: signer.name },
    recipients,
  };
}

export async function buildContent(db: DB, r: ContentRequest): Promise<ReportContent> {
  const q: MetricsQuery = { wardId: r.wardId, period: r.period, asOf: r.asOf, facilityCode: r.facilityCode ?? null };
  const content: ReportContent = {
    kind: r.kind,
    period: { key: r.period.key, label: periodLabel(r.period), from: r.period.from, to: lastDay(r.period) },
    asOf: r.asOf,
    facility: r.facilityCode ?? null,
    frame: await frameOf(db, r.wardId, r.kind, r.period, r.asOf, r.number, r.day),
    difficulties: r.difficulties,
    proposals: r.proposals,
  };
  if (r.kind === "R1") content.r1 = await r1Content(db, q);
  if (r.kind === "R2") content.r2 = await r2Content(db, q);
  if (r.kind === "R4") content.r4 = await r4Content(db, q);
  return content;
}

// ---- R1 -----------------------------------------------------------------------------

function markOf(statuses: TargetStatus[], indicators: TargetIndicator[], blockId: number | null = null): TargetMark {
  for (const indicator of indicators) {
    const s = statuses.find((t) => t.indicator === indicator && (blockId === null ? t.blockId === null : t.blockId === blockId || t.blockId === null));
    if (s) return { status: s.status, threshold: s.threshold, kind: s.kind };
  }
  return { status: "none", threshold: null, kind: null };
}

function visitRows(m: Pick<MetricsJson, "i1" | "i2" | "i3">, statuses: TargetStatus[]): VisitFigureRow[] {
  const displayed = m.i3.onTime + m.i3.late + m.i3.overdue + m.i3.pending;
  return [
    { indicator: "i1", label: "Lượt KCB tiếp nhận bằng định danh (I1)", whole: m.i1.total, part: m.i1.identified, rate: m.i1.rate, target: markOf(statuses, ["i1.rate", "i1.identified"]) },
    { indicator: "i2", label: "Hồ sơ đã liên thông lên Cổng giám định BHYT (I2)", whole: m.i2.ended, part: m.i2.sent, rate: m.i2.rate, target: markOf(statuses, ["i2.rate", "i2.sent"]) },
    { indicator: "i3", label: "Hồ sơ hiển thị trên VNeID trong 24 giờ (I3)", whole: displayed, part: m.i3.onTime, rate: m.i3.rate, target: markOf(statuses, ["i3.rate"]) },
  ];
}

const I4_TARGETS: TargetIndicator[] = ["i4.fullyOnboarded.rate", "i4.fullyOnboarded"];

async function r1Content(db: DB, q: MetricsQuery): Promise<R1Content> {
  const metrics = await computeMetrics(db, q);
  const statuses = await evaluateTargets(db, q, metrics);
  const facilities = [];
  for (const f of await facilityBreakdown(db, q)) {
    const fq = { ...q, facilityCode: f.facilityCode };
    const fm = await computeMetrics(db, fq);
    facilities.push({ code: f.facilityCode, name: f.facilityName, rows: visitRows(fm, await evaluateTargets(db, fq, fm)) });
  }
  const blockRows: OnboardingRowFigures[] = [];
  const targets = [...statuses];
  for (const b of metrics.i4.blocks) {
    // A block's bar: its own target, else the ward's rate (the block committee's view).
    const own = (await evaluateTargets(db, { ...q, blockId: b.blockId }, metrics)).filter((t) => t.indicator.startsWith("i4."));
    for (const t of own) if (t.blockId !== null && !targets.some((x) => x.targetId === t.targetId)) targets.push(t);
    blockRows.push({
      label: b.block, eligible: b.eligible, vneidInstalled: b.vneidInstalled, level2Activated: b.level2Activated,
      bhytLinked: b.bhytLinked, fullyOnboarded: b.fullyOnboarded, rate: b.eligible ? b.fullyOnboarded / b.eligible : null,
      newFullyOnboarded: b.newInPeriod.fullyOnboarded, target: markOf(own, I4_TARGETS, b.blockId),
    });
  }
  const w = metrics.i4.ward;
  const newInWard = metrics.i4.blocks.reduce((n, b) => n + b.newInPeriod.fullyOnboarded, 0);
  const ytd = parsePeriod(`${q.period.from.slice(0, 4)}-01-01..${lastDay(q.period)}`);
  const i6 = (await computeMetrics(db, { ...q, period: ytd, facilityCode: null })).i6;
  return {
    metrics,
    i5: {
      byType: Object.entries(metrics.i5.byType).map(([k, count]) => ({ label: ACTIVITY_TYPE_LABELS[k as keyof typeof ACTIVITY_TYPE_LABELS] ?? k, count })),
      byUnit: Object.entries(metrics.i5.byUnit).map(([k, count]) => ({ label: ACTIVITY_UNIT_LABELS[k as keyof typeof ACTIVITY_UNIT_LABELS] ?? k, count })),
      total: metrics.i5.total,
      reach: metrics.i5.reach,
    },
    facilities,
    ward: visitRows(metrics, statuses),
    blocks: blockRows,
    wardOnboarding: {
      label: "Toàn phường", eligible: w.eligible, vneidInstalled: w.vneidInstalled, level2Activated: w.level2Activated,
      bhytLinked: w.bhytLinked, fullyOnboarded: w.fullyOnboarded, rate: w.eligible ? w.fullyOnboarded / w.eligible : null,
      newFullyOnboarded: newInWard, target: markOf(statuses, I4_TARGETS),
    },
    targets,
    i6,
    i6Period: { from: ytd.from, to: lastDay(ytd) },
  };
}

// ---- R2 -----------------------------------------------------------------------------

const OTHER_GROUP = { key: "khac", label: "Loại khác (mã chưa xếp nhóm)" };

async function r2Content(db: DB, q: MetricsQuery): Promise<R2Content> {
  const mapping = await getSetting(db, q.wardId, "visitTypeGroups");
  const groupOf = new Map<string, string>();
  for (const g of VISIT_TYPE_GROUPS) for (const code of mapping[g.key] ?? []) groupOf.set(code, g.key);
  const facilities = await facilityBreakdown(db, q); // the ward's facilities (or the one filtered), by code
  const ids = await db.selectFrom("facility").select(["id", "code"]).where("ward_id", "=", q.wardId).execute();
  const idOf = new Map(ids.map((f) => [f.code, f.id]));
  const rows = facilities.length === 0 ? [] : await db
    .selectFrom("visit as v")
    .leftJoin("metric_record as r", (j) => j.onRef("r.facility_id", "=", "v.facility_id").onRef("r.ma_lk", "=", "v.ma_lk"))
    .select((eb) => [
      "v.facility_id as facilityId",
      "v.visit_type as visitType",
      eb.case().when("v.card_hash", "is not", null).then(1).else(0).end().as("insured"),
      eb.fn.countAll<number>().as("visits"),
      eb.fn.sum<number>(eb.case().when(sendingStateSql("r", q.asOf), "=", "sent").then(1).else(0).end()).as("sent"),
    ])
    .where("v.facility_id", "in", facilities.map((f) => idOf.get(f.facilityCode)!))
    .where("v.ended_at", ">=", startOfLocalDay(q.period.from))
    .where("v.ended_at", "<", startOfLocalDay(q.period.toExclusive))
    .groupBy(["v.facility_id", "v.visit_type", "insured"])
    .execute();
  const out: R2Content["facilities"] = [];
  for (const f of facilities) {
    const id = idOf.get(f.facilityCode)!;
    const counts = new Map<string, R2Counts>();
    for (const row of rows.filter((x) => x.facilityId === id)) {
      const key = groupOf.get(row.visitType) ?? OTHER_GROUP.key;
      const c = counts.get(key) ?? { insuredVisits: 0, insuredSent: 0, uninsuredVisits: 0, uninsuredSent: 0 };
      if (Number(row.insured) === 1) {
        c.insuredVisits += Number(row.visits);
        c.insuredSent += Number(row.sent);
      } else {
        c.uninsuredVisits += Number(row.visits);
        c.uninsuredSent += Number(row.sent);
      }
      counts.set(key, c);
    }
    const zero = { insuredVisits: 0, insuredSent: 0, uninsuredVisits: 0, uninsuredSent: 0 };
    const groupRows = VISIT_TYPE_GROUPS.map((g) => ({ key: g.key as string, label: g.label as string, ...(counts.get(g.key) ?? zero) }));
    if (counts.has(OTHER_GROUP.key)) groupRows.push({ ...OTHER_GROUP, ...counts.get(OTHER_GROUP.key)! });
    out.push({ code: f.facilityCode, name: f.facilityName, rows: groupRows, total: sumCounts(groupRows) });
  }
  return { facilities: out, total: sumCounts(out.map((f) => f.total)) };
}

// ---- R4 -----------------------------------------------------------------------------

async function r4Content(db: DB, q: MetricsQuery): Promise<R4Content> {
  const [list, facilities] = await Promise.all([
    workList(db, q, { limit: Number.MAX_SAFE_INTEGER, offset: 0 }),
    db.selectFrom("facility").select(["code", "name"]).where("ward_id", "=", q.wardId).execute(),
  ]);
  const names = new Map(facilities.map((f) => [f.code, f.name]));
  const counts: Record<WorkItemKind, number> = { not_sent: 0, rejected: 0, overdue: 0 };
  for (const r of list.rows) counts[r.kind] += 1;
  return { rows: list.rows.map((r) => ({ ...r, facilityName: names.get(r.facilityCode) ?? "" })), counts };
}
