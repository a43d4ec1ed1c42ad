// Small pieces every page uses: its title, its heading, an honest empty state.
import type { ReactNode } from "react";

export const APP_NAME = "SSKĐT — Theo dõi thí điểm Sổ sức khỏe điện tử";

/** The document title of a page: "Kinh phí · SSKĐT". */
export const pageTitle = (title: string) => [{ title: `${title} · SSKĐT` }];

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

export const NOT_YET = "Chức năng này sẽ có trong phiên bản sau";

export function EmptyState({ children = NOT_YET }: { children?: ReactNode }) {
  return <div className="empty-state">{children}</div>;
}

/** A section whose page is not built yet. */
export function ComingLater({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState />
    </>
  );
}
