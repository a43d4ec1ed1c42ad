// Import history: who imported which file when, its content hash, what it did, and the
// error report of each file that had invalid rows or was refused.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PAGE_SIZE, Pager, pageOf } from "~/components/dashboard/Pager";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime, formatNumber } from "~/domain/format";
import { getDb } from "~/server/db.server";
import { requirePermission } from "~/server/guard.server";
import { listImportBatches } from "~/server/import/history.server";
import { CHANNEL_LABELS, FILE_STATUS_LABELS, KIND_LABELS, type SourceKind } from "~/server/import/kinds";
import dashboardCss from "~/styles/dashboard.css?url";

export const meta: MetaFunction = () => pageTitle("Lịch sử nhập dữ liệu");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:imports");
  const page = pageOf(new URL(request.url).searchParams);
  const { batches, total } = await listImportBatches(await getDb(), user, page, PAGE_SIZE);
  return {
    page,
    total,
    batches: batches.map((b) => ({
      ...b,
      at: formatDateTime(b.at),
      channel: CHANNEL_LABELS[b.channel] ?? b.channel,
      kind: b.kind ? KIND_LABELS[b.kind as SourceKind] ?? b.kind : "—",
      status: FILE_STATUS_LABELS[b.status] ?? b.status,
      refused: b.status === "refused" || b.status === "duplicate",
    })),
  };
}

export default function ImportHistory() {
  const { batches, page, total } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Lịch sử nhập dữ liệu">
        <Link to="/import" className="btn">Nhập dữ liệu</Link>
      </PageHeader>
      <p className="muted">Mỗi tệp đã nhập hoặc bị từ chối, mới nhất trước.</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Thời gian</th>
              <th>Người nhập</th>
              <th>Tệp</th>
              <th>Loại dữ liệu</th>
              <th className="num">Mới</th>
              <th className="num">Cập nhật</th>
              <th className="num">Không đổi</th>
              <th className="num">Dòng lỗi</th>
              <th>Kết quả</th>
              <th>Báo cáo lỗi</th>
            </tr>
          </thead>
          <tbody>
            {batches.length === 0 && (
              <tr><td colSpan={10} className="muted">Chưa có tệp nào được nhập.</td></tr>
            )}
            {batches.map((b) => (
              <tr key={b.id}>
                <td className="nowrap">{b.at}</td>
                <td>{b.who}<div className="muted">{b.channel}</div></td>
                <td className="wrap-anywhere">
                  {b.fileName}
                  {b.contentHash && <div className="muted mono" title={`SHA-256 ${b.contentHash}`}>#{b.contentHash.slice(0, 12)}</div>}
                </td>
                <td>{b.kind}</td>
                <td className="num">{formatNumber(b.counts.new)}</td>
                <td className="num">{formatNumber(b.counts.updated)}</td>
                <td className="num">{formatNumber(b.counts.unchanged)}</td>
                <td className="num">{formatNumber(b.counts.invalid)}</td>
                <td>{b.refused ? <span className="badge badge-off">{b.status}</span> : <span className="badge badge-ok">{b.status}</span>}</td>
                <td>
                  {b.issues > 0 ? <a href={`/imports/${b.id}/errors`} download>Tải .csv ({formatNumber(b.issues)})</a> : <span className="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} total={total} unit="tệp" />
    </>
  );
}
