// The work list as an Excel file for the health station to work through offline: the
// same records, filter and order as the page, every row (no paging), real date cells,
// an autofilter and the header repeated on each printed page. Audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readSelection, WORKLIST_DEFAULT_PERIOD } from "~/domain/selection";
import { WORK_KIND_LABELS } from "~/domain/work-kinds";
import { formatDateTime } from "~/domain/format";
import { periodLabel } from "~/domain/periods";
import { readWorkFilter } from "~/domain/worklist";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { listFacilities } from "~/server/dashboard/records.server";
import { workListView } from "~/server/dashboard/worklist-view.server";
import { listWorkbook, RECORD_KEY_COLUMNS } from "~/server/xlsx.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:worklist");
  const params = new URL(request.url).searchParams;
  const { period, asOf } = readSelection(params, Math.floor(Date.now() / 1000), WORKLIST_DEFAULT_PERIOD);
  const facility = params.get("facility") || null;
  const filter = readWorkFilter(params);
  const db = await getDb();
  const q = { wardId: user.wardId, period, asOf, ...(facility ? { facilityCode: facility } : {}) };
  const [view, facilities] = await Promise.all([workListView(db, q, filter), listFacilities(db, user.wardId)]);
  const names = new Map(facilities.map((f) => [f.code, f.name]));
  const narrowed = [
    facility ? `cơ sở ${facility}` : null,
    filter.kind ? WORK_KIND_LABELS[filter.kind].toLowerCase() : null,
    filter.search ? `mã liên kết chứa “${filter.search}”` : null,
  ].filter(Boolean);

  const bytes = await listWorkbook({
    sheet: "Hồ sơ cần xử lý",
    title: "DANH SÁCH HỒ SƠ CẦN XỬ LÝ",
    subtitle: `Kỳ: ${periodLabel(period)} · số liệu tính đến ${formatDateTime(asOf)}${narrowed.length ? ` · ${narrowed.join(" · ")}` : ""}`,
    columns: [
      ...RECORD_KEY_COLUMNS,
      { header: "Việc cần làm", width: 24, type: "text" },
      { header: "Mã lỗi", width: 10, type: "text" },
      { header: "Thông điệp của Cổng", width: 40, type: "text" },
      { header: "Kết thúc KCB", width: 18, type: "time" },
      { header: "Cổng tiếp nhận / từ chối", width: 18, type: "time" },
      { header: "Số giờ chờ", width: 12, type: "number", numFmt: "#,##0.0" },
    ],
    rows: view.rows.map((r, i) => [
      i + 1,
      names.get(r.facilityCode) ?? "",
      r.facilityCode,
      r.maLk,
      WORK_KIND_LABELS[r.kind],
      r.rejectCode ?? "",
      r.rejectMessage ?? "",
      { epoch: r.endedAt },
      { epoch: r.receivedAt },
      Math.round(r.hoursWaiting * 10) / 10,
    ]),
  });

  await audit(db, {
    action: "export", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "worklist.xlsx", detail: { period: period.key, facility, kind: filter.kind, q: filter.search || null, rows: view.rows.length },
  });
  return xlsxResponse(bytes, `ho-so-can-xu-ly-${period.key.replace("..", "_")}.xlsx`);
}
