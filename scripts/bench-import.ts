// `npm run bench:import` — how fast the import pipeline writes, against a bare prepared
// INSERT of the same rows. A child process generates in a temporary folder a .zip of
// 100,000 one-visit GIAMDINHHS envelopes and a 1,000,000-row gateway-receipts CSV (so
// its memory is not counted); this process imports each through importFiles into a
// fresh file database and prints rows/s, peak memory, the share of the indicator
// roll-ups, and the ratio to the bare insert. Sizes: BENCH_VISITS, BENCH_RECEIPTS, and
// BENCH_RECEIPT_RECORDS, the records the receipts go to in turn (default: the visits').
// All data is synthetic.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import SQLite from "better-sqlite3";
import yazl, { type ZipFile } from "yazl";
import { setInstallationSecret } from "../app/server/crypto.server";
import { openMigratedDatabase, sqlitePathOf, type DB } from "../app/server/db.server";
import { importFiles, type FileOutcome, type ImportActor } from "../app/server/import/pipeline.server";
import { addFacility } from "../app/server/catalog.server";
import { ensureWard } from "../app/server/ward.server";

const VISITS = Number(process.env.BENCH_VISITS) || 100_000;
const RECEIPTS = Number(process.env.BENCH_RECEIPTS) || 1_000_000;
const FACILITY = "38120";

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const maLk = (i: number) => `BENCH${pad(i % VISITS, 7)}`;
const RECEIPT_RECORDS = Number(process.env.BENCH_RECEIPT_RECORDS) || VISITS;
/** yyyyMMddHHmm spread over 2026, i minutes apart. */
function stamp(i: number, plusMinutes = 0): string {
  const t = new Date(Date.UTC(2026, 0, 1) + (i * 5 + plusMinutes) * 60_000);
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1, 2)}${pad(t.getUTCDate(), 2)}${pad(t.getUTCHours(), 2)}${pad(t.getUTCMinutes(), 2)}`;
}

function envelope(i: number): string {
  const pid = `0${pad(40 + (i % 50), 2)}${pad(i % 4, 1)}${pad(i * 7919 % 100_000_000, 8)}`;
  const card = `DN4${pad(40 + (i % 50), 2)}${pad(i * 104729 % 10_000_000_000, 10)}`;
  const inner = `<?xml version="1.0" encoding="utf-8"?><TONG_HOP><MA_LK>${maLk(i)}</MA_LK><STT>1</STT><MA_BN>BN${i}</MA_BN>` +
    `<HO_TEN>Người Thử Nghiệm ${i}</HO_TEN><SO_CCCD>${i % 5 === 0 ? "" : pid}</SO_CCCD><NGAY_SINH>198705120000</NGAY_SINH><GIOI_TINH>${1 + (i % 2)}</GIOI_TINH>` +
    `<DIA_CHI>Số ${i}, Khối ${1 + (i % 9)}, Phường Thí Điểm</DIA_CHI><MAXA_CU_TRU>17464</MAXA_CU_TRU><DIEN_THOAI>09${pad(i, 8)}</DIEN_THOAI>` +
    `<MA_THE_BHYT>${i % 3 === 0 ? "" : card}</MA_THE_BHYT><MA_DKBD>${FACILITY}</MA_DKBD><CHAN_DOAN_RV>Viêm họng cấp</CHAN_DOAN_RV><MA_BENH_CHINH>J02</MA_BENH_CHINH>` +
    `<MA_DOITUONG_KCB>1.1</MA_DOITUONG_KCB><NGAY_VAO>${stamp(i)}</NGAY_VAO><NGAY_RA>${stamp(i, 40)}</NGAY_RA><T_TONGCHI_BV>261100.00</T_TONGCHI_BV>` +
    `<MA_LOAI_KCB>01</MA_LOAI_KCB><MA_KHOA>K01</MA_KHOA><MA_CSKCB>${FACILITY}</MA_CSKCB><CAN_NANG>55.00</CAN_NANG></TONG_HOP>`;
  return `<?xml version="1.0" encoding="utf-8"?><GIAMDINHHS><THONGTINDONVI><MACSKCB>${FACILITY}</MACSKCB></THONGTINDONVI><THONGTINHOSO>` +
    `<NGAYLAP>20260701</NGAYLAP><SOLUONGHOSO>1</SOLUONGHOSO><DANHSACHHOSO><HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO>` +
    `<NOIDUNGFILE>${Buffer.from(inner).toString("base64")}</NOIDUNGFILE></FILEHOSO></HOSO></DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>`;
}

async function writeZip(file: string) {
  const zip = new yazl.ZipFile();
  const out = fs.createWriteStream(file);
  zip.outputStream.pipe(out);
  for (let i = 0; i < VISITS; i++) {
    zip.addBuffer(Buffer.from(envelope(i)), `xml/${maLk(i)}.xml`);
    // yazl deflates every added buffer at once on the thread pool: let each thousand be written first.
    if (i % 1000 === 999) await written(zip);
  }
  zip.end();
  await once(out, "finish");
}

/** Until yazl has written its last added entry (entries are written in order). */
async function written(zip: ZipFile) {
  const entries = (zip as unknown as { entries: Array<{ state: number }> }).entries;
  const FILE_DATA_DONE = 3;
  while (entries[entries.length - 1].state < FILE_DATA_DONE) await new Promise((resolve) => setTimeout(resolve, 2));
}

function receiptLine(i: number): string {
  const code = i % 10 === 0 ? "E101" : "200";
  return `${FACILITY},BENCH${pad(i % RECEIPT_RECORDS, 7)},GD${pad(i, 9)},${stamp(i, 60 * 6)}00,${code},${code === "200" ? "Thành công" : "Sai mã thẻ BHYT"}\n`;
}

async function writeCsv(file: string) {
  const out = fs.createWriteStream(file);
  out.write("ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep\n");
  for (let i = 0; i < RECEIPTS; i++) if (!out.write(receiptLine(i))) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;
/** The live JavaScript heap in MB, after a full garbage collection. */
const liveHeapMb = () => (collectGarbage(), process.memoryUsage().heapUsed / 2 ** 20);

interface Measured<T> {
  value: T;
  seconds: number;
  startMb: number;
  peakMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  cpuSeconds: number;
}

/** Peak resident memory while `run` runs (sampled every 50 ms), and the live heap before and after. */
async function measured<T>(run: () => Promise<T>): Promise<Measured<T>> {
  const heapBeforeMb = liveHeapMb();
  const startMb = process.memoryUsage().rss / 2 ** 20;
  let peak = startMb;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20)), 50);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return { value, seconds, peakMb: Math.max(peak, process.memoryUsage().rss / 2 ** 20), startMb, heapBeforeMb, heapAfterMb: liveHeapMb(), cpuSeconds: (used.user + used.system) / 1e6 };
}

/** The same rows through one bare prepared INSERT in one transaction: the floor. */
function bareInserts(dbFile: string, table: "visit" | "gateway_receipt", rows: number): number {
  const sqlite = new SQLite(dbFile);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  const facility = (sqlite.prepare("SELECT id FROM facility WHERE code = ?").get(FACILITY) as { id: number }).id;
  const started = performance.now();
  if (table === "visit") {
    const insert = sqlite.prepare(`INSERT INTO visit (facility_id, ma_lk, checkin_at, ended_at, pid_hash, pid_last4, card_hash, card_last4,
      declared_method, method, patient_key, visit_type, subject_code, source, fingerprint, batch_id, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'so_dinh_danh', ?, '01', '1.1', 'xml1', ?, NULL, ?)`);
    sqlite.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const h = `h${i}`;
        insert.run(facility, `BARE${i}`, 1767200000 + i * 300, 1767202400 + i * 300, h, "1234", h, "5678", `P:${h}`, h, 1767200000);
      }
    })();
  } else {
    const insert = sqlite.prepare(`INSERT INTO gateway_receipt (facility_id, ma_lk, transaction_id, received_at, result_code, accepted, message, identity, batch_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`);
    sqlite.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(facility, maLk(i), `BARE${i}`, 1767200000 + i * 300, "200", 1, "Thành công", `B:${i}`);
    })();
  }
  const seconds = (performance.now() - started) / 1000;
  sqlite.close();
  return seconds;
}

/**
 * One receipt per file, as a gateway pushing each answer would, into the ward the big
 * files filled: the roll-ups recompute every summary row such a receipt touches (its day,
 * and its month's hours histogram) from the records already there.
 */
async function oneReceiptFiles(db: DB, actor: ImportActor, dir: string, count: number): Promise<{ total: number[]; derived: number[] }> {
  const total: number[] = [];
  const derived: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = VISITS - 1 - k; // the latest visits: the fullest month so far
    const file = path.join(dir, `mot-ket-qua-${k}.csv`);
    fs.writeFileSync(file, "ma_cskcb,ma_lk,ma_giao_dich,thoi_gian_tiep_nhan,ma_ket_qua,thong_diep\n" +
      `${FACILITY},${maLk(i)},GDONE${pad(k, 4)},${stamp(i, 60 * 7)}00,200,Thành công\n`);
    const timing = { derivedSeconds: 0 };
    const started = performance.now();
    await importFiles(db, actor, [{ name: path.basename(file), path: file }], { timing });
    total.push(performance.now() - started);
    derived.push(timing.derivedSeconds * 1000);
  }
  return { total, derived };
}

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];

function report(label: string, rows: number, m: Measured<unknown>, derivedSeconds: number, bareSeconds: number) {
  const rate = rows / m.seconds;
  const bare = rows / bareSeconds;
  const own = m.seconds - derivedSeconds;
  console.log(`${label}`);
  console.log(`  pipeline : ${rows.toLocaleString("en")} rows in ${m.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString("en")} rows/s; RSS ${Math.round(m.startMb)} → peak ${Math.round(m.peakMb)} MB; ` +
    `live heap ${Math.round(m.heapBeforeMb)} → ${Math.round(m.heapAfterMb)} MB (the per-file results returned); CPU ${m.cpuSeconds.toFixed(1)} s`);
  console.log(`  of which : indicator roll-ups (updateDerived) ${derivedSeconds.toFixed(1)} s; the import itself ${own.toFixed(1)} s = ${Math.round(rows / own).toLocaleString("en")} rows/s`);
  console.log(`  bare     : ${Math.round(bare).toLocaleString("en")} rows/s (one prepared INSERT, one transaction)`);
  console.log(`  ratio    : pipeline takes ${(bare / rate).toFixed(1)}× the bare insert time`);
}

function summary(outcomes: FileOutcome[]) {
  const by = new Map<string, number>();
  for (const o of outcomes) by.set(o.status, (by.get(o.status) ?? 0) + 1);
  const rows = outcomes.reduce((n, o) => n + o.counts.new + o.counts.updated + o.counts.unchanged, 0);
  return `${outcomes.length.toLocaleString("en")} file(s) ${JSON.stringify(Object.fromEntries(by))}, ${rows.toLocaleString("en")} rows`;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-bench-"));
  try {
    setInstallationSecret("bench-secret-bench-secret-bench-secret");
    const zipFile = path.join(dir, "envelopes.zip");
    const csvFile = path.join(dir, "ket-qua-gui.csv");
    const started = performance.now();
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--generate", dir], { stdio: "inherit" });
    console.log(`Generated ${VISITS.toLocaleString("en")} envelopes (${(fs.statSync(zipFile).size / 2 ** 20).toFixed(0)} MB zip) and ` +
      `${RECEIPTS.toLocaleString("en")} receipts (${(fs.statSync(csvFile).size / 2 ** 20).toFixed(0)} MB CSV) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    const url = `file:${path.join(dir, "bench.sqlite")}`;
    const db = await openMigratedDatabase(url);
    const ward = await ensureWard(db);
    // Files are accepted only from facilities in the ward's catalogue.
    await addFacility(db, ward.id, { code: FACILITY, name: "Trạm Y tế (đo)", kind: "tram_y_te" });
    const actor = { wardId: ward.id, userId: null, tokenId: null, channel: "cli" as const, role: null, blockId: null };

    const xmlTiming = { derivedSeconds: 0 };
    const xml = await measured(() => importFiles(db, actor, [{ name: "envelopes.zip", path: zipFile }], { timing: xmlTiming }));
    console.log(`XML: ${summary(xml.value)}`);
    const csvTiming = { derivedSeconds: 0 };
    const csv = await measured(() => importFiles(db, actor, [{ name: "ket-qua-gui.csv", path: csvFile }], { timing: csvTiming }));
    console.log(`CSV: ${summary(csv.value)}\n`);
    const one = await oneReceiptFiles(db, actor, dir, 20);
    const month = stamp(VISITS - 1).slice(0, 6);
    await db.destroy();

    const bareVisits = bareInserts(sqlitePathOf(url), "visit", VISITS);
    const bareReceipts = bareInserts(sqlitePathOf(url), "gateway_receipt", RECEIPTS);
    report(`XML envelopes → visits (.zip of ${VISITS.toLocaleString("en")} one-visit files)`, VISITS, xml, xmlTiming.derivedSeconds, bareVisits);
    report(`CSV gateway receipts (${RECEIPTS.toLocaleString("en")} rows)`, RECEIPTS, csv, csvTiming.derivedSeconds, bareReceipts);
    console.log(`One-receipt files into that ward (20, for visits of ${month.slice(0, 4)}-${month.slice(4)}, ` +
      `a visit every 5 minutes: about ${Math.round((30.4 * 24 * 60) / 5).toLocaleString("en")} a month): median ${median(one.total).toFixed(0)} ms, ` +
      `max ${Math.max(...one.total).toFixed(0)} ms; of which roll-ups median ${median(one.derived).toFixed(0)} ms, max ${Math.max(...one.derived).toFixed(0)} ms`);
    console.log(`\nTargets: XML ≥ 5,000 visits/s, CSV ≥ 50,000 rows/s, flat memory.`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const generateInto = process.argv.indexOf("--generate");
if (generateInto > 0) {
  const dir = process.argv[generateInto + 1];
  await writeZip(path.join(dir, "envelopes.zip"));
  await writeCsv(path.join(dir, "ket-qua-gui.csv"));
} else {
  await main();
}
