// The body of R1, R2 and R4 on the print page: the same sections, rows and figures as
// the .xlsx (app/server/reports/xlsx.server.ts), drawn from the same content object.
import { OfficialTable } from "~/components/official/OfficialDocument";
import { WORK_KIND_LABELS } from "~/domain/work-kinds";
import { formatDateTime, formatDay, formatMoney, formatNumber, formatPercent } from "~/domain/format";
import { TARGET_INDICATORS } from "~/domain/metrics-types";
import {
  TARGET_MARK_LABELS, visitGroups, type OnboardingRowFigures, type R1Content, type R2Content, type R2Counts, type R4Content, type ReportContent,
  type TargetMark,
} from "~/domain/report-content";

const n = (x: number | null) => (x === null ? "" : formatNumber(x));
const pct = (x: number | null) => (x === null ? "" : formatPercent(x));
const threshold = (m: TargetMark) => (m.threshold === null ? "" : m.kind === "count" ? n(m.threshold) : pct(m.threshold));
const STATUS = { met: "Đạt", not_met: "Chưa đạt", no_data: "Chưa có số liệu" } as const;

export function ReportBody({ content }: { content: ReportContent }) {
  return (
    <>
      {content.r1 ? <R1Body content={content} r={content.r1} /> : null}
      {content.r2 ? <R2Body r={content.r2} /> : null}
      {content.r4 ? <R4Body r={content.r4} /> : null}
      <Texts content={content} first={content.kind === "R1" ? 4 : content.kind === "R2" ? r2Sections(content.r2!) : 1} />
    </>
  );
}

const r2Sections = (r: R2Content) => r.facilities.length + (r.facilities.length > 1 ? 2 : 1);

function Texts({ content, first }: { content: ReportContent; first: number }) {
  return (
    <>
      <h2>{first}. Khó khăn, vướng mắc</h2>
      <p>{content.difficulties || "(Không có)"}</p>
      <h2>{first + 1}. Đề xuất, kiến nghị</h2>
      <p>{content.proposals || "(Không có)"}</p>
    </>
  );
}

function CountTable({ header, countHeader, items, totals }: { header: string; countHeader: string; items: Array<{ label: string; count: number }>; totals: Array<[string, number]> }) {
  return (
    <OfficialTable
      head={<tr><th>STT</th><th>{header}</th><th>{countHeader}</th></tr>}
      rows={<>
        {items.map((t, i) => <tr key={t.label}><td className="center">{i + 1}</td><td>{t.label}</td><td className="num">{n(t.count)}</td></tr>)}
        {totals.map(([label, v]) => <tr key={label} className="total"><td /><td>{label}</td><td className="num">{n(v)}</td></tr>)}
      </>}
    />
  );
}

function R1Body({ content, r }: { content: ReportContent; r: R1Content }) {
  const groups = visitGroups(content, r);
  return (
    <>
      <h2>1. Công tác chỉ đạo, tuyên truyền</h2>
      <CountTable header="Hoạt động tuyên truyền, tập huấn" countHeader="Số lượng" items={r.i5.byType}
        totals={[["Tổng số hoạt động", r.i5.total], ["Lượt người được tiếp cận", r.i5.reach]]} />
      <CountTable header="Đơn vị thực hiện" countHeader="Số hoạt động" items={r.i5.byUnit} totals={[["Cộng", r.i5.total]]} />

      <h2>2. Kết quả thực hiện</h2>
      <h2>2.1. Tiếp nhận khám bệnh, chữa bệnh bằng định danh, liên thông dữ liệu và hiển thị trên VNeID</h2>
      <OfficialTable
        head={<tr><th>STT</th><th>Cơ sở KCB / chỉ số</th><th>Tổng số</th><th>Kết quả</th><th>Tỷ lệ</th><th>Chỉ tiêu</th><th>Đánh giá</th></tr>}
        rows={groups.map((g, gi) => (
          <FacilityRows key={g.title} stt={gi + 1} title={g.title} rows={g.rows} />
        ))}
      />

      <h2>2.2. Hỗ trợ người dân cài đặt VNeID, định danh mức 2, tích hợp thẻ BHYT (lũy kế đến ngày {formatDay(r.metrics.i4.asOf)})</h2>
      <OfficialTable
        head={<tr><th>STT</th><th>Khối</th><th>Dân số đủ điều kiện</th><th>Cài đặt VNeID</th><th>Định danh mức 2</th><th>Tích hợp thẻ BHYT</th><th>Hoàn thành 3 bước</th><th>Tỷ lệ hoàn thành</th><th>Hoàn thành mới trong kỳ</th><th>Chỉ tiêu</th><th>Đánh giá</th></tr>}
        rows={<>
          {r.blocks.map((b, i) => <OnboardingRow key={b.label} stt={String(i + 1)} b={b} />)}
          <OnboardingRow stt="" b={r.wardOnboarding} total />
        </>}
      />

      <h2>2.3. Đánh giá các chỉ tiêu của kỳ</h2>
      <OfficialTable
        head={<tr><th>STT</th><th>Chỉ tiêu</th><th>Phạm vi</th><th>Mức chỉ tiêu</th><th>Kết quả</th><th>Đánh giá</th></tr>}
        rows={r.targets.length ? r.targets.map((t, i) => {
          const f = t.kind === "count" ? n : pct;
          return (
            <tr key={t.targetId}>
              <td className="center">{i + 1}</td><td>{TARGET_INDICATORS[t.indicator as keyof typeof TARGET_INDICATORS]?.label ?? t.label}</td>
              <td>{t.block ?? "Toàn phường"}</td><td className="num">{f(t.threshold)}</td><td className="num">{f(t.value)}</td><td className="center">{STATUS[t.status]}</td>
            </tr>
          );
        }) : <tr><td /><td colSpan={5}>Không có chỉ tiêu nào áp dụng cho kỳ này.</td></tr>}
      />

      <h2>3. Kinh phí thực hiện năm {r.i6.year} (lũy kế từ {formatDay(r.i6Period.from)} đến {formatDay(r.i6Period.to)})</h2>
      <OfficialTable
        head={<tr><th>STT</th><th>Nội dung</th><th>Giá trị</th></tr>}
        rows={([
          ["Dự toán", formatMoney(r.i6.estimated)],
          ["Được phê duyệt", formatMoney(r.i6.approved)],
          ["Đã chi", formatMoney(r.i6.spent)],
          ["Tỷ lệ giải ngân", pct(r.i6.executionRate)],
          ["Chi phí cho một người hoàn thành 3 bước", r.i6.costPerFullyOnboarded === null ? "" : formatMoney(Math.round(r.i6.costPerFullyOnboarded))],
          ["Chi phí cho một hồ sơ liên thông", r.i6.costPerRecordSent === null ? "" : formatMoney(Math.round(r.i6.costPerRecordSent))],
        ] as const).map(([label, v], i) => <tr key={label}><td className="center">{i + 1}</td><td>{label}</td><td className="num">{v}</td></tr>)}
      />
    </>
  );
}

function FacilityRows({ stt, title, rows }: { stt: number; title: string; rows: R1Content["ward"] }) {
  return (
    <>
      <tr className="total"><td className="center">{stt}</td><td colSpan={6}>{title}</td></tr>
      {rows.map((row) => (
        <tr key={row.indicator}>
          <td /><td>{row.label}</td><td className="num">{n(row.whole)}</td><td className="num">{n(row.part)}</td>
          <td className="num">{pct(row.rate)}</td><td className="num">{threshold(row.target)}</td><td className="center">{TARGET_MARK_LABELS[row.target.status]}</td>
        </tr>
      ))}
    </>
  );
}

function OnboardingRow({ stt, b, total }: { stt: string; b: OnboardingRowFigures; total?: boolean }) {
  return (
    <tr className={total ? "total" : undefined}>
      <td className="center">{stt}</td><td>{b.label}</td><td className="num">{n(b.eligible)}</td><td className="num">{n(b.vneidInstalled)}</td>
      <td className="num">{n(b.level2Activated)}</td><td className="num">{n(b.bhytLinked)}</td><td className="num">{n(b.fullyOnboarded)}</td>
      <td className="num">{pct(b.rate)}</td><td className="num">{n(b.newFullyOnboarded)}</td><td className="num">{threshold(b.target)}</td>
      <td className="center">{TARGET_MARK_LABELS[b.target.status]}</td>
    </tr>
  );
}

const R2_HEAD = (
  <>
    <tr><th rowSpan={2}>STT</th><th rowSpan={2}>Loại hình khám bệnh, chữa bệnh</th><th colSpan={2}>Có thẻ BHYT</th><th colSpan={2}>Không có thẻ BHYT</th><th colSpan={2}>Tổng số</th></tr>
    <tr><th>Số lượt KCB</th><th>Đã gửi lên Cổng</th><th>Số lượt KCB</th><th>Đã gửi lên Cổng</th><th>Số lượt KCB</th><th>Đã gửi lên Cổng</th></tr>
  </>
);

function R2Cells({ c }: { c: R2Counts }) {
  return (
    <>
      {[c.insuredVisits, c.insuredSent, c.uninsuredVisits, c.uninsuredSent, c.insuredVisits + c.uninsuredVisits, c.insuredSent + c.uninsuredSent].map((v, i) => (
        <td key={i} className="num">{n(v)}</td>
      ))}
    </>
  );
}

function R2Body({ r }: { r: R2Content }) {
  return (
    <>
      {r.facilities.map((f, fi) => (
        <section key={f.code}>
          <h2>{fi + 1}. {f.name} (mã cơ sở {f.code})</h2>
          <OfficialTable head={R2_HEAD} rows={<>
            {f.rows.map((row, i) => <tr key={row.key}><td className="center">{i + 1}</td><td>{row.label}</td><R2Cells c={row} /></tr>)}
            <tr className="total"><td /><td>Tổng cộng</td><R2Cells c={f.total} /></tr>
          </>} />
        </section>
      ))}
      {r.facilities.length > 1 ? (
        <>
          <h2>{r.facilities.length + 1}. Toàn phường</h2>
          <OfficialTable head={R2_HEAD} rows={<tr className="total"><td /><td>Tổng cộng</td><R2Cells c={r.total} /></tr>} />
        </>
      ) : null}
    </>
  );
}

function R4Body({ r }: { r: R4Content }) {
  return (
    <>
      <h2>Tổng số {formatNumber(r.rows.length)} hồ sơ: {formatNumber(r.counts.not_sent)} chưa gửi, {formatNumber(r.counts.rejected)} bị từ chối, {formatNumber(r.counts.overdue)} quá hạn hiển thị trên VNeID.</h2>
      <OfficialTable
        head={<tr><th>STT</th><th>Cơ sở KCB</th><th>Mã liên kết (MA_LK)</th><th>Việc cần làm</th><th>Mã lỗi</th><th>Nội dung lỗi</th><th>Kết thúc KCB</th><th>Cổng tiếp nhận</th><th>Số giờ chờ</th></tr>}
        rows={r.rows.map((row, i) => (
          <tr key={`${row.facilityCode}|${row.maLk}|${row.kind}`}>
            <td className="center">{i + 1}</td><td>{row.facilityName} ({row.facilityCode})</td><td>{row.maLk}</td><td>{WORK_KIND_LABELS[row.kind]}</td>
            <td className="center">{row.rejectCode ?? ""}</td><td>{row.rejectMessage ?? ""}</td>
            <td className="center">{row.endedAt === null ? "" : formatDateTime(row.endedAt)}</td>
            <td className="center">{row.receivedAt === null ? "" : formatDateTime(row.receivedAt)}</td>
            <td className="num">{formatNumber(Math.round(row.hoursWaiting * 10) / 10, 1)}</td>
          </tr>
        ))}
      />
    </>
  );
}
