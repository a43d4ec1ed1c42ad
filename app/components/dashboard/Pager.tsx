import { Link, useSearchParams } from "@remix-run/react";
import { formatNumber } from "~/domain/format";

export const PAGE_SIZE = 50;

/** `?page=` as a page number from 1; anything else is the first page. */
export function pageOf(params: URLSearchParams): number {
  const n = Number(params.get("page"));
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** "Trang 2/5 · 230 hồ sơ" with links to the pages around, keeping the other parameters. */
export function Pager({ page, total, unit }: { page: number; total: number; unit: string }) {
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const hrefOf = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete("page");
    else next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <div className="dash-pager">
      <span data-testid="pager-summary">
        Trang {formatNumber(Math.min(page, pages))}/{formatNumber(pages)} · {formatNumber(total)} {unit}
      </span>
      {pages > 1 ? (
        <nav aria-label="Phân trang">
          {page > 1 ? <Link className="btn btn-secondary" to={hrefOf(page - 1)} rel="prev">← Trang trước</Link> : null}
          {page < pages ? <Link className="btn btn-secondary" to={hrefOf(page + 1)} rel="next">Trang sau →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
