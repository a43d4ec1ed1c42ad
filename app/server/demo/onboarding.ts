// Onboarding records (FORMATS.md §5) as the units keep them: the ward police install VNeID
// and activate level-2 e-ID (only the police can), block committees and the health station
// help install and link insurance cards. Uptake differs a lot between blocks.
import { formatDay } from "~/domain/format";
import { BLOCK_UPTAKE } from "./profile";
import { blockOfResident, personOf, type People } from "./people";
import { rngFor, type Rng } from "./random";
import type { Timeline } from "./calendar";

export type SupportUnit = "cong_an" | "ban_can_su_khoi" | "tram_y_te";

export type OnboardingRow = {
  khoi: string; so_dinh_danh: string; ngay_cai_vneid: string; ngay_kich_hoat_muc2: string; ngay_tich_hop_bhyt: string; don_vi_ho_tro: string;
};

/** One row as a unit records it, with the block and the month of its latest step. */
export interface OnboardingEntry {
  unit: SupportUnit;
  block: number;
  month: string;
  row: OnboardingRow;
}

interface Steps {
  vneid?: number;
  level2?: number;
  bhyt?: number;
}

/** Block-wide drives (police and committee at the block's cultural house) bunch the dates. */
function driveDays(seed: number, block: number, lag: number): number[] {
  const rng = rngFor(seed, "drives", block);
  return Array.from({ length: 5 }, () => lag + (1 - lag) * rng.next());
}

/** Every onboarding row of the pilot so far, grouped by the month a unit would report it. */
export function onboardingEntries(seed: number, timeline: Timeline, people: People): OnboardingEntry[] {
  const lastIndex = timeline.days.length - 1;
  const refYear = Number(timeline.today.slice(0, 4));
  const drives = BLOCK_UPTAKE.map((b, i) => driveDays(seed, i + 1, b.lag));
  const entries: OnboardingEntry[] = [];
  for (let resident = 0; resident < people.residents; resident++) {
    const block = blockOfResident(people, resident);
    const uptake = BLOCK_UPTAKE[block - 1];
    const rng = rngFor(seed, "onboarding", resident);
    const u = rng.next();
    if (u >= uptake.installed) continue;
    const t = rng.chance(0.3)
      ? rng.pick(drives[block - 1])
      : uptake.lag + (1 - uptake.lag) * Math.pow(u / uptake.installed, 0.9);
    const installDay = Math.round(t * lastIndex);
    const byUnit = assignSteps(rng, installDay, uptake.lag < 0.3);
    const pid = personOf(seed, people, resident, refYear).pid;
    // A few residents moved house during the pilot: their first records name the old block.
    const oldBlock = byUnit.size > 1 && rng.chance(0.02) ? (block % BLOCK_UPTAKE.length) + 1 : null;
    const latest = Math.max(...[...byUnit.values()].map(lastStep));
    for (const [unit, steps] of byUnit) {
      const last = lastStep(steps);
      if (last > lastIndex) continue;
      const rowBlock = oldBlock !== null && last < latest ? oldBlock : block;
      const day = (i: number | undefined) => (i === undefined || i > lastIndex ? "" : formatDay(timeline.days[i]));
      entries.push({
        unit,
        block: rowBlock,
        month: timeline.days[last].slice(0, 7),
        row: {
          // The police list writes "Khối 3"; block committees just the number.
          khoi: unit === "ban_can_su_khoi" ? String(rowBlock) : `Khối ${rowBlock}`,
          so_dinh_danh: pid,
          ngay_cai_vneid: day(steps.vneid),
          ngay_kich_hoat_muc2: day(steps.level2),
          ngay_tich_hop_bhyt: day(steps.bhyt),
          don_vi_ho_tro: unit,
        },
      });
    }
  }
  return entries;
}

const lastStep = (s: Steps) => Math.max(s.vneid ?? -1, s.level2 ?? -1, s.bhyt ?? -1);

/** Which unit did which step, and when (day indexes). */
function assignSteps(rng: Rng, installDay: number, activeBlock: boolean): Map<SupportUnit, Steps> {
  const byUnit = new Map<SupportUnit, Steps>();
  const at = (unit: SupportUnit) => byUnit.get(unit) ?? (byUnit.set(unit, {}), byUnit.get(unit)!);
  // Some residents had installed VNeID on their own: no unit records that step for them,
  // so they count for level 2 and the insurance link but never as fully onboarded.
  const selfInstalled = rng.chance(0.06);
  const installer = selfInstalled ? "cong_an" : rng.weighted([["cong_an", 55], ["ban_can_su_khoi", 35], ["tram_y_te", 10]] as const);
  if (!selfInstalled) at(installer).vneid = installDay;
  if (!rng.chance(0.88)) return byUnit;
  const level2 = installer === "cong_an" ? installDay + (rng.chance(0.8) ? 0 : rng.int(1, 3)) : installDay + rng.int(1, 25);
  at("cong_an").level2 = level2;
  if (!rng.chance(activeBlock ? 0.82 : 0.68)) return byUnit;
  const linker = rng.weighted([["cong_an", installer === "cong_an" ? 35 : 5], ["ban_can_su_khoi", 40], ["tram_y_te", 25]] as const);
  at(linker).bhyt = linker === "cong_an" ? level2 : level2 + rng.int(0, 40);
  return byUnit;
}

/** Eligible population per block: the figure at the pilot's start and one mid-year revision. */
export function populationFiles(seed: number, timeline: Timeline) {
  const revisionDay = `${timeline.months[Math.min(6, timeline.months.length - 1)]}-01`;
  const rng = rngFor(seed, "population");
  const initial = BLOCK_UPTAKE.map((b, i) => ({ khoi: `Khối ${i + 1}`, ngay_hieu_luc: formatDay(timeline.startDay), dan_so: String(b.population) }));
  const revised = BLOCK_UPTAKE.map((b, i) => ({
    khoi: `Khối ${i + 1}`,
    ngay_hieu_luc: formatDay(revisionDay),
    dan_so: String(Math.round(b.population * (1 + (rng.next() - 0.4) * 0.08))),
  }));
  return { initial, revised, revisionDay };
}
