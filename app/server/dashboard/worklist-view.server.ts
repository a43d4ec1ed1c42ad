// The work list as one screen and its .xlsx show it: the engine's rows (longest waiting
// first), counted per kind, then narrowed to the chosen kind and MA_LK search and put in
// the chosen order. The counts are of the whole list so each tab says what it holds.
import type { WorkItem, WorkItemKind } from "~/domain/metrics-types";
import { applyWorkFilter, countByKind, type WorkFilter } from "~/domain/worklist";
import type { DB } from "../db.server";
import { workList, type MetricsQuery } from "../metrics/engine.server";

export interface WorkListView {
  counts: Record<WorkItemKind, number>;
  all: number;
  rows: WorkItem[];
}

export async function workListView(db: DB, q: MetricsQuery, filter: WorkFilter): Promise<WorkListView> {
  const { rows } = await workList(db, q, { limit: Number.MAX_SAFE_INTEGER, offset: 0 });
  const searched = filter.search ? applyWorkFilter(rows, { ...filter, kind: null }) : rows;
  return { counts: countByKind(searched), all: searched.length, rows: applyWorkFilter(searched, filter) };
}
