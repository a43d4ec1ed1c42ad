import { Link } from "@remix-run/react";
import { METHOD_LABELS } from "~/domain/codes";
import { formatHours, formatNumber, formatPercent } from "~/domain/format";
import type { I1Figures, I2Figures, MethodCode } from "~/domain/metrics-types";
import { DataTable } from "./DataTable";
import { rateOf } from "./figures";
import { EmptyState } from "./Panel";

type FigureHref = ((figure: string) => string) | null;

function Figure({ label, value, figure, href, testId }: {
  label: string;
  value: number;
  figure: string;
  href: FigureHref;
  testId: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{href ? <Link to={href(figure)}>{formatNumber(value)}</Link> : formatNumber(value)}</dd>
    </div>
  );
}

/** I1 by reception method, each with its share of the period's visits. */
export function I1Methods({ i1, figureHref }: { i1: I1Figures; figureHref: FigureHref }) {
  if (i1.total === 0) return <EmptyState />;
  const methods = Object.keys(METHOD_LABELS) as MethodCode[];
  return (
    <>
      <dl className="dash-figures">
        <Figure label="Tổng lượt KCB" value={i1.total} figure="i1.total" href={figureHref} testId="i1-total" />
        <Figure label="Bằng định danh" value={i1.identified} figure="i1.identified" href={figureHref} testId="i1-identified" />
        <div>
          <dt>Người bệnh (không trùng)</dt>
          <dd>{formatNumber(i1.distinctPatients)}</dd>
        </div>
      </dl>
      <DataTable
        caption="Lượt KCB theo phương thức tiếp nhận"
        columns={[
          { header: "Phương thức", cell: (m: MethodCode) => METHOD_LABELS[m] },
          {
            header: "Lượt KCB", numeric: true,
            cell: (m) => (figureHref ? <Link to={figureHref(`i1.method.${m}`)}>{formatNumber(i1.byMethod[m])}</Link> : formatNumber(i1.byMethod[m])),
          },
          { header: "Tỷ trọng", numeric: true, cell: (m) => formatPercent(rateOf(i1.byMethod[m], i1.total)) },
        ]}
        rows={methods}
        rowKey={(m) => m}
        testId="i1-methods"
      />
    </>
  );
}

/** I2: sent / rejected / not yet sent, how fast, and the gateway's reasons for refusing. */
export function I2Sending({ i2, figureHref, meanings = {} }: { i2: I2Figures; figureHref: FigureHref; meanings?: Record<string, string | null> }) {
  const codeHref = figureHref ? (code: string) => `${figureHref("i2.rejected")}&${new URLSearchParams({ code })}` : null;
  if (i2.ended === 0) return <EmptyState />;
  return (
    <>
      <dl className="dash-figures">
        <Figure label="Hồ sơ đã kết thúc" value={i2.ended} figure="i2.ended" href={figureHref} testId="i2-ended" />
        <Figure label="Đã liên thông" value={i2.sent} figure="i2.sent" href={figureHref} testId="i2-sent" />
        <Figure label="Bị từ chối" value={i2.rejected} figure="i2.rejected" href={figureHref} testId="i2-rejected" />
        <Figure label="Chưa gửi" value={i2.notSent} figure="i2.notSent" href={figureHref} testId="i2-notSent" />
        <div>
          <dt>Trung vị thời gian gửi</dt>
          <dd>{formatHours(i2.hoursToSend.median)}</dd>
        </div>
        <div>
          <dt>90 % hồ sơ gửi trong</dt>
          <dd>{formatHours(i2.hoursToSend.p90)}</dd>
        </div>
      </dl>
      {i2.rejectCodes.length > 0 ? (
        <DataTable
          caption="Mã lỗi của Cổng (hồ sơ bị từ chối, chưa được chấp nhận)"
          columns={[
            { header: "Mã lỗi", cell: (r: I2Figures["rejectCodes"][number]) => <code>{r.code}</code> },
            { header: "Ý nghĩa (thông điệp của Cổng)", cell: (r) => meanings[r.code] ?? "Cổng không gửi kèm thông điệp" },
            {
              header: "Số hồ sơ", numeric: true,
              cell: (r) => (codeHref ? <Link to={codeHref(r.code)} data-testid="reject-code-link">{formatNumber(r.count)}</Link> : formatNumber(r.count)),
            },
          ]}
          rows={i2.rejectCodes}
          rowKey={(r) => r.code}
          cardsOnPhone
          testId="i2-reject-codes"
        />
      ) : null}
    </>
  );
}
