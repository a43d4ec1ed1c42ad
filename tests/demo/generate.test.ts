import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { demoFiles, planDemo, type DemoFile, type DemoOptions } from "~/server/demo/generate";
import { BLOCK_COUNT, DEMO_FACILITIES } from "~/server/demo/profile";
import { checkInsuranceCard, checkPersonalId } from "~/domain/identifiers";
import { localDayOf, parseSourceDate, parseSourceDay } from "~/domain/time";

const NOW = Date.parse("2026-03-19T10:30:00+07:00") / 1000; // a Thursday morning
const options = (overrides: Partial<DemoOptions> = {}): DemoOptions => ({ seed: 7, visits: 3000, now: NOW, ...overrides });
const digest = (files: Iterable<DemoFile>) => {
  const h = crypto.createHash("sha256");
  for (const f of files) h.update(JSON.stringify([f.kind, f.name, f.rows]));
  return h.digest("hex");
};
const all = (opts: DemoOptions) => [...demoFiles(opts)];
const rowsOf = (files: DemoFile[], kind: DemoFile["kind"]) => files.filter((f) => f.kind === kind).flatMap((f) => f.rows);
const epoch = (text: string) => parseSourceDate(text)!.epoch;

describe("demo generator", () => {
  it("gives the same files for the same seed, and different ones for another seed", () => {
    expect(digest(demoFiles(options()))).toBe(digest(demoFiles(options())));
    expect(digest(demoFiles(options({ seed: 8 })))).not.toBe(digest(demoFiles(options())));
  });

  it("produces the same rows whatever the file size limit: each facility-day has its own stream", () => {
    const whole = all(options());
    const split = all(options({ maxRowsPerFile: 50 }));
    // A file is cut after the day that reaches the limit.
    expect(Math.max(...split.filter((f) => f.kind === "visits_table").map((f) => f.rows.length))).toBeLessThan(50 + 30);
    expect(split.some((f) => f.name.includes("-phan-2"))).toBe(true);
    for (const kind of ["visits_table", "receipts", "displays", "onboarding", "activities"] as const) {
      expect(rowsOf(split, kind)).toEqual(rowsOf(whole, kind));
    }
  });

  it("spreads exactly the requested visits over a year that ends now, with none in the future", () => {
    const plan = planDemo(options());
    expect(plan.totalVisits).toBe(3000);
    expect(plan.timeline.startDay).toBe("2025-03-01");
    const visits = rowsOf(all(options()), "visits_table");
    expect(visits).toHaveLength(3000);
    const checkins = visits.map((v) => epoch(v.ngay_vao));
    expect(Math.max(...checkins)).toBeLessThanOrEqual(NOW);
    expect(visits.some((v) => localDayOf(epoch(v.ngay_vao)) === "2026-03-19")).toBe(true); // live data today
    expect(localDayOf(Math.min(...checkins))).toMatch(/^2025-03-0/);
    expect(new Set(visits.map((v) => `${v.ma_cskcb}|${v.ma_lk}`)).size).toBe(3000);
    expect(new Set(visits.map((v) => v.ma_cskcb))).toEqual(new Set(DEMO_FACILITIES.map((f) => f.code)));
    const open = visits.filter((v) => v.ngay_ra === "");
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(30);
    for (const v of visits) if (v.ngay_ra) expect(epoch(v.ngay_ra)).toBeGreaterThanOrEqual(epoch(v.ngay_vao));
  });

  it("mixes identifiers as a health station sees them: mostly personal IDs, many cards, some none, a few invalid", () => {
    const visits = rowsOf(all(options({ visits: 10000 })), "visits_table");
    const share = (pred: (v: Record<string, string>) => boolean) => visits.filter(pred).length / visits.length;
    const validPid = (v: Record<string, string>) => checkPersonalId(v.so_cccd).valid;
    const validCard = (v: Record<string, string>) => checkInsuranceCard(v.ma_the_bhyt).valid;
    expect(share(validPid)).toBeGreaterThan(0.6);
    expect(share((v) => v.hinh_thuc === "the_bhyt" || v.hinh_thuc === "Thẻ BHYT")).toBeGreaterThan(0.15);
    expect(share((v) => !validPid(v) && !validCard(v))).toBeGreaterThan(0.03);
    expect(share((v) => !validPid(v) && !validCard(v))).toBeLessThan(0.2);
    const invalid = share((v) => v.so_cccd !== "" && !validPid(v));
    expect(invalid).toBeGreaterThan(0.003);
    expect(invalid).toBeLessThan(0.03);
    expect(share((v) => v.ma_loai_kcb === "01")).toBeGreaterThan(0.8);
    expect(new Set(visits.map((v) => v.ma_loai_kcb)).size).toBeGreaterThan(3);
    // Personal IDs keep the real layout: a known province code and a possible century digit.
    for (const v of visits.filter(validPid)) expect(checkPersonalId(v.so_cccd)).toMatchObject({ warnings: [] });
  });

  it("answers most ended visits at the gateway after they end, with some rejections, and displays after acceptance", () => {
    const files = all(options());
    const visits = new Map(rowsOf(files, "visits_table").map((v) => [`${v.ma_cskcb}|${v.ma_lk}`, v]));
    const receipts = rowsOf(files, "receipts");
    const firstAccepted = new Map<string, number>();
    for (const r of receipts) {
      const key = `${r.ma_cskcb}|${r.ma_lk}`;
      const at = epoch(r.thoi_gian_tiep_nhan);
      expect(at).toBeLessThanOrEqual(NOW);
      expect(at).toBeGreaterThanOrEqual(epoch(visits.get(key)!.ngay_ra));
      if (r.ma_ket_qua === "200") firstAccepted.set(key, Math.min(at, firstAccepted.get(key) ?? Infinity));
    }
    const ended = [...visits.values()].filter((v) => v.ngay_ra).length;
    expect(firstAccepted.size / ended).toBeGreaterThan(0.85);
    expect(firstAccepted.size / ended).toBeLessThan(0.99);
    expect(new Set(receipts.map((r) => r.ma_giao_dich)).size).toBe(receipts.length);
    expect(receipts.filter((r) => r.ma_ket_qua !== "200").length).toBeGreaterThan(20);
    const displays = rowsOf(files, "displays");
    expect(displays.length / firstAccepted.size).toBeGreaterThan(0.8);
    for (const d of displays) {
      const accepted = firstAccepted.get(`${d.ma_cskcb}|${d.ma_lk}`);
      expect(accepted).toBeDefined();
      expect(epoch(d.thoi_gian_hien_thi)).toBeGreaterThanOrEqual(accepted! - 59);
      expect(localDayOf(epoch(d.thoi_gian_hien_thi)) < "2026-03-19").toBe(true); // today's confirmations are not in yet
    }
  });

  it("gives 9 blocks of 1,200–1,800 eligible residents, revised once, and onboarding that differs by block", () => {
    const files = all(options());
    const population = files.filter((f) => f.kind === "population");
    expect(population).toHaveLength(2);
    for (const file of population) {
      expect(file.rows).toHaveLength(BLOCK_COUNT);
      for (const r of file.rows) expect(Number(r.dan_so)).toBeGreaterThanOrEqual(1200), expect(Number(r.dan_so)).toBeLessThanOrEqual(1800);
    }
    const onboarding = rowsOf(files, "onboarding");
    const installedIn = (block: number) =>
      new Set(onboarding.filter((r) => r.khoi.replace("Khối ", "") === String(block) && r.ngay_cai_vneid).map((r) => r.so_dinh_danh)).size;
    expect(installedIn(1)).toBeGreaterThan(2 * installedIn(8));
    for (const r of onboarding) {
      expect(checkPersonalId(r.so_dinh_danh).valid).toBe(true);
      for (const d of [r.ngay_cai_vneid, r.ngay_kich_hoat_muc2, r.ngay_tich_hop_bhyt]) if (d) expect(parseSourceDay(d)! <= "2026-03-19").toBe(true);
    }
    const units = new Set(onboarding.map((r) => r.don_vi_ho_tro));
    expect(units).toEqual(new Set(["cong_an", "ban_can_su_khoi", "tram_y_te"]));
    // Onboarding grows month by month.
    const monthsWithRows = new Set(files.filter((f) => f.kind === "onboarding").map((f) => f.name.slice(-11, -4)));
    expect(monthsWithRows.size).toBeGreaterThan(9);
    const activities = rowsOf(files, "activities");
    expect(new Set(activities.map((a) => a.loai))).toEqual(new Set(["hoi_nghi", "bai_viet", "loa_fm", "mang_xa_hoi", "tap_huan", "khac"]));
  });
});
