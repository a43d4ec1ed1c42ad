// Infrastructure readiness per facility (plan II.3.a and IV.1): the six things a facility
// needs to send its records to the gateway and help residents — computers, printers,
// scanners, Internet (with its speed), an ID-card reader, staff trained on the gateway —
// each ready or not, with a note and when it was last checked; and the ward at a glance.
import type { DB } from "./db.server";
import { addInfrastructureItem, INFRASTRUCTURE_STATUSES, PlanError, recordInfrastructureCheck, type InfrastructureCategory, type InfrastructureStatus } from "./plan.server";

export const READINESS_ITEMS: ReadonlyArray<{ category: InfrastructureCategory; label: string }> = [
  { category: "may_tinh", label: "Máy tính cho cán bộ sử dụng phần mềm" },
  { category: "may_in", label: "Máy in" },
  { category: "may_quet", label: "Máy quét" },
  { category: "internet", label: "Kết nối Internet (ghi tốc độ đường truyền)" },
  { category: "dau_doc_cccd", label: "Đầu đọc thẻ căn cước" },
  { category: "tap_huan", label: "Cán bộ đã được tập huấn liên thông lên Cổng giám định" },
];

export interface ReadinessRow {
  category: InfrastructureCategory;
  label: string;
  itemId: number | null;
  status: InfrastructureStatus | null; // null: never checked
  note: string | null;
  checkedOn: string | null;
}

export interface FacilityReadiness {
  id: number;
  code: string;
  name: string;
  rows: ReadinessRow[];
  ready: number;
}

export async function wardReadiness(db: DB, wardId: number): Promise<{ facilities: FacilityReadiness[]; ready: number; total: number }> {
  const facilities = await db.selectFrom("facility").select(["id", "code", "name"]).where("ward_id", "=", wardId).orderBy("code").execute();
  const items = await db.selectFrom("infrastructure_item").selectAll().where("ward_id", "=", wardId).orderBy("id").execute();
  const out = facilities.map((f) => {
    const rows = READINESS_ITEMS.map(({ category, label }) => {
      // The latest item of the category at the facility stands for it.
      const item = items.filter((i) => i.facility_id === f.id && i.category === category).at(-1);
      return {
        category, label, itemId: item?.id ?? null, status: (item?.status ?? null) as InfrastructureStatus | null,
        note: item?.note ?? null, checkedOn: item?.checked_on ?? null,
      };
    });
    return { ...f, rows, ready: rows.filter((r) => r.status === "dat").length };
  });
  return { facilities: out, ready: out.reduce((n, f) => n + f.ready, 0), total: out.length * READINESS_ITEMS.length };
}

/** A check of one of the six items at a facility: creates it the first time. */
export async function checkReadiness(
  db: DB,
  wardId: number,
  input: { facilityId: number; category: string; status: string; note: string | null; checkedOn: string; checkedBy: number },
): Promise<void> {
  const spec = READINESS_ITEMS.find((i) => i.category === input.category);
  if (!spec) throw new PlanError(`Hạng mục không hợp lệ: ${input.category}`);
  if (!(INFRASTRUCTURE_STATUSES as readonly string[]).includes(input.status)) throw new PlanError(`Tình trạng không hợp lệ: ${input.status}`);
  const facility = await db.selectFrom("facility").select("id").where("id", "=", input.facilityId).where("ward_id", "=", wardId).executeTakeFirst();
  if (!facility) throw new PlanError("Không có cơ sở này.");
  const existing = await db.selectFrom("infrastructure_item").select("id").where("ward_id", "=", wardId)
    .where("facility_id", "=", input.facilityId).where("category", "=", spec.category).orderBy("id", "desc").executeTakeFirst();
  const check = { status: input.status as InfrastructureStatus, note: input.note, checkedOn: input.checkedOn, checkedBy: input.checkedBy };
  if (existing) await recordInfrastructureCheck(db, wardId, existing.id, check);
  else await addInfrastructureItem(db, { wardId, facilityId: input.facilityId, category: spec.category, item: spec.label, ...check });
}
