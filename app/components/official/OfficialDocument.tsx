// The print page of an official document (Decree 30/2020/NĐ-CP; REPORTS.md): the same
// frame as the .xlsx (app/server/reports/official-document.server.ts) from the same texts
// (app/domain/official-document.ts). A4 portrait with the decree's margins through @page,
// page numbers in the footer, table headers repeated on each page: the browser's
// Print → Save as PDF gives this layout as it is.
import type { ReactNode } from "react";
import {
  dateLine, MOTTO_LINE, NATION_LINE, numberLine, RECIPIENTS_HEADING, recipientLines, signatureLines, unitLines,
  type OfficialFrame,
} from "~/domain/official-document";

export function OfficialDocument({ frame, children }: { frame: OfficialFrame; children: ReactNode }) {
  const [authority, unit] = unitLines(frame);
  return (
    <article className="official-doc" lang="vi">
      <header className="official-head">
        <div className="official-head-col">
          <div className="official-bold">{authority}</div>
          <div className="official-bold">{unit}</div>
          <hr className="official-rule" />
          <div>{numberLine(frame.number, frame.symbol)}</div>
        </div>
        <div className="official-head-col">
          <div className="official-bold">{NATION_LINE}</div>
          <div className="official-bold official-motto">{MOTTO_LINE}</div>
          <hr className="official-rule" />
          <div className="official-italic">{dateLine(frame.place, frame.day)}</div>
        </div>
      </header>
      <h1 className="official-title">{frame.title.toLocaleUpperCase("vi")}</h1>
      <p className="official-summary">{frame.summary}</p>
      {(frame.subtitle ?? []).map((line) => (
        <p key={line} className="official-subtitle">{line}</p>
      ))}
      <div className="official-body">{children}</div>
      <OfficialClosing frame={frame} />
    </article>
  );
}

function OfficialClosing({ frame }: { frame: OfficialFrame }) {
  return (
    <footer className="official-closing">
      <div className="official-recipients">
        <div className="official-bold official-italic">{RECIPIENTS_HEADING}</div>
        {recipientLines(frame.recipients, frame.archive).map((line) => (
          <div key={line}>{line}</div>
        ))}
      </div>
      <div className="official-signature">
        {signatureLines(frame.signature).map((line) => (
          <div key={line} className="official-bold">{line}</div>
        ))}
        <div className="official-sign-space" />
        <div className="official-bold">{frame.signature.name}</div>
      </div>
    </footer>
  );
}

/** Counts and rates as the .xlsx shows them (1.234 · 87,5 %); null as an empty cell. */
export function OfficialTable({ head, rows, numeric }: { head: ReactNode; rows: ReactNode; numeric?: boolean }) {
  return (
    <table className={numeric === false ? "official-table" : "official-table official-numeric"}>
      <thead>{head}</thead>
      <tbody>{rows}</tbody>
    </table>
  );
}
