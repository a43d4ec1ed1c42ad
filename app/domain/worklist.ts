// The work list as the health station works from it: one kind at a time with the count
// of each, a search by MA_LK, a chosen order, and waiting times a person reads at a
// glance ("334 ngày 5 giờ"). Pure functions over the engine's rows.
import type { WorkItem, WorkItemKind } from "./metrics-types";
import { formatNumber } from "./format";

export const WORK_KINDS: readonly WorkItemKind[] = ["not_sent", "rejected", "overdue"];

export type WorkSort = "waiting" | "ended" | "facility" | "maLk";

export const WORK_SORT_LABELS: Record<WorkSort, string> = {
  waiting: "Chờ lâu nhất trước",
  ended: "Kết thúc khám mới nhất trước",
  facility: "Theo cơ sở KCB",
  maLk: "Theo mã liên kết",
};

export interface WorkFilter {
  kind: WorkItemKind | null;
  /** Part of a MA_LK, any case. */
  search: string;
  sort: WorkSort;
}

/** `?kind=`, `?q=` and `?sort=` read leniently: an unknown value is no filter / the default order. */
export function readWorkFilter(params: URLSearchParams): WorkFilter {
  const kind = params.get("kind");
  const sort = params.get("sort");
  return {
    kind: (WORK_KINDS as readonly string[]).includes(kind ?? "") ? (kind as WorkItemKind) : null,
    search: (params.get("q") ?? "").trim().slice(0, 64),
    sort: sort && sort in WORK_SORT_LABELS ? (sort as WorkSort) : "waiting",
  };
}

export function countByKind(items: readonly WorkItem[]): Record<WorkItemKind, number> {
  const counts: Record<WorkItemKind, number> = { not_sent: 0, rejected: 0, overdue: 0 };
  for (const item of items) counts[item.kind]++;
  return counts;
}

/** The rows a filter keeps, in its order; ties keep the engine's order (longest waiting first). */
export function applyWorkFilter(items: readonly WorkItem[], f: WorkFilter): WorkItem[] {
  const needle = f.search.toLowerCase();
  const kept = items.filter((i) => (!f.kind || i.kind === f.kind) && (!needle || i.maLk.toLowerCase().includes(needle)));
  const compare: Record<WorkSort, (a: WorkItem, b: WorkItem) => number> = {
    waiting: (a, b) => b.hoursWaiting - a.hoursWaiting,
    ended: (a, b) => (b.endedAt ?? -Infinity) - (a.endedAt ?? -Infinity),
    facility: (a, b) => a.facilityCode.localeCompare(b.facilityCode),
    maLk: (a, b) => a.maLk.localeCompare(b.maLk),
  };
  return kept.map((item, i) => ({ item, i })).sort((a, b) => compare[f.sort](a.item, b.item) || a.i - b.i).map((x) => x.item);
}

/** 8 016,4 hours → "334 ngày 0 giờ"; 5,5 → "5 giờ"; under an hour → "dưới 1 giờ". */
export function formatWaiting(hours: number): string {
  const whole = Math.floor(Math.max(0, hours));
  if (whole < 1) return "dưới 1 giờ";
  const days = Math.floor(whole / 24);
  const rest = whole % 24;
  return days === 0 ? `${rest} giờ` : `${formatNumber(days)} ngày ${rest} giờ`;
}
