// One facility-day of the demo: its visits (FORMATS.md §2 columns), the gateway's answers
// to their submissions (§3) and the VNeID display confirmations (§4). Everything a day
// produces comes from that day's own random stream.
import { METHOD_LABELS } from "~/domain/codes";
import type { ReceptionMethod } from "~/domain/identifiers";
import { formatDateTime } from "~/domain/format";
import { localDayOf, localParts, startOfLocalDay } from "~/domain/time";
import { elapsedIntervals, progressOf, type Timeline } from "./calendar";
import { drawPatient, personOf, type People, type Person } from "./people";
import { CERTIFICATE_REJECTION, GATEWAY_REJECTIONS, type DemoFacility } from "./profile";
import { hash32, rngFor, type Rng } from "./random";

export type VisitRow = {
  ma_cskcb: string; ma_lk: string; ngay_vao: string; ngay_ra: string;
  so_cccd: string; ma_the_bhyt: string; hinh_thuc: string; ma_loai_kcb: string;
};
export type ReceiptRow = {
  ma_cskcb: string; ma_lk: string; ma_giao_dich: string; thoi_gian_tiep_nhan: string; ma_ket_qua: string; thong_diep: string;
};
export type DisplayRow = { ma_cskcb: string; ma_lk: string; thoi_gian_hien_thi: string; nguon: string };

export interface DayRecords {
  visits: VisitRow[];
  receipts: ReceiptRow[];
  displays: DisplayRow[];
}

export interface VisitContext {
  seed: number;
  timeline: Timeline;
  people: People;
  /** The day the station's signing certificate had lapsed: every submission that day is refused. */
  certificateLapseDay: string;
  /** Display confirmations arrive the next morning: none later than this instant is known yet. */
  displayCutoff: number;
  /** Chance that a visit of the last three days is not closed yet in the facility's software. */
  unclosedChance: number;
}

const HOUR = 3600;
const lerp = (from: number, to: number, p: number) => from + (to - from) * p;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const pad2 = (n: number) => String(n).padStart(2, "0");

/** The gateway's own time format, yyyyMMddHHmmss. */
function gatewayTime(epoch: number): string {
  const t = localParts(epoch);
  return `${t.year}${pad2(t.month)}${pad2(t.day)}${pad2(t.hour)}${pad2(t.minute)}${pad2(t.second)}`;
}

const STATION_TYPES = [["01", 80], ["07", 9], ["02", 5], ["04", 2], ["14", 0.6], ["03", 0.3]] as const;
const CLINIC_TYPES = [["01", 95], ["02", 4], ["14", 1]] as const;

/** Visit length in minutes by MA_LOAI_KCB. */
function durationMinutes(rng: Rng, type: string): number {
  switch (type) {
    case "07": return clamp(rng.logNormal(8, 0.4), 3, 30);
    case "02": return clamp(rng.logNormal(45, 0.4), 15, 180);
    case "04": return clamp(rng.logNormal(300, 0.25), 120, 540);
    case "03": return rng.int(2, 5) * 1440 + rng.int(-120, 240);
    case "14": return clamp(rng.logNormal(12, 0.3), 5, 40);
    default: return clamp(rng.logNormal(18, 0.5), 5, 120);
  }
}

/** The identifiers a visit was received with: mostly chip card or personal ID, more so as the pilot matures. */
function identify(rng: Rng, person: Person, facility: DemoFacility, p: number) {
  const none = lerp(0.15, 0.035, p) * (facility.kind === "tram_y_te" ? 1 : 1.4);
  const r = rng.next();
  if (r < none) return { method: "khong" as ReceptionMethod, pid: "", card: "" };
  if (r < none + 0.012) {
    // Typed by hand: an old 9-digit ID, a dropped digit, an extra one.
    const pid = rng.weighted([[`225${String(rng.int(0, 999_999)).padStart(6, "0")}`, 1], [person.pid.slice(0, 11), 2], [`${person.pid}0`, 1]]);
    return { method: (person.hasChipCard ? "the_can_cuoc" : "so_dinh_danh") as ReceptionMethod, pid, card: rng.chance(0.5) ? person.card ?? "" : "" };
  }
  const byCard = person.card !== null && (rng.chance(lerp(0.34, 0.18, p)) || (!person.hasChipCard && rng.chance(0.6)));
  if (byCard) {
    let card = person.card!;
    if (rng.chance(0.003)) card = `${card.slice(0, 2)}${card[2] === "4" ? "2" : "4"}${card.slice(3)};${card}`; // card changed during the visit
    else if (facility.kind === "phong_kham" && rng.chance(0.005)) card = card.slice(-10); // bare social-insurance number
    return { method: "the_bhyt" as ReceptionMethod, pid: rng.chance(0.45) ? person.pid : "", card };
  }
  const method: ReceptionMethod = person.hasChipCard && rng.chance(0.78) ? "the_can_cuoc" : "so_dinh_danh";
  return { method, pid: person.pid, card: person.card ?? "" };
}

/** When the facility first submits an ended visit: right away, in the end-of-day batch, or days later. */
function firstSubmission(rng: Rng, facility: DemoFacility, endedAt: number): number {
  const dayStart = startOfLocalDay(localDayOf(endedAt));
  const endMinute = (endedAt - dayStart) / 60;
  if (facility.kind === "tram_y_te") {
    const how = rng.weighted([["auto", 50], ["batch", 38], ["late", 12]] as const);
    if (how === "auto") return endedAt + Math.round(clamp(rng.logNormal(0.4, 0.8), 0.05, 6) * HOUR);
    if (how === "late") return endedAt + Math.round(clamp(rng.logNormal(40, 0.6), 12, 240) * HOUR);
    return endMinute < 990
      ? dayStart + rng.int(990, 1080) * 60 + rng.int(0, 59)
      : dayStart + 86400 + rng.int(450, 570) * 60 + rng.int(0, 59);
  }
  const how = rng.weighted([["evening", 60], ["morning", 30], ["late", 10]] as const);
  if (how === "late") return endedAt + Math.round(clamp(rng.logNormal(48, 0.6), 12, 300) * HOUR);
  if (how === "evening" && endMinute < 1260) return dayStart + rng.int(1260, 1410) * 60 + rng.int(0, 59);
  return Math.max(endedAt + 600, dayStart + 86400 + rng.int(420, 540) * 60 + rng.int(0, 59));
}

/** A transaction id that looks opaque but is unique: a Feistel scramble of (facility, day, visit, attempt). */
function transactionId(seed: number, facilityIndex: number, dayIndex: number, seq: number, attempt: number): string {
  const packed = (((facilityIndex * 1024 + dayIndex) * 131072 + seq) * 8 + attempt) % 2 ** 48;
  let left = Math.floor(packed / 2 ** 24);
  let right = packed % 2 ** 24;
  for (let round = 0; round < 3; round++) {
    [left, right] = [right, (left ^ (hash32(seed, "tx", round, right) & 0xffffff)) >>> 0];
  }
  return `GD${String(left * 2 ** 24 + right).padStart(15, "0")}`;
}

/** Visit check-in minutes for the day, in order, inside the opening hours already passed. */
function checkinMinutes(rng: Rng, facility: DemoFacility, intervals: Array<[number, number]>, count: number): number[] {
  // Mornings are busier at the station.
  const weighted = intervals.map((iv, i) => [iv, (iv[1] - iv[0]) * (facility.kind === "tram_y_te" && i === 0 ? 1.5 : 1)] as const);
  const minutes: number[] = [];
  for (let i = 0; i < count; i++) {
    const [from, to] = rng.weighted(weighted);
    minutes.push(from + Math.floor(rng.next() * (to - from)));
  }
  return minutes.sort((a, b) => a - b);
}

export function facilityDay(ctx: VisitContext, facilityIndex: number, facility: DemoFacility, dayIndex: number, count: number): DayRecords {
  const out: DayRecords = { visits: [], receipts: [], displays: [] };
  const { timeline, seed } = ctx;
  const day = timeline.days[dayIndex];
  const intervals = elapsedIntervals(facility, day, timeline.now);
  if (count === 0 || intervals.length === 0) return out;
  const rng = rngFor(seed, "visits", facility.code, day);
  const p = progressOf(timeline, dayIndex);
  const refYear = Number(timeline.today.slice(0, 4));
  const dayStart = startOfLocalDay(day);
  const keyStem = `${facility.keyPrefix}${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}`;
  const connectedFrom = Math.round(facility.connectedAt * (timeline.days.length - 1));

  checkinMinutes(rng, facility, intervals, count).forEach((minute, i) => {
    const seq = i + 1;
    const maLk = `${keyStem}${String(seq).padStart(4, "0")}`;
    const person = personOf(seed, ctx.people, drawPatient(ctx.people, rng.next(), rng.next()), refYear);
    const type = rng.weighted(facility.kind === "tram_y_te" ? STATION_TYPES : CLINIC_TYPES);
    const checkin = dayStart + minute * 60;
    const ended = checkin + Math.round(durationMinutes(rng, type)) * 60;
    // Still open in the export: under way now, or (rarely) not closed yet in the software.
    const open = ended > timeline.now || (timeline.now - checkin < 3 * 86400 && rng.chance(ctx.unclosedChance));
    const id = identify(rng, person, facility, p);
    out.visits.push({
      ma_cskcb: facility.code,
      ma_lk: maLk,
      ngay_vao: formatDateTime(checkin),
      ngay_ra: open ? "" : formatDateTime(ended),
      so_cccd: id.pid,
      ma_the_bhyt: id.card,
      hinh_thuc: facility.methodAsLabel ? METHOD_LABELS[id.method] : id.method,
      ma_loai_kcb: type,
    });
    if (open) return;

    // Submissions to the gateway.
    let sendAt: number;
    if (dayIndex < connectedFrom) {
      // Before the clinic was connected: part of the backlog was sent once it was.
      if (!rng.chance(0.55)) return;
      sendAt = startOfLocalDay(timeline.days[connectedFrom]) + rng.int(8 * HOUR, 10 * 24 * HOUR);
    } else {
      const neverSent = facility.kind === "tram_y_te" ? lerp(0.02, 0.004, p) : lerp(0.04, 0.015, p);
      if (rng.chance(neverSent)) return;
      sendAt = firstSubmission(rng, facility, ended);
    }
    let acceptedAt: number | null = null;
    for (let attempt = 0; attempt < 4 && sendAt <= timeline.now; attempt++) {
      const certificateLapsed = facility.kind === "tram_y_te" && localDayOf(sendAt) === ctx.certificateLapseDay;
      const rejection = certificateLapsed
        ? CERTIFICATE_REJECTION
        : rng.chance(attempt === 0 ? lerp(0.09, 0.025, p) : 0.1) ? rng.weighted(GATEWAY_REJECTIONS) : null;
      out.receipts.push({
        ma_cskcb: facility.code,
        ma_lk: maLk,
        ma_giao_dich: transactionId(seed, facilityIndex, dayIndex, seq, attempt),
        thoi_gian_tiep_nhan: gatewayTime(sendAt),
        ma_ket_qua: rejection ? rejection.code : "200",
        thong_diep: rejection ? rejection.message : "Tiếp nhận hồ sơ thành công",
      });
      if (!rejection) {
        acceptedAt = sendAt;
        break;
      }
      if (rejection.code === "E500") sendAt += Math.round(clamp(rng.logNormal(2, 0.6), 0.2, 12) * HOUR);
      else if (certificateLapsed) sendAt = startOfLocalDay(localDayOf(sendAt)) + 86400 + rng.int(8 * HOUR, 11 * HOUR);
      else if (rng.chance(0.78)) sendAt += Math.round(clamp(rng.logNormal(50, 0.7), 2, 400) * HOUR);
      else break; // left rejected: nobody fixed the record
    }
    if (acceptedAt === null) return;

    // Display in VNeID: mostly within hours, some late, some never confirmed.
    const r = rng.next();
    if (r < lerp(0.09, 0.02, p)) return;
    const hours = r < lerp(0.09, 0.02, p) + lerp(0.22, 0.05, p)
      ? 24 + clamp(rng.logNormal(18, 0.8), 0.1, 240)
      : clamp(rng.logNormal(4, 0.9), 0.05, 23.9);
    const displayedAt = acceptedAt + Math.round(hours * HOUR);
    if (displayedAt > ctx.displayCutoff) return;
    out.displays.push({
      ma_cskcb: facility.code,
      ma_lk: maLk,
      thoi_gian_hien_thi: formatDateTime(displayedAt),
      nguon: rng.chance(0.85) ? "bhxh" : "kiem_tra",
    });
  });
  return out;
}
