import { HelpLink } from "../help-link";
import type { ReactNode } from "react";

export const NO_DATA = "Chưa có dữ liệu cho kỳ này";

export function Panel({ title, note, wide, actions, children, testId, help }: {
  title: string;
  note?: ReactNode;
  wide?: boolean;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** Its entry on the help page. */
  help?: string;
}) {
  return (
    <section className={wide ? "dash-panel dash-panel--wide" : "dash-panel"} data-testid={testId} aria-label={title}>
      <div className="dash-panel-head">
        <h2>{title}{help ? <HelpLink entry={help} label={title} /> : null}</h2>
        {actions}
      </div>
      {note ? <p className="dash-panel-note">{note}</p> : null}
      {children}
    </section>
  );
}

export function EmptyState({ children = NO_DATA }: { children?: ReactNode }) {
  return <div className="dash-empty">{children}</div>;
}

/** Numbers behind a chart, for screen readers and for anyone who wants the exact figures. */
export function ChartData({ children }: { children: ReactNode }) {
  return (
    <details className="dash-data">
      <summary>Xem số liệu</summary>
      {children}
    </details>
  );
}
