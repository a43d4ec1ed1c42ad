// Import history, one row per upload (a .zip of 522 files is one row), newest first:
// who sent what when, through which channel, what it did in total, opening onto its
// files with each one's hash, counts, result and error report.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PAGE_SIZE, Pager, pageOf } from "~/components/dashboard/Pager";
import { PageHeader, pageTitle } from "~/components/page";
import { formatDateTime, formatNumber } from "~/domain/format";
import { isPartial } from "~/domain/issue-groups";
import { can, IMPORT_PERMISSIONS } from "~/domain/permissions";
import { getDb } from "~/server/db.server";
import { requirePermission } from "~/server/guard.server";
import { listImportUploads, type BatchView } from "~/server/import/history.server";
import { CHANNEL_LABELS, FILE_STATUS_LABELS, KIND_LABELS, type SourceKind } from "~/server/import/kinds";
import dashboardCss from "~/styles/dashboard.css?url";

export const meta: MetaFunction = () => pageTitle("Lịch sử nhập dữ liệu");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

type Tone = "ok" | "partial" | "off";

function fileResult(b: BatchView): { label: string; tone: Tone } {
  if (b.status === "refused" || b.status === "duplicate") return { label: FILE_STATUS_LABELS[b.status] ?? b.status, tone: "off" };
  if (isPartial(b.counts)) return { label: "Nhập một phần", tone: "partial" };
  return { label: FILE_STATUS_LABELS[b.status] ?? b.status, tone: "ok" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:imports");
  const page = pageOf(new URL(request.url).searchParams);
  const { uploads, total } = await listImportUploads(await getDb(), user, page, PAGE_SIZE);
  return {
    page,
    total,
    // The button to import only for a role that may import something (never a way to a 403).
    mayImport: IMPORT_PERMISSIONS.some((p) => can(user.role, p)),
    uploads: uploads.map((u) => {
      const results = u.files.map(fileResult);
      const tone: Tone = results.every((r) => r.tone === "off") ? "off" : results.some((r) => r.tone !== "ok") ? "partial" : "ok";
      return {
        key: u.key,
        at: formatDateTime(u.at),
        who: u.who,
        channel: CHANNEL_LABELS[u.channel] ?? u.channel,
        counts: u.counts,
        refused: u.refused,
        tone,
        label: tone === "off" ? "Bị từ chối" : tone === "partial" ? "Nhập một phần" : "Đã nhập",
        kinds: [...new Set(u.files.map((f) => (f.kind ? KIND_LABELS[f.kind as SourceKind] ?? f.kind : null)).filter(Boolean))].join(", ") || "—",
        title: u.files.length === 1 ? u.files[0].fileName : `${u.files[0]?.fileName ?? ""} và ${formatNumber(u.files.length - 1)} tệp khác`,
        files: u.files.map((b, i) => ({ ...b, result: results[i], kind: b.kind ? KIND_LABELS[b.kind as SourceKind] ?? b.kind : "—" })),
      };
    }),
  };
}

const BADGE: Record<Tone, string> = { ok: "badge badge-ok", partial: "badge badge-partial", off: "badge badge-off" };

export default function ImportHistory() {
  const { uploads, page, total, mayImport } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Lịch sử nhập dữ liệu">
        {mayImport ? <Link to="/import" className="btn">Nhập dữ liệu</Link> : null}
      </PageHeader>
      <p className="muted">Mỗi lần tải lên một dòng, mới nhất trước. Bấm vào một dòng để xem từng tệp và tải báo cáo lỗi.</p>
      {uploads.length === 0 ? <p className="muted">Chưa có tệp nào được nhập.</p> : null}
      <ul className="upload-list" data-testid="upload-list">
        {uploads.map((u) => (
          <li key={u.key} className="upload" data-testid="upload">
            <details>
              <summary>
                <span className="upload-when">{u.at}</span>
                <span className="upload-who">{u.who} <span className="muted">· {u.channel}</span></span>
                <span className="upload-what wrap-anywhere">{u.title}<span className="muted"> · {u.kinds}</span></span>
                <span className="upload-counts">
                  {formatNumber(u.counts.new)} mới · {formatNumber(u.counts.updated)} cập nhật · {formatNumber(u.counts.unchanged)} không đổi ·{" "}
                  {formatNumber(u.counts.invalid)} dòng lỗi{u.refused ? ` · ${formatNumber(u.refused)} tệp bị từ chối` : ""}
                </span>
                <span className={BADGE[u.tone]} data-testid="upload-badge">{u.label}</span>
              </summary>
              <div className="table-wrap">
                <table className="data" data-testid="upload-files">
                  <thead>
                    <tr>
                      <th>Tệp</th><th>Loại dữ liệu</th><th className="num">Mới</th><th className="num">Cập nhật</th>
                      <th className="num">Không đổi</th><th className="num">Dòng lỗi</th><th>Kết quả</th><th>Báo cáo lỗi</th>
                    </tr>
                  </thead>
                  <tbody>
                    {u.files.map((b) => (
                      <tr key={b.id}>
                        <td className="wrap-anywhere">
                          {b.fileName}
                          {b.contentHash && <div className="muted mono" title={`SHA-256 ${b.contentHash}`}>#{b.contentHash.slice(0, 12)}</div>}
                        </td>
                        <td>{b.kind}</td>
                        <td className="num">{formatNumber(b.counts.new)}</td>
                        <td className="num">{formatNumber(b.counts.updated)}</td>
                        <td className="num">{formatNumber(b.counts.unchanged)}</td>
                        <td className="num">{formatNumber(b.counts.invalid)}</td>
                        <td><span className={BADGE[b.result.tone]}>{b.result.label}</span></td>
                        <td>
                          {b.issues > 0 ? <a href={`/imports/${b.id}/errors`} download>Tải .xlsx ({formatNumber(b.issues)})</a> : <span className="muted">—</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </li>
        ))}
      </ul>
      <Pager page={page} total={total} unit="lần tải lên" />
    </>
  );
}
