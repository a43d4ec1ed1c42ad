import type { ReactNode } from "react";
import { DataTable, type Column } from "./DataTable";
import { Pager } from "./Pager";
import { EmptyState } from "./Panel";

/** One page of a long list of records, with its pager, or a sentence when there is none. */
export function PagedTable<Row>({ caption, columns, rows, rowKey, total, page, empty, testId }: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  total: number;
  page: number;
  empty: ReactNode;
  testId: string;
}) {
  return (
    <section className="dash-panel" aria-label={caption}>
      {total === 0 ? (
        <EmptyState>{empty}</EmptyState>
      ) : (
        <>
          <DataTable caption={caption} captionHidden cardsOnPhone columns={columns} rows={rows} rowKey={rowKey} testId={testId} />
          <Pager page={page} total={total} unit="hồ sơ" />
        </>
      )}
    </section>
  );
}
