import type { ReactNode } from "react";

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

/** A plain accessible table; numeric columns right-aligned with tabular figures. */
export function DataTable<Row>({ caption, columns, rows, rowKey, footer, captionHidden, cardsOnPhone, testId }: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  footer?: ReactNode[];
  captionHidden?: boolean;
  /** On a phone, show each row as a small card of "header: value" lines instead of scrolling sideways. */
  cardsOnPhone?: boolean;
  testId?: string;
}) {
  // A visible title sits above the scrolling frame, so a wide table on a phone does not
  // carry it off-screen; screen readers still get the caption.
  return (
    <>
      {captionHidden ? null : <h3 className="dash-table-title" aria-hidden="true">{caption}</h3>}
      <div className="dash-table-wrap">
        <table className={cardsOnPhone ? "dash-table dash-table--cards" : "dash-table"} data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? "num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)}>
              {columns.map((c, j) =>
                j === 0 ? (
                  <th key={c.header} scope="row" className={c.numeric ? "num" : undefined} data-label={c.header}>
                    {cardsOnPhone ? <div>{c.cell(row)}</div> : c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={c.numeric ? "num" : undefined} data-label={c.header}>
                    {cardsOnPhone ? <div>{c.cell(row)}</div> : c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {footer ? (
          <tfoot>
            <tr>
              {footer.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row">{cell}</th>
                ) : (
                  <td key={j} className={columns[j]?.numeric ? "num" : undefined}>{cell}</td>
                ),
              )}
            </tr>
          </tfoot>
        ) : null}
        </table>
      </div>
    </>
  );
}
