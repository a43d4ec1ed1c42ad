// The records behind a figure as an Excel file: the same population as /records (and
// so as the dashboard's count), every row, real date cells and an autofilter. Facility,
// MA_LK and times only, never an identifier. Audited as an export.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { FIGURE_LABELS, SENDING_LABELS } from "~/domain/record-labels";
import { I3_STATUS_LABELS, METHOD_LABELS } from "~/domain/codes";
import { formatDateTime } from "~/domain/format";
import { periodLabel } from "~/domain/periods";
import { audit } from "~/server/audit.server";
import { figureRecords, listFacilities, type FigureRecord } from "~/server/dashboard/records.server";
import { readRecordsRequest } from "~/server/dashboard/records-request.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { listWorkbook, RECORD_KEY_COLUMNS } from "~/server/xlsx.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:records");
  const params = new URL(request.url).searchParams;
  const { figure, selection, facility, code, query: q } = readRecordsRequest(params, user.wardId);
  const db = await getDb();
  const [list, facilities] = await Promise.all([
    figureRecords(db, q, figure, { limit: Number.MAX_SAFE_INTEGER, offset: 0 }),
    listFacilities(db, user.wardId),
  ]);
  const names = new Map(facilities.map((f) => [f.code, f.name]));
  const status = (r: FigureRecord) =>
    figure.startsWith("i1.") ? (r.method ? METHOD_LABELS[r.method] : "") :
    figure.startsWith("i2.") ? (r.sending ? SENDING_LABELS[r.sending] : "") :
    r.display ? I3_STATUS_LABELS[r.display] : "";
  const narrowed = [facility ? `cơ sở ${facility}` : null, code ? `mã lỗi ${code}` : null].filter(Boolean);

  const bytes = await listWorkbook({
    sheet: "Hồ sơ",
    title: FIGURE_LABELS[figure].toUpperCase(),
    subtitle: `Kỳ: ${periodLabel(selection.period)} · số liệu tính đến ${formatDateTime(selection.asOf)}${narrowed.length ? ` · ${narrowed.join(" · ")}` : ""}`,
    columns: [
      ...RECORD_KEY_COLUMNS,
      { header: "Vào khám", width: 18, type: "time" },
      { header: "Kết thúc", width: 18, type: "time" },
      { header: "Cổng tiếp nhận", width: 18, type: "time" },
      { header: "Hiển thị VNeID", width: 18, type: "time" },
      { header: "Tình trạng", width: 22, type: "text" },
      { header: "Mã lỗi", width: 10, type: "text" },
      { header: "Từ chối lúc", width: 18, type: "time" },
      { header: "Thông điệp của Cổng", width: 40, type: "text" },
    ],
    rows: list.rows.map((r, i) => [
      i + 1, names.get(r.facilityCode) ?? "", r.facilityCode, r.maLk,
      { epoch: r.checkinAt }, { epoch: r.endedAt }, { epoch: r.receivedAt }, { epoch: r.displayedAt },
      status(r), r.lastResultCode ?? "", { epoch: r.rejectedAt }, r.rejectMessage ?? "",
    ]),
  });
  await audit(db, {
    action: "export", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "records.xlsx", detail: { figure, period: selection.period.key, facility, code, rows: list.rows.length },
  });
  return xlsxResponse(bytes, `ho-so-${figure.replace(/\./g, "-")}-${selection.period.key.replace("..", "_")}.xlsx`);
}
