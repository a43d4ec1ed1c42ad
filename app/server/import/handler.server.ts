// The contract between the pipeline and the module of each source kind: validate one row,
// say which block / facility it belongs to, and write a batch of valid rows
// (classifying each as new, updated or unchanged against what is stored).
import type { Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import type { Issue, IssueList } from "./issues";
import type { BlockDirectory, FacilityRegistry } from "./references.server";
import type { RawRow } from "./row-reader";

export type Trx = Transaction<Database>;

export interface Counts {
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
}

/** What one file has done so far. */
export interface FileTally {
  counts: Counts;
  errors: IssueList;
  warnings: IssueList;
  batchId: number | null;
}

export interface Item<R> {
  row: R;
  line: number | null;
  file: FileTally;
}

export interface ValidateContext {
  blocks: BlockDirectory;
  /** 'xml1' | 'checkin' | 'csv' | 'api': where a visit came from. */
  visitSource: string;
  /** A block committee's own block: the block of its activities that name none. */
  ownBlockId: number | null;
}

export type Validated<R> = { row: R; warnings: Issue[] } | { row: null; errors: Issue[]; warnings: Issue[] };

/** Keys whose derived figures must be recomputed (app/server/metrics/derived.server.ts). */
export class DerivedKeys {
  readonly records = new Map<string, { facilityId: number; maLk: string }>();
  readonly residents = new Set<string>();

  record(facilityId: number, maLk: string) {
    this.records.set(`${facilityId}\u0000${maLk}`, { facilityId, maLk });
  }

  get size() {
    return this.records.size + this.residents.size;
  }

  clear() {
    this.records.clear();
    this.residents.clear();
  }
}

export interface WriteContext {
  trx: Trx;
  wardId: number;
  facilities: FacilityRegistry;
  derived: DerivedKeys;
  now: number;
  /** A block committee's own block: it may not move a resident recorded in another block. Null for the other senders. */
  ownBlock: { id: number; blocks: BlockDirectory } | null;
}

export interface KindHandler<R> {
  validate(raw: RawRow, line: number | null, ctx: ValidateContext): Validated<R>;
  /** The block (block committees) or facility (facility tokens) a row belongs to. */
  scope(row: R): { blockId?: number | null; facilityCode?: string };
  /**
   * Classifies the items against the stored rows (and the earlier items), counting each in
   * its file's tally, and returns the writes to run once every file has its batch id.
   */
  plan(ctx: WriteContext, items: Item<R>[]): Promise<() => Promise<void>>;
}

/** Groups items by facility code, for look-ups of one facility's records. */
export function byFacility<T extends { facilityCode: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.facilityCode);
    if (list) list.push(row);
    else groups.set(row.facilityCode, [row]);
  }
  return groups;
}

/** Rows per multi-row INSERT: few statements, well under SQLite's and PostgreSQL's parameter limits. */
export function chunked<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.min(500, Math.floor(30_000 / columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

export function countIn(file: FileTally, status: keyof Counts) {
  file.counts[status]++;
}
