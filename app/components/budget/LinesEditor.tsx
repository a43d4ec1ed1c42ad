// The health station's in-page editor of a draft estimate's lines: one row per line,
// amounts computed as typed (whole đồng, integer arithmetic), rows added and removed.
// It posts the lines as JSON; the server checks every one again.
import { useState } from "react";
import { BUDGET_CATEGORY_LABELS } from "~/domain/codes";
import { parseDong, parseQuantity } from "~/domain/budget";
import { formatMoney, formatNumber } from "~/domain/format";

export interface EditableLine {
  id: number | null;
  category: string;
  content: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  basis: string;
}

const CATEGORIES = Object.entries(BUDGET_CATEGORY_LABELS) as Array<[string, string]>;
const blank = (category = "thiet_bi"): EditableLine => ({ id: null, category, content: "", unit: "", quantity: "", unitPrice: "", basis: "" });

export function LinesEditor({ initial, busy }: { initial: EditableLine[]; busy: boolean }) {
  const [lines, setLines] = useState<EditableLine[]>(initial.length > 0 ? initial : [blank()]);
  const set = (i: number, patch: Partial<EditableLine>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const amounts = lines.map((l) => {
    const q = parseQuantity(l.quantity);
    const p = parseDong(l.unitPrice);
    return q !== null && p !== null && Number.isSafeInteger(q * p) ? q * p : null;
  });
  const total = amounts.every((a) => a !== null) ? amounts.reduce<number>((s, a) => s + a!, 0) : null;
  return (
    <>
      <input type="hidden" name="lines" value={JSON.stringify(lines)} />
      <div className="table-wrap">
        <table className="data budget-editor">
          <thead>
            <tr>
              <th>STT</th>
              <th>Nhóm chi</th>
              <th>Nội dung</th>
              <th>Đơn vị tính</th>
              <th className="num">Số lượng</th>
              <th className="num">Đơn giá (đồng)</th>
              <th className="num">Thành tiền</th>
              <th>Căn cứ / ghi chú</th>
              <th><span className="visually-hidden">Xóa</span></th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i} data-testid="edit-line">
                <td className="num">{i + 1}</td>
                <td>
                  <select aria-label={`Nhóm chi dòng ${i + 1}`} value={l.category} onChange={(e) => set(i, { category: e.target.value })}>
                    {CATEGORIES.map(([code, label]) => <option key={code} value={code}>{label}</option>)}
                  </select>
                </td>
                <td><input aria-label={`Nội dung dòng ${i + 1}`} value={l.content} onChange={(e) => set(i, { content: e.target.value })} /></td>
                <td><input aria-label={`Đơn vị tính dòng ${i + 1}`} size={6} value={l.unit} onChange={(e) => set(i, { unit: e.target.value })} /></td>
                <td><input aria-label={`Số lượng dòng ${i + 1}`} inputMode="numeric" size={5} className="num" value={l.quantity} onChange={(e) => set(i, { quantity: e.target.value })} /></td>
                <td><input aria-label={`Đơn giá dòng ${i + 1}`} inputMode="numeric" size={11} className="num" value={l.unitPrice} onChange={(e) => set(i, { unitPrice: e.target.value })} /></td>
                <td className="num nowrap">{amounts[i] === null ? <span className="muted">—</span> : formatNumber(amounts[i])}</td>
                <td><input aria-label={`Căn cứ dòng ${i + 1}`} value={l.basis} onChange={(e) => set(i, { basis: e.target.value })} /></td>
                <td>
                  <button type="button" className="btn btn-secondary" aria-label={`Xóa dòng ${i + 1}`} onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}>
                    Xóa
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={6}>Tổng cộng</th>
              <th className="num nowrap" data-testid="editor-total">{total === null ? "—" : formatMoney(total)}</th>
              <th colSpan={2} />
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="toolbar">
        <button type="button" className="btn btn-secondary" onClick={() => setLines((ls) => [...ls, blank(ls.at(-1)?.category)])}>Thêm dòng</button>
        <button type="submit" name="intent" value="save" className="btn" disabled={busy}>Lưu dự toán</button>
      </div>
    </>
  );
}
