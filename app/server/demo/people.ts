// Synthetic people: derived from (seed, index) on demand, so a million patients need no
// memory. Personal IDs have the real layout (province code, century-and-sex digit, year of
// birth, six digits) with random digits; insurance cards the real 15-character layout.
import { PROVINCE_CODES } from "~/domain/identifiers";
import { hash32, rngFor } from "./random";
import { BLOCK_UPTAKE, DEMO_WARD } from "./profile";

export interface Person {
  pid: string;
  birthYear: number;
  /** Holds a chip ID card (citizens from 14 up; younger children have only the number). */
  hasChipCard: boolean;
  card: string | null;
}

/**
 * Index ranges: [0, residents) the blocks' eligible residents, block by block;
 * then the ward's children; then patients from outside the ward.
 */
export interface People {
  residents: number;
  blockStarts: number[]; // first resident index of each block, plus the end
  children: number;
  outsiders: number;
}

export function peopleOf(visits: number): People {
  const blockStarts = [0];
  for (const b of BLOCK_UPTAKE) blockStarts.push(blockStarts[blockStarts.length - 1] + b.population);
  const residents = blockStarts[blockStarts.length - 1];
  return {
    residents,
    blockStarts,
    children: Math.round(residents * 0.22),
    // A benchmark with millions of visits draws on a proportionally larger catchment.
    outsiders: Math.max(Math.round(residents * 0.4), Math.round(visits / 4)),
  };
}

/** Block number (1…) of a resident index. */
export function blockOfResident(people: People, index: number): number {
  let b = 1;
  while (index >= people.blockStarts[b]) b++;
  return b;
}

const PROVINCES = [...PROVINCE_CODES];
// Insurance groups (the card's first two letters) with their benefit level.
type Group = readonly [string, number];
const CHILD_GROUPS: Group[] = [["TE", 1]];
const STUDENT_GROUPS: Group[] = [["HS", 4]];
const ADULT_GROUPS: Group[] = [["GD", 4], ["GD", 4], ["DN", 4], ["DN", 4], ["HN", 1], ["CN", 3], ["HC", 4], ["NO", 4]];
const ELDER_GROUPS: Group[] = [["HT", 2], ["HT", 3], ["CK", 2], ["BT", 2], ["GD", 4], ["CC", 1]];

/** The synthetic person behind a pool index, the same every time for a seed. */
export function personOf(seed: number, people: People, index: number, refYear: number): Person {
  const rng = rngFor(seed, "person", index);
  const isChild = index >= people.residents && index < people.residents + people.children;
  const isOutsider = index >= people.residents + people.children;
  const age = isChild
    ? rng.int(0, 13)
    : rng.weighted([[rng.int(14, 29), 24], [rng.int(30, 44), 26], [rng.int(45, 59), 24], [rng.int(60, 74), 18], [rng.int(75, 95), 8]]);
  const birthYear = refYear - age;
  const localProvince = isOutsider ? rng.chance(0.6) : rng.chance(0.92);
  const province = localProvince ? DEMO_WARD.provinceCode : rng.pick(PROVINCES);
  const male = rng.chance(0.48);
  const centuryDigit = (birthYear >= 2000 ? 2 : 0) + (male ? 0 : 1);
  // A bijection on [0, 10^6): distinct indexes below a million get distinct last digits.
  const serial = String((index * 7_919_731 + (hash32(seed, "serial") % 1_000_000)) % 1_000_000).padStart(6, "0");
  const pid = `${province}${centuryDigit}${String(birthYear % 100).padStart(2, "0")}${serial}`;

  const insured = age < 6 || rng.chance(age >= 60 ? 0.97 : 0.91);
  let card: string | null = null;
  if (insured) {
    const [group, level] = rng.pick(age < 6 ? CHILD_GROUPS : age < 18 ? STUDENT_GROUPS : age >= 60 ? ELDER_GROUPS : ADULT_GROUPS);
    const cardProvince = localProvince ? DEMO_WARD.cardProvince : province.slice(1);
    const social = `${cardProvince}${String((index * 48_271_117 + (hash32(seed, "social") % 100_000_000)) % 100_000_000).padStart(8, "0")}`;
    card = `${group}${level}${cardProvince}${social}`;
  }
  return { pid, birthYear, hasChipCard: age >= 14, card };
}

/**
 * A patient for one visit: residents and chronic patients come back often, so a
 * skewed rank is spread over the pool by a fixed permutation (not by block order).
 */
export function drawPatient(people: People, u: number, v: number): number {
  const skewed = Math.pow(v, 1.8);
  if (u < 0.7) return permute(skewed, people.residents, 0);
  if (u < 0.82) return people.residents + permute(skewed, people.children, 1);
  return people.residents + people.children + permute(skewed, people.outsiders, 2);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const STEPS = [7919, 104_729, 1_299_709];
/** A skewed draw in [0, 1) → an index in [0, size), through a fixed bijection of the ranks. */
function permute(skewed: number, size: number, salt: number): number {
  let step = STEPS[salt];
  while (gcd(step, size) !== 1) step += 2;
  return (Math.floor(skewed * size) * step + salt * 977) % size;
}
