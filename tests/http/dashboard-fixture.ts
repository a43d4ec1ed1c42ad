// A small synthetic ward for the dashboard tests, with figures worked out by hand.
// March 2026 (default as-of: 1 April 00:00) against February 2026:
//   I1  March 5/6 identified = 83,3 %   February 1/2 = 50,0 %
//   I2  March 4/6 sent (1 rejected E101, 1 not sent) = 66,7 %   February 1/2 = 50,0 %
//   I3  March on time 2, late 1, overdue 1, pending 0 = 50,0 %   February 1/1 = 100,0 %
//   I4  at 31 March: Khối 3 (population 100) VNeID 3, level 2 2, BHYT 1, full 1;
//       Khối 5 (population 200) all four 1; ward eligible 300, fully onboarded 2
//   I5  March: ward 1 conference (50), Khối 3 1 broadcast (300), Khối 5 1 training (20)
//   I6  2026 approved 12.500.000 đ, spent in March 2.500.000 đ
// Personal-ID last four digits are "7319" everywhere: no page may ever show them.
import type { DB } from "~/server/db.server";
import { createTestUsers, startServer, type TestServer } from "./server";
import { updateDerived } from "~/server/metrics/derived.server";
import { localToEpoch } from "~/domain/time";

export const FACILITIES = [
  { code: "79001", name: "Trạm Y tế phường Thí Điểm", kind: "tram_y_te" },
  { code: "79002", name: "Phòng khám Đa khoa An Bình", kind: "phong_kham" },
] as const;

export const SECRET_LAST4 = "7319";
const at = (month: number, day: number, hour = 0, minute = 0) => localToEpoch(2026, month, day, hour, minute);

interface VisitSpec {
  facility: 0 | 1;
  maLk: string;
  checkin: number;
  method: "the_can_cuoc" | "so_dinh_danh" | "the_bhyt" | "khong";
  receipts?: Array<{ at: number; code: string; message?: string }>;
  displayedAt?: number;
}

export const VISITS: VisitSpec[] = [
  { facility: 0, maLk: "TYT0301", checkin: at(3, 3, 8), method: "so_dinh_danh", receipts: [{ at: at(3, 3, 12), code: "200" }], displayedAt: at(3, 4, 10) },
  { facility: 0, maLk: "TYT0302", checkin: at(3, 5, 8), method: "the_bhyt", receipts: [{ at: at(3, 5, 12), code: "200" }], displayedAt: at(3, 7, 12) },
  { facility: 0, maLk: "TYT0303", checkin: at(3, 10, 8), method: "khong", receipts: [{ at: at(3, 10, 12), code: "E101", message: "Mã thẻ BHYT không hợp lệ" }] },
  { facility: 0, maLk: "TYT0304", checkin: at(3, 12, 8), method: "so_dinh_danh" },
  { facility: 1, maLk: "PK0315", checkin: at(3, 15, 8), method: "the_can_cuoc", receipts: [{ at: at(3, 15, 12), code: "200" }] },
  { facility: 1, maLk: "PK0320", checkin: at(3, 20, 8), method: "so_dinh_danh", receipts: [{ at: at(3, 20, 12), code: "200" }], displayedAt: at(3, 20, 20) },
  { facility: 0, maLk: "TYT0210", checkin: at(2, 10, 8), method: "so_dinh_danh", receipts: [{ at: at(2, 10, 12), code: "200" }], displayedAt: at(2, 10, 20) },
  { facility: 0, maLk: "TYT0212", checkin: at(2, 12, 8), method: "khong" },
];

export async function loadDashboardWard(db: DB): Promise<void> {
  const ward = await db.selectFrom("ward").select("id").orderBy("id").executeTakeFirstOrThrow();
  const blocks = await db.selectFrom("block").select(["id", "number"]).where("ward_id", "=", ward.id).execute();
  const blockId = (n: number) => blocks.find((b) => b.number === n)!.id;
  const facilityIds: number[] = [];
  for (const f of FACILITIES) {
    const row = await db.insertInto("facility").values({ ward_id: ward.id, ...f }).returning("id").executeTakeFirstOrThrow();
    facilityIds.push(row.id);
  }
  await db.transaction().execute(async (trx) => {
    for (const v of VISITS) {
      const facilityId = facilityIds[v.facility];
      const identified = v.method !== "khong";
      await trx.insertInto("visit").values({
        facility_id: facilityId, ma_lk: v.maLk, checkin_at: v.checkin, ended_at: v.checkin + 3600,
        pid_hash: identified ? `pid-${v.maLk}` : null, pid_last4: identified ? SECRET_LAST4 : null,
        method: v.method, patient_key: identified ? `P:pid-${v.maLk}` : null, visit_type: "01", source: "csv",
        fingerprint: v.maLk, updated_at: v.checkin,
      }).execute();
      for (const r of v.receipts ?? []) {
        await trx.insertInto("gateway_receipt").values({
          facility_id: facilityId, ma_lk: v.maLk, received_at: r.at, result_code: r.code, accepted: r.code === "200" ? 1 : 0,
          message: r.message ?? null, identity: `${v.maLk}|${r.at}|${r.code}`,
        }).execute();
      }
      if (v.displayedAt) {
        await trx.insertInto("display_confirmation").values({ facility_id: facilityId, ma_lk: v.maLk, displayed_at: v.displayedAt, source: "bhxh" }).execute();
      }
    }

    const residents = [
      { block: 3, pid: "r1", steps: ["2026-03-02", "2026-03-03", "2026-03-04"] },
      { block: 3, pid: "r2", steps: ["2026-03-05", null, null] },
      { block: 3, pid: "r3", steps: ["2026-02-20", "2026-03-06", null] },
      { block: 5, pid: "r4", steps: ["2026-03-10", "2026-03-11", "2026-03-12"] },
    ] as const;
    for (const r of residents) {
      await trx.insertInto("onboarding_record").values({
        block_id: blockId(r.block), pid_hash: r.pid, pid_last4: SECRET_LAST4,
        vneid_installed_on: r.steps[0], level2_activated_on: r.steps[1], bhyt_linked_on: r.steps[2],
        support_unit: "ban_can_su_khoi", identity: r.pid,
      }).execute();
    }
    for (const [n, population] of [[3, 100], [5, 200]] as const) {
      await trx.insertInto("block_population").values({ block_id: blockId(n), effective_date: "2026-01-01", population }).execute();
    }
    const activities = [
      { block_id: null, date: "2026-03-10", type: "hoi_nghi", unit: "ubnd", content: "Hội nghị triển khai thí điểm", participants: 50 },
      { block_id: blockId(3), date: "2026-03-12", type: "loa_fm", unit: "ban_can_su_khoi", content: "Phát thanh về VNeID", participants: 300 },
      { block_id: blockId(5), date: "2026-03-14", type: "tap_huan", unit: "ban_can_su_khoi", content: "Hướng dẫn cài đặt VNeID", participants: 20 },
    ];
    for (const a of activities) await trx.insertInto("activity").values({ ward_id: ward.id, ...a }).execute();

    const estimate = await trx.insertInto("budget_estimate").values({
      ward_id: ward.id, year: 2026, version: 1, title: "Dự toán kinh phí thí điểm năm 2026", status: "approved",
      created_at: at(1, 5), submitted_at: at(1, 6), approved_at: at(1, 10),
    }).returning("id").executeTakeFirstOrThrow();
    const line = await trx.insertInto("budget_line").values({
      estimate_id: estimate.id, category: "thiet_bi", position: 1, content: "Máy tính để bàn", unit: "bộ", quantity: 1,
      unit_price: 12_500_000, amount: 12_500_000, basis: null,
    }).returning("id").executeTakeFirstOrThrow();
    await trx.insertInto("expenditure").values({
      ward_id: ward.id, budget_line_id: line.id, date: "2026-03-10", amount: 2_500_000, content: "Tạm ứng mua máy tính", created_at: at(3, 10),
    }).execute();

    await trx.insertInto("target").values([
      { ward_id: ward.id, indicator: "i1.rate", block_id: null, period: "2026-03", threshold: 0.8 },
      { ward_id: ward.id, indicator: "i3.rate", block_id: null, period: "2026", threshold: 0.9 },
      { ward_id: ward.id, indicator: "i4.fullyOnboarded.rate", block_id: blockId(3), period: "2026-03", threshold: 0.05 },
    ]).execute();

    await updateDerived(trx, {
      records: VISITS.map((v) => ({ facilityId: facilityIds[v.facility], maLk: v.maLk })),
      residents: residents.map((r) => r.pid),
    });
  });
}

/** The real server over this ward, with the test accounts. */
export const startDashboardServer = (env: Record<string, string> = {}): Promise<TestServer> =>
  startServer({
    env,
    setup: async (db) => {
      await createTestUsers(db);
      await loadDashboardWard(db);
    },
  });
