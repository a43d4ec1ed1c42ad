// The upload page: drop files (XML, CSV, XLSX, JSON or .zip), watch them upload and get
// checked, see per file what would be new / updated / unchanged / invalid (each invalid
// row with its line and reason), then Confirm to write or Cancel to write nothing.
// Each role sees and may send only its own sources; the pipeline refuses the rest.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useRef, useState, type DragEvent } from "react";
import { PageHeader, pageTitle } from "~/components/page";
import { formatNumber } from "~/domain/format";
import { groupText, isPartial, type IssueGroup } from "~/domain/issue-groups";
import { can, IMPORT_PERMISSIONS } from "~/domain/permissions";
import { requirePermission } from "~/server/guard.server";
import { API_SOURCES, FILE_STATUS_LABELS, KIND_LABELS, KIND_PERMISSION, SOURCE_KINDS, type SourceKind } from "~/server/import/kinds";
import { formatBytes, importLimits } from "~/server/import/limits.server";
import type { ScreenResult, StreamLine } from "~/server/import/upload.server";
import styles from "~/styles/import.css?url";

export const meta: MetaFunction = () => pageTitle("Nhập dữ liệu");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const TEMPLATE_OF: Partial<Record<SourceKind, string>> = Object.fromEntries(Object.entries(API_SOURCES).map(([name, kind]) => [kind, name]));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, IMPORT_PERMISSIONS);
  return {
    kinds: SOURCE_KINDS.filter((k) => can(user.role, KIND_PERMISSION[k])).map((k) => ({ kind: k, label: KIND_LABELS[k], template: TEMPLATE_OF[k] ?? null })),
    maxFile: formatBytes(importLimits().maxFileBytes),
  };
}

type Phase = "choose" | "uploading" | "checking" | "preview" | "importing" | "done";

interface Progress {
  upload: number | null;
  done: number;
  total: number;
  name: string;
}

/** Posts with XMLHttpRequest (for upload progress) and reads the NDJSON answer as it streams. */
function post(url: string, body: FormData | null, onUpload: (fraction: number) => void, onLine: (line: StreamLine | { type: "cancelled" }) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let read = 0;
    const drain = (final: boolean) => {
      const text = xhr.responseText;
      for (;;) {
        const end = text.indexOf("\n", read);
        if (end < 0 && !(final && read < text.length)) return;
        const line = text.slice(read, end < 0 ? text.length : end).trim();
        if (line) onLine(JSON.parse(line));
        read = end < 0 ? text.length : end + 1;
      }
    };
    xhr.open("POST", url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onUpload(e.loaded / e.total);
    xhr.onprogress = () => {
      try {
        drain(false);
      } catch {
        // not NDJSON (a sign-in page, an error page): told apart when the answer is complete
      }
    };
    xhr.onload = () => {
      if (xhr.responseURL.includes("/login")) return reject(new Error("Phiên đăng nhập đã hết. Hãy đăng nhập lại rồi tải tệp lên lại."));
      if (xhr.status === 403) return reject(new Error("Bạn không có quyền nhập dữ liệu."));
      try {
        drain(true);
        resolve();
      } catch {
        reject(new Error(`Máy chủ trả lời không đúng (mã ${xhr.status}).`));
      }
    };
    xhr.onerror = () => reject(new Error("Mất kết nối tới máy chủ. Hãy thử lại."));
    xhr.send(body);
  });
}

export default function ImportPage() {
  const { kinds, maxFile } = useLoaderData<typeof loader>();
  const [files, setFiles] = useState<File[]>([]);
  const [phase, setPhase] = useState<Phase>("choose");
  const [progress, setProgress] = useState<Progress>({ upload: null, done: 0, total: 0, name: "" });
  const [result, setResult] = useState<ScreenResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const addFiles = (list: FileList | null) => {
    // Copied now: the input's FileList empties when the input is reset for the next choice.
    const chosen = Array.from(list ?? []);
    setFiles((current) => [...current, ...chosen.filter((f) => !current.some((c) => c.name === f.name && c.size === f.size))]);
    setError(null);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  };

  const run = async (url: string, body: FormData | null, running: Phase) => {
    setError(null);
    setPhase(running);
    setProgress({ upload: body ? 0 : null, done: 0, total: 0, name: "" });
    const answer: { result?: ScreenResult; error?: string } = {};
    try {
      await post(url, body, (upload) => {
        setProgress((p) => ({ ...p, upload }));
        if (upload >= 1) setPhase(running === "uploading" ? "checking" : running);
      }, (line) => {
        if (line.type === "progress") {
          setPhase(running === "uploading" ? "checking" : running);
          setProgress((p) => ({ ...p, upload: p.upload === null ? null : 1, done: line.done, total: line.total, name: line.name }));
        } else if (line.type === "result") answer.result = line;
        else if (line.type === "error") answer.error = line.message;
      });
      if (answer.error || !answer.result) throw new Error(answer.error ?? "Máy chủ không trả kết quả.");
      setResult(answer.result);
      setPhase(running === "importing" ? "done" : "preview");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPhase(running === "importing" ? "preview" : "choose");
    }
  };

  const check = () => {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    void run("/import/upload?intent=preview", form, "uploading");
  };
  const confirm = () => result?.previewId && void run(`/import/upload?intent=confirm&preview=${result.previewId}`, null, "importing");
  // Cancel drops the preview, or what is left of it: its error reports, which hold IDs in clear.
  const cancel = async () => {
    const kept = result?.previewId ?? result?.reportsOf;
    if (kept) await post(`/import/upload?intent=cancel&preview=${kept}`, null, () => {}, () => {}).catch(() => {});
    startOver();
  };
  const startOver = () => {
    setFiles([]);
    setResult(null);
    setError(null);
    setPhase("choose");
  };

  const busy = phase === "uploading" || phase === "checking" || phase === "importing";
  const writable = result ? result.totals.new + result.totals.updated > 0 : false;

  return (
    <>
      <PageHeader title="Nhập dữ liệu">
        <Link to="/imports">Lịch sử nhập</Link>
      </PageHeader>

      <section className="card import-kinds">
        <h2>Loại dữ liệu bạn được nhập</h2>
        <ul>
          {kinds.map((k) => (
            <li key={k.kind}>
              {k.label}
              {k.template && <> · <a href={`/import-templates/${k.template}`} download>Tải mẫu Excel</a></>}
            </li>
          ))}
        </ul>
        <p className="muted">
          Loại tệp được nhận biết theo nội dung, không theo tên. Nhận XML (hồ sơ gửi Cổng giám định, tệp check-in), CSV (UTF-8, dấu phẩy
          hoặc chấm phẩy), XLSX (trang đầu, tiêu đề ở dòng 1), JSON và tệp nén .zip. Mỗi tệp tối đa {maxFile}. Nhập lại cùng tệp không tạo dữ liệu trùng.
        </p>
      </section>

      {error && <p className="notice notice-error" role="alert">{error}</p>}

      {phase === "choose" && (
        <>
          <div
            className={`dropzone${dragging ? " dropzone-active" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <p>Kéo thả tệp vào đây, hoặc</p>
            <button type="button" className="btn btn-secondary" onClick={() => input.current?.click()}>Chọn tệp…</button>
            <input ref={input} type="file" multiple hidden accept=".xml,.csv,.txt,.xlsx,.json,.zip" onChange={(e) => {
              addFiles(e.target.files);
              e.target.value = "";
            }} />
          </div>
          {files.length > 0 && (
            <>
              <ul className="file-list">
                {files.map((f, i) => (
                  <li key={`${f.name}-${i}`}>
                    <span className="wrap-anywhere">{f.name}</span> <span className="muted">({formatSize(f.size)})</span>{" "}
                    <button type="button" className="btn btn-secondary" onClick={() => setFiles(files.filter((_, j) => j !== i))} aria-label={`Bỏ ${f.name}`}>Bỏ</button>
                  </li>
                ))}
              </ul>
              <button type="button" className="btn" onClick={check}>Tải lên và kiểm tra ({files.length} tệp)</button>
            </>
          )}
        </>
      )}

      {busy && (
        <section className="card" aria-live="polite">
          {progress.upload !== null && (
            <label className="bar">
              <span>Tải lên: {Math.round(progress.upload * 100)} %</span>
              <progress max={1} value={progress.upload} />
            </label>
          )}
          {(phase === "checking" || phase === "importing") && (
            <label className="bar">
              <span>
                {phase === "importing" ? "Đang ghi" : "Đang kiểm tra"}: {formatNumber(progress.done)}
                {progress.total ? ` / ${formatNumber(progress.total)}` : ""} tệp {progress.name && <span className="muted wrap-anywhere">— {progress.name}</span>}
              </span>
              <progress max={progress.total || 1} value={progress.total ? progress.done : undefined} />
            </label>
          )}
        </section>
      )}

      {result && (phase === "preview" || phase === "done") && (
        <section>
          <h2>{result.dryRun ? "Kết quả kiểm tra (chưa ghi gì)" : "Đã nhập"}</h2>
          <p role="status">
            {formatNumber(result.totals.files)} tệp: {formatNumber(result.totals.new)} dòng mới, {formatNumber(result.totals.updated)} cập nhật,{" "}
            {formatNumber(result.totals.unchanged)} không đổi, {formatNumber(result.totals.invalid)} dòng lỗi
            {result.totals.refused > 0 && <>; <strong>{formatNumber(result.totals.refused)} tệp bị từ chối</strong></>}.
          </p>
          <OutcomeTable result={result} />
          {phase === "preview" && (
            <div className="toolbar">
              <button type="button" className="btn" onClick={confirm} disabled={!writable}>Xác nhận nhập</button>
              <button type="button" className="btn btn-secondary" onClick={cancel}>Hủy (không ghi gì)</button>
              {!writable && <span className="muted">Không có dòng mới hay thay đổi để ghi.</span>}
            </div>
          )}
          {phase === "done" && (
            <div className="toolbar">
              <Link to="/imports" className="btn">Xem lịch sử nhập</Link>
              <button type="button" className="btn btn-secondary" onClick={startOver}>Nhập tệp khác</button>
              {result.reportsOf && <button type="button" className="btn btn-secondary" onClick={cancel}>Xóa tệp lỗi ngay</button>}
            </div>
          )}
        </section>
      )}
    </>
  );
}

function OutcomeTable({ result }: { result: ScreenResult }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th>Tệp</th>
            <th>Loại dữ liệu</th>
            <th>Kết quả</th>
            <th className="num">Mới</th>
            <th className="num">Cập nhật</th>
            <th className="num">Không đổi</th>
            <th className="num">Dòng lỗi</th>
          </tr>
        </thead>
        <tbody>
          {result.files.map((f, i) => {
            const refused = f.status === "refused" || f.status === "duplicate";
            const partial = !refused && isPartial(f.counts);
            const label = partial
              ? (f.status === "preview" ? "Sẽ nhập một phần" : "Nhập một phần")
              : f.status === "preview" ? (f.counts.new + f.counts.updated > 0 ? "Sẽ nhập" : "Không thay đổi") : FILE_STATUS_LABELS[f.status];
            return (
              <tr key={`${f.name}-${i}`} className={refused ? "refused" : undefined}>
                <td className="wrap-anywhere">
                  {f.name}
                  {(f.errors.length > 0 || f.warnings.length > 0) && <Issues file={f} />}
                  {f.errorReport && result.reportsOf && <ErrorReportLink preview={result.reportsOf} file={f.errorReport} />}
                </td>
                <td>{f.kind ? KIND_LABELS[f.kind] : "—"}</td>
                <td data-label="Kết quả"><span className={`badge ${refused ? "badge-off" : partial ? "badge-partial" : "badge-ok"}`} data-testid="file-badge">{label}</span></td>
                <td className="num">{formatNumber(f.counts.new)}</td>
                <td className="num">{formatNumber(f.counts.updated)}</td>
                <td className="num">{formatNumber(f.counts.unchanged)}</td>
                <td className="num">{formatNumber(f.counts.invalid)}</td>
              </tr>
            );
          })}
          {result.quietFiles > 0 && (
            <tr><td colSpan={7} className="muted">… và {formatNumber(result.quietFiles)} tệp khác không có lỗi hay cảnh báo.</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The file's rows in error, as sent, with a "Lỗi" column: fixed in place, then uploaded again. */
function ErrorReportLink({ preview, file }: { preview: string; file: string }) {
  return (
    <p className="error-report">
      <a href={`/import/report?preview=${encodeURIComponent(preview)}&file=${encodeURIComponent(file)}`} download data-testid="error-report">
        Tải tệp lỗi (.xlsx)
      </a>{" "}
      <span className="muted">— các dòng lỗi với đủ cột của tệp gốc và cột “Lỗi”: sửa ngay trong tệp rồi tải lên lại. Tệp chứa số định danh, chỉ tải được trong 1 giờ.</span>
    </p>
  );
}

function Issues({ file }: { file: ScreenResult["files"][number] }) {
  const refused = file.status === "refused" || file.status === "duplicate";
  const errors = file.errors.length + file.moreErrors;
  const warnings = file.warnings.length + file.moreWarnings;
  return (
    <details open={refused || file.errorGroups.length <= 5}>
      <summary>
        {errors > 0 && `${formatNumber(errors)} lỗi`}
        {errors > 0 && warnings > 0 && ", "}
        {warnings > 0 && `${formatNumber(warnings)} cảnh báo`}
      </summary>
      <IssueGroups title="Lỗi (dòng không được nhập)" groups={file.errorGroups} more={file.moreErrors} kind="error" />
      <IssueGroups title="Cảnh báo (dòng vẫn được nhập)" groups={file.warningGroups} more={file.moreWarnings} kind="warning" />
    </details>
  );
}

/** One line per reason: how many rows, which lines. */
function IssueGroups({ title, groups, more, kind }: { title: string; groups: IssueGroup[]; more: number; kind: "error" | "warning" }) {
  if (groups.length === 0 && more === 0) return null;
  return (
    <div className={`issue-groups issue-groups--${kind}`}>
      <p className="issue-groups-title">{title}</p>
      <ul data-testid={`issue-groups-${kind}`}>
        {groups.map((g) => <li key={g.reason}>{groupText(g)}</li>)}
        {more > 0 ? <li className="muted">… và {formatNumber(more)} {kind === "error" ? "lỗi khác: có đủ trong tệp lỗi (.xlsx)" : "cảnh báo khác"}.</li> : null}
      </ul>
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / 1024 / 1024, 1)} MB`;
}
