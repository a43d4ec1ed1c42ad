// Danh mục (administrator): the ward's facilities (add, rename, merge a stray code into
// the right one, automatic registration), its blocks (rename, how many) and the eligible
// population per block from an effective date. Files of the facility list and of the
// population import on Nhập dữ liệu through the same pipeline as this page's forms.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader, pageTitle } from "~/components/page";
import { FACILITY_KIND_LABELS } from "~/domain/codes";
import { formatDay, formatNumber } from "~/domain/format";
import { audit } from "~/server/audit.server";
import {
  addFacility, CatalogError, listFacilities, listPopulation, mergeFacility, renameBlock, setBlockCount, updateFacility,
} from "~/server/catalog.server";
import { getDb } from "~/server/db.server";
import { enterRow } from "~/server/entry.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { getSetting, listBlocks, setSetting } from "~/server/ward.server";

export const meta: MetaFunction = () => pageTitle("Danh mục");

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin:catalog");
  const db = await getDb();
  const [facilities, blocks, population, autoRegister] = await Promise.all([
    listFacilities(db, admin.wardId),
    listBlocks(db, admin.wardId),
    listPopulation(db, admin.wardId),
    getSetting(db, admin.wardId, "facilityAutoRegister"),
  ]);
  return { facilities, blocks, population, autoRegister };
}

const field = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
const idField = (form: FormData, name: string) => {
  const n = Number(form.get(name));
  if (!Number.isInteger(n) || n <= 0) throw new CatalogError("Thiếu lựa chọn.");
  return n;
};

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:catalog");
  const db = await getDb();
  const form = await request.formData();
  const intent = field(form, "intent");
  const log = (target: string, detail: Record<string, unknown>) =>
    audit(db, { action: "update", wardId: admin.wardId, userId: admin.id, username: admin.username, target, detail, ip: clientIp(request) });
  try {
    switch (intent) {
      case "add-facility": {
        const code = field(form, "code").toUpperCase();
        await addFacility(db, admin.wardId, { code, name: field(form, "name"), kind: field(form, "kind") });
        await log("catalog:facility", { intent, code });
        return { ok: `Đã thêm cơ sở ${code}.` };
      }
      case "update-facility": {
        const id = idField(form, "facilityId");
        await updateFacility(db, admin.wardId, id, { name: field(form, "name"), kind: field(form, "kind") });
        await log("catalog:facility", { intent, id });
        return { ok: "Đã lưu tên và loại cơ sở." };
      }
      case "merge-facility": {
        const result = await mergeFacility(db, admin.wardId, idField(form, "fromId"), idField(form, "intoId"));
        await log("catalog:facility", { intent, ...result });
        return {
          ok: `Đã gộp ${result.from} vào ${result.into}: chuyển ${formatNumber(result.visits)} lượt KCB, ${formatNumber(result.receipts)} kết quả gửi, ${formatNumber(result.displays)} xác nhận hiển thị.`,
        };
      }
      case "auto-register": {
        const on = form.get("autoRegister") === "on";
        await setSetting(db, admin.wardId, "facilityAutoRegister", on);
        await log("settings:facilityAutoRegister", { on });
        return { ok: on ? "Đã bật tự động đăng ký mã cơ sở mới." : "Đã tắt tự động đăng ký: dòng có mã cơ sở ngoài danh mục sẽ bị từ chối." };
      }
      case "rename-block": {
        const id = idField(form, "blockId");
        await renameBlock(db, admin.wardId, id, field(form, "name"));
        await log("catalog:block", { intent, id });
        return { ok: "Đã đổi tên khối." };
      }
      case "block-count": {
        const count = Number(field(form, "count"));
        await setBlockCount(db, admin.wardId, count);
        await log("catalog:block", { intent, count });
        return { ok: `Phường có ${count} khối.` };
      }
      case "population": {
        const result = await enterRow(db, admin, "population", "Biểu mẫu dân số trong diện", {
          khoi: field(form, "block"), ngay_hieu_luc: field(form, "effectiveDate"), dan_so: field(form, "population"),
        }, clientIp(request));
        if (!result.ok) return data({ error: result.errors.join(" ") }, { status: 400 });
        return { ok: "Đã lưu dân số trong diện." };
      }
      default:
        return data({ error: "Yêu cầu không hợp lệ." }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof CatalogError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

const KINDS = Object.entries(FACILITY_KIND_LABELS);

export default function Catalog() {
  const { facilities, blocks, population, autoRegister } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const blockName = new Map(blocks.map((b) => [b.id, b.name]));
  return (
    <>
      <PageHeader title="Danh mục" />
      {result && "error" in result && <p className="notice notice-error" role="alert">{result.error}</p>}
      {result && "ok" in result && <p className="notice notice-ok" role="status">{result.ok}</p>}

      <h2>Cơ sở khám bệnh, chữa bệnh</h2>
      <p className="muted">
        Dữ liệu gửi lên chỉ được nhận cho các mã trong danh mục này. Có thể nhập cả danh sách bằng tệp (mẫu “Danh mục cơ sở KCB” ở{" "}
        <Link to="/import">Nhập dữ liệu</Link>).
      </p>
      <div className="table-wrap">
        <table className="data" data-testid="facility-list">
          <thead>
            <tr><th>Mã</th><th>Tên cơ sở và loại</th><th className="num">Lượt KCB</th><th className="num">Kết quả gửi</th><th className="num">Xác nhận</th></tr>
          </thead>
          <tbody>
            {facilities.map((f) => (
              <tr key={f.id}>
                <td className="nowrap">{f.code}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="update-facility" />
                    <input type="hidden" name="facilityId" value={f.id} />
                    <input name="name" defaultValue={f.name} aria-label={`Tên cơ sở ${f.code}`} required />
                    <select name="kind" defaultValue={f.kind} aria-label={`Loại cơ sở ${f.code}`}>
                      {KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
                    </select>
                    <button type="submit" className="btn-secondary" disabled={busy}>Lưu</button>
                  </Form>
                </td>
                <td className="num">{formatNumber(f.visits)}</td>
                <td className="num">{formatNumber(f.receipts)}</td>
                <td className="num">{formatNumber(f.displays)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card">
        <h3>Thêm cơ sở</h3>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="add-facility" />
          <label><span>Mã cơ sở KCB (5 ký tự)</span><input name="code" required maxLength={5} pattern="[A-Za-z0-9]{5}" /></label>
          <label><span>Tên cơ sở</span><input name="name" required /></label>
          <label><span>Loại cơ sở</span>
            <select name="kind" defaultValue="phong_kham">{KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}</select>
          </label>
          <button type="submit" disabled={busy}>Thêm cơ sở</button>
        </Form>
      </div>

      {facilities.length > 1 ? (
        <div className="card">
          <h3>Gộp mã cơ sở nhập nhầm</h3>
          <p className="muted">Mọi lượt KCB, kết quả gửi và xác nhận hiển thị của mã nhầm được chuyển sang cơ sở đúng; số liệu được tính lại; mã nhầm bị xóa khỏi danh mục.</p>
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="merge-facility" />
            <label><span>Mã nhầm (sẽ bị xóa)</span>
              <select name="fromId" required defaultValue="">
                <option value="" disabled>Chọn…</option>
                {facilities.map((f) => <option key={f.id} value={f.id}>{f.code} — {f.name}</option>)}
              </select>
            </label>
            <label><span>Gộp vào cơ sở đúng</span>
              <select name="intoId" required defaultValue="">
                <option value="" disabled>Chọn…</option>
                {facilities.map((f) => <option key={f.id} value={f.id}>{f.code} — {f.name}</option>)}
              </select>
            </label>
            <button type="submit" className="btn-danger" disabled={busy}>Gộp</button>
          </Form>
        </div>
      ) : null}

      <div className="card">
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="auto-register" />
          <label className="wide checkbox">
            <span>
              <input type="checkbox" name="autoRegister" defaultChecked={autoRegister} /> Tự động đăng ký mã cơ sở chưa có trong danh mục (chỉ
              dùng khi nạp dữ liệu cũ lần đầu; khi tắt, dòng có mã lạ bị từ chối với lý do rõ ràng)
            </span>
          </label>
          <button type="submit" className="btn-secondary" disabled={busy}>Lưu lựa chọn</button>
        </Form>
      </div>

      <h2>Khối dân cư</h2>
      <div className="card">
        <div className="form-grid">
          {blocks.map((b) => (
            <Form method="post" key={b.id} className="inline-form">
              <input type="hidden" name="intent" value="rename-block" />
              <input type="hidden" name="blockId" value={b.id} />
              <input name="name" defaultValue={b.name} aria-label={`Tên khối số ${b.number}`} required />
              <button type="submit" className="btn-secondary" disabled={busy}>Đổi tên</button>
            </Form>
          ))}
        </div>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="block-count" />
          <label><span>Số khối của phường</span><input name="count" type="number" min={1} max={200} defaultValue={blocks.length} required /></label>
          <button type="submit" className="btn-secondary" disabled={busy}>Lưu số khối</button>
        </Form>
      </div>

      <h2>Dân số trong diện theo khối</h2>
      <div className="card">
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="population" />
          <label><span>Khối</span>
            <select name="block" required defaultValue="">
              <option value="" disabled>Chọn khối…</option>
              {blocks.map((b) => <option key={b.id} value={b.name}>{b.name}</option>)}
            </select>
          </label>
          <label><span>Ngày hiệu lực</span><input name="effectiveDate" type="date" required /></label>
          <label><span>Dân số trong diện</span><input name="population" type="number" min={0} inputMode="numeric" required /></label>
          <button type="submit" disabled={busy}>Lưu</button>
        </Form>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="population-list">
          <thead><tr><th>Khối</th><th>Từ ngày</th><th className="num">Dân số trong diện</th></tr></thead>
          <tbody>
            {population.length === 0 ? <tr><td colSpan={3} className="muted">Chưa có số dân trong diện.</td></tr> : null}
            {population.map((p) => (
              <tr key={p.id}><td>{blockName.get(p.blockId)}</td><td>{formatDay(p.effectiveDate)}</td><td className="num">{formatNumber(p.population)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
