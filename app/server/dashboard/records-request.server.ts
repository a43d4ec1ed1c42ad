// What a records page or its .xlsx is asked for: the figure, period and as-of time, the
// facility and, for refused records, a result code. A figure without a list is a 400.
import { isRecordFigure, type RecordFigure } from "~/domain/record-labels";
import { readSelection, type Selection } from "~/domain/selection";
import type { RecordQuery } from "./records.server";

export interface RecordsRequest {
  figure: RecordFigure;
  selection: Selection;
  facility: string | null;
  code: string | null;
  query: RecordQuery;
}

export function readRecordsRequest(params: URLSearchParams, wardId: number): RecordsRequest {
  const selection = readSelection(params, Math.floor(Date.now() / 1000));
  const figure = params.get("figure") ?? "";
  if (!isRecordFigure(figure)) throw new Response(`Chỉ số không có danh sách hồ sơ: "${figure}"`, { status: 400 });
  const facility = params.get("facility") || null;
  // A rejection code from the dashboard's table narrows the refused records to it.
  const code = figure === "i2.rejected" ? params.get("code") || null : null;
  const query = { wardId, period: selection.period, asOf: selection.asOf, facilityCode: facility, resultCode: code };
  return { figure, selection, facility, code, query };
}
