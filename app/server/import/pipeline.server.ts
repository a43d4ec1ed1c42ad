// The one import pipeline behind the upload page, the command line, the HTTP API and the
// demo generator: recognise → read → validate → (preview) → write, per file.
//
// Atomicity, as FORMATS.md says: a file is read and validated whole before anything of
// it is committed, and its valid rows are written in one transaction (or none are).
// - A file with some invalid rows writes its valid rows; the invalid ones are listed
//   with line and reason (status "committed" or "unchanged").
// - A file is REFUSED whole — nothing of it written — when it cannot be read as a whole
//   (malformed XML or CSV, unknown kind, DOCTYPE, a broken envelope, a size limit), when
//   it holds rows outside the sender's scope (another block, another facility), when the
//   role may not feed its kind, or when not one of its rows is valid.
// - An activities file whose content was imported before is refused as a duplicate.
// Large files stream through one transaction that commits only at the end. Small XML
// envelopes (a month is thousands of one-visit files) are read whole, then written in
// groups: one transaction per group, in which each file still has its own batch row and
// counts — a group holds only files already fully validated, so it commits or fails whole.
// Imports of one ward are serialised by a lock on its row (lockWard).
// A dry run (the upload preview) does all of it inside one transaction rolled back at the
// end, except the indicator roll-ups, which nothing of a preview reads.
import crypto from "node:crypto";
import type { ControlledTransaction } from "kysely";
import type { Database } from "../../../db/schema";
import { can, isBlockScoped, ROLE_LABELS, type Role } from "../../domain/permissions";
import { maskDigitRuns } from "../../domain/redact";
import { audit } from "../audit.server";
import { sha256Hex } from "../crypto.server";
import type { DB } from "../db.server";
import { updateDerived } from "../metrics/derived.server";
import { contentHashOf, openSource, xmlKindOf, type OpenSource } from "./formats.server";
import { writeErrorReports } from "./error-report.server";
import { lockWard } from "../metrics/derived.server";
import { DerivedKeys, type Counts, type FileTally, type Item, type KindHandler, type Trx, type ValidateContext } from "./handler.server";
import { IssueList, RefusedError, type Issue } from "./issues";
import { activities } from "./kinds/activities.server";
import { displays } from "./kinds/displays.server";
import { facilities } from "./kinds/facilities.server";
import { onboarding } from "./kinds/onboarding.server";
import { population } from "./kinds/population.server";
import { receipts } from "./kinds/receipts.server";
import { visits } from "./kinds/visits.server";
import { acceptedKindsMessage, FACILITY_KINDS, KIND_LABELS, KIND_PERMISSION, kindsFor, type SourceKind } from "./kinds";
import { importLimits, type ImportLimits } from "./limits.server";
import { BlockDirectory, FacilityRegistry } from "./references.server";
import { unitsOf, type FileInput, type ImportUnit } from "./sources.server";
import { objectRecords } from "./tabular.server";
import { getSetting } from "../ward.server";
import { readCheckin, readEnvelope, type ParsedRecord } from "./xml.server";

export type { SourceKind } from "./kinds";
export type { FileInput } from "./sources.server";
export type { Issue } from "./issues";

export interface ImportActor {
  wardId: number;
  userId: number | null;
  tokenId: number | null;
  /** "form": one row typed on a page (the phone forms), validated like a file's row. */
  channel: "upload" | "cli" | "api" | "form";
  /** null = the command line, trusted with every source. */
  role: Role | null;
  blockId: number | null;
  username?: string | null;
  /** An API token scoped to one facility may send that facility's rows only. */
  facilityCode?: string | null;
  ip?: string | null;
}

export type FileStatus = "committed" | "unchanged" | "refused" | "duplicate" | "preview";

export interface FileOutcome {
  name: string;
  kind: SourceKind | null;
  status: FileStatus;
  counts: Counts;
  errors: Issue[];
  warnings: Issue[];
  /** Errors and warnings beyond those listed. */
  moreErrors: number;
  moreWarnings: number;
  batchId: number | null;
  contentHash: string | null;
  /** The file's error report in `ImportOptions.errorReports`, when it has rows in error. */
  errorReport?: string;
}

export interface ImportProgress {
  done: number;
  /** Files known so far (archives add their entries when opened). */
  total: number;
  name: string;
}

export interface ImportOptions {
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * A private folder to write each file's complete error report into (error-report.server.ts),
   * once the import is over; the upload page's preview folder.
   */
  errorReports?: string;
  /** Filled in when given: the time spent in the indicator roll-ups (benchmarks). */
  timing?: { derivedSeconds: number };
}

const HANDLERS: Record<SourceKind, KindHandler<object>> = {
  visits_xml: visits,
  checkin_xml: visits,
  visits_table: visits,
  receipts,
  displays,
  onboarding,
  population,
  activities,
  facilities,
};

/** XML files up to this size are read whole and written in groups. */
const SMALL_XML_BYTES = 256 * 1024;
const GROUP_FILES = 2000;
const GROUP_ROWS = 5000;
/** Valid rows written per step of a streamed file. */
const WRITE_ROWS = 500;
/** Records (or residents) whose roll-ups a streamed file may leave pending: bounds the memory of their keys. */
const DERIVE_KEYS = 200_000;

export async function importFiles(db: DB, actor: ImportActor, files: FileInput[], opts: ImportOptions = {}): Promise<FileOutcome[]> {
  const session = await ImportSession.start(db, actor, opts, files.length);
  try {
    const read: Array<{ input: FileInput; outcomes: FileOutcome[] }> = [];
    for (const input of files) {
      const first = session.outcomes.length;
      for await (const unit of unitsOf(input, session.limits, (entries) => session.expect(entries - 1))) {
        try {
          await session.importUnit(unit);
        } finally {
          unit.cleanup?.();
        }
      }
      read.push({ input, outcomes: session.outcomes.slice(first) });
    }
    const outcomes = await session.finish();
    if (opts.errorReports) await writeErrorReports(read, session.errorsOf, opts.errorReports, session.limits);
    return outcomes;
  } catch (error) {
    await session.abort();
    throw error;
  }
}

/** Rows keyed by CSV column names (or labels, or the gateway's names): the JSON API and the demo generator. */
export async function importRows(
  db: DB,
  actor: ImportActor,
  kind: SourceKind,
  name: string,
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  opts: ImportOptions = {},
): Promise<FileOutcome> {
  const session = await ImportSession.start(db, actor, opts, 1);
  try {
    const hash = crypto.createHash("sha256");
    const hashed = (async function* () {
      for await (const row of rows) {
        hash.update(JSON.stringify(row) + "\n");
        yield row;
      }
    })();
    const tableKind = kind === "visits_xml" || kind === "checkin_xml" ? "visits_table" : kind;
    await session.importStream(name, async () => ({ kind, records: objectRecords(tableKind, hashed) }), () => hash.digest("hex"));
    return (await session.finish())[0];
  } catch (error) {
    await session.abort();
    throw error;
  }
}

interface QueuedFile {
  outcome: FileOutcome;
  tally: FileTally;
  hash: string;
  items: Item<object>[];
}

class ImportSession {
  readonly outcomes: FileOutcome[] = [];
  /** Every error of each file, when its error report is asked for. */
  readonly errorsOf = new Map<FileOutcome, Issue[]>();
  readonly limits: ImportLimits;
  private readonly now = Math.floor(Date.now() / 1000);
  /** One key per run: the history shows a run's files as one upload. */
  private readonly uploadKey = crypto.randomUUID();
  private group: { kind: SourceKind; files: QueuedFile[]; rows: number } | null = null;
  private readonly activityHashes = new Set<string>();
  private savepoints = 0;
  private done = 0;

  private constructor(
    private readonly db: DB,
    private readonly actor: ImportActor,
    private readonly opts: ImportOptions,
    private readonly blocks: BlockDirectory,
    private readonly facilities: FacilityRegistry,
    /** A dry run's transaction, rolled back at the end; null when writing for real. */
    private readonly outer: ControlledTransaction<Database> | null,
    private total: number,
  ) {
    this.limits = importLimits();
  }

  static async start(db: DB, actor: ImportActor, opts: ImportOptions, total: number): Promise<ImportSession> {
    const blocks = await BlockDirectory.load(db, actor.wardId);
    const facilities = await FacilityRegistry.load(db, actor.wardId, await getSetting(db, actor.wardId, "facilityAutoRegister"));
    const outer = opts.dryRun ? await db.startTransaction().execute() : null;
    if (outer) await lockWard(outer, actor.wardId);
    return new ImportSession(db, actor, opts, blocks, facilities, outer, total);
  }

  expect(more: number) {
    this.total += more;
  }

  async importUnit(unit: ImportUnit): Promise<void> {
    if (unit.refused) {
      await this.refuse(this.newOutcome(unit.name), this.newTally(), new RefusedError(unit.refused), null);
      return this.progress(unit.name);
    }
    const xmlKind = unit.bytes && unit.size <= SMALL_XML_BYTES ? xmlKindOf(unit.bytes.subarray(0, 4096)) : null;
    if (xmlKind) {
      await this.queueSmallXml(unit, xmlKind);
    } else {
      await this.flushGroup(); // files write in the order given
      await this.importStream(unit.name, () => openSource(unit, this.limits), await contentHashOf(unit));
    }
    this.progress(unit.name);
  }

  /** A small envelope or check-in file: read and validated whole now, written with its group. */
  private async queueSmallXml(unit: ImportUnit, kind: "visits_xml" | "checkin_xml") {
    const outcome = this.newOutcome(unit.name, kind);
    const tally = this.newTally();
    const hash = sha256Hex(unit.bytes!);
    try {
      this.checkPermission(kind);
      const whole = [unit.bytes!]; // small: one chunk, no stream
      const records = kind === "visits_xml" ? readEnvelope(whole, this.limits) : readCheckin(whole);
      const items: Item<object>[] = [];
      for await (const record of guardReading(records)) {
        const item = this.validate(kind, record, tally);
        if (item) items.push(item);
      }
      if (items.length === 0) throw new RefusedError(nothingValid(tally));
      if (this.group && this.group.files.length >= GROUP_FILES) await this.flushGroup();
      if (this.group && (this.group.rows >= GROUP_ROWS || HANDLERS[this.group.kind] !== HANDLERS[kind])) await this.flushGroup();
      this.group ??= { kind, files: [], rows: 0 };
      this.group.files.push({ outcome, tally, hash, items });
      this.group.rows += items.length;
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      await this.refuse(outcome, tally, error, hash);
    }
  }

  private async flushGroup() {
    const group = this.group;
    if (!group) return;
    this.group = null;
    await this.inScope(async (trx) => {
      const derived = new DerivedKeys();
      const apply = await HANDLERS[group.kind].plan(this.writeContext(trx, derived), group.files.flatMap((f) => f.items));
      const ids = await this.insertBatches(trx, group.files.map((f) => ({ ...f, status: statusOf(f.tally) })));
      group.files.forEach((f, i) => (f.tally.batchId = ids[i]));
      await apply();
      await this.derive(trx, derived);
      return { keep: true, value: undefined };
    });
    for (const f of group.files) this.settle(f.outcome, f.tally, statusOf(f.tally), f.hash);
  }

  /**
   * A file read as a stream (or API rows): written step by step in one transaction,
   * committed at the end. `hash` is the file's content hash, or for rows a function that
   * gives it once all are read.
   */
  async importStream(name: string, open: () => Promise<OpenSource>, hash: string | (() => string)): Promise<void> {
    const outcome = this.newOutcome(name);
    const tally = this.newTally();
    let contentHash: string | null = null;
    let closeReader: (() => unknown) | undefined;
    try {
      const status = await this.inScope(async (trx) => {
        const source = await open();
        // However the file ends (refused for its kind after the header, say), its reader stops reading.
        closeReader = () => (source.records as Partial<AsyncGenerator<ParsedRecord>>).return?.(undefined);
        outcome.kind = source.kind;
        this.checkPermission(source.kind);
        const handler = HANDLERS[source.kind];
        tally.batchId = await this.insertBatches(trx, [{ outcome, tally, hash: "", status: "committed" }]).then((ids) => ids[0]);
        let buffer: Item<object>[] = [];
        const derived = new DerivedKeys();
        for await (const record of guardReading(source.records)) {
          const item = this.validate(source.kind, record, tally);
          if (item) buffer.push(item);
          if (buffer.length >= WRITE_ROWS) {
            await this.write(trx, handler, buffer, derived);
            buffer = [];
          }
        }
        if (buffer.length) await this.write(trx, handler, buffer, derived);
        await this.derive(trx, derived);
        contentHash = typeof hash === "string" ? hash : hash();
        if (source.kind === "activities" && this.actor.channel !== "form" && (await this.importedBefore(trx, contentHash))) return { keep: false, value: "duplicate" as const };
        const status = statusOf(tally);
        if (status === "refused") throw new RefusedError(nothingValid(tally));
        await trx.updateTable("import_batch").set(this.batchValues(outcome, tally, status, contentHash)).where("id", "=", tally.batchId).execute();
        if (source.kind === "activities") this.activityHashes.add(contentHash);
        return { keep: true, value: status };
      });
      if (status === "duplicate") {
        await this.refuse(outcome, tally, new RefusedError("Tệp hoạt động này đã được nhập trước đây (trùng nội dung): không nhập lại."), contentHash, "duplicate");
      } else {
        this.settle(outcome, tally, status, contentHash);
      }
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      await this.refuse(outcome, tally, error, contentHash ?? (typeof hash === "string" ? hash : null));
    } finally {
      await closeReader?.();
    }
  }

  private validate(kind: SourceKind, record: ParsedRecord, tally: FileTally): Item<object> | null {
    if ("errors" in record) {
      tally.counts.invalid++;
      for (const e of record.errors) tally.errors.add(e);
      return null;
    }
    const unreadable = unreadableText(record.raw);
    if (unreadable) {
      tally.counts.invalid++;
      tally.errors.add({ line: record.line, field: unreadable.field, reason: unreadable.reason });
      return null;
    }
    const result = HANDLERS[kind].validate(record.raw, record.line, this.validateContext(kind));
    for (const w of result.warnings) tally.warnings.add(w);
    if (!result.row) {
      tally.counts.invalid++;
      for (const e of result.errors) tally.errors.add(e);
      return null;
    }
    const facilityCode = HANDLERS[kind].scope(result.row).facilityCode;
    if (facilityCode !== undefined && !this.facilities.accepts(facilityCode)) {
      tally.counts.invalid++;
      tally.errors.add({ line: record.line, field: "ma_cskcb", reason: unknownFacility(facilityCode) });
      return null;
    }
    this.checkScope(kind, result.row, record.line);
    return { row: result.row, line: record.line, file: tally };
  }

  private validateContext(kind: SourceKind): ValidateContext {
    const visitSource = kind === "visits_xml" ? "xml1" : kind === "checkin_xml" ? "checkin" : this.actor.channel === "api" ? "api" : "csv";
    const ownBlockId = this.actor.role && isBlockScoped(this.actor.role) ? this.actor.blockId : null;
    return { blocks: this.blocks, visitSource, ownBlockId };
  }

  private checkPermission(kind: SourceKind) {
    const { role, facilityCode } = this.actor;
    if (role && !can(role, KIND_PERMISSION[kind])) {
      throw new RefusedError(`Tài khoản ${ROLE_LABELS[role]} không được nhập loại dữ liệu "${KIND_LABELS[kind]}".`);
    }
    if (facilityCode && !FACILITY_KINDS.has(kind)) {
      throw new RefusedError(`Khóa API của cơ sở ${facilityCode} không được gửi loại dữ liệu "${KIND_LABELS[kind]}".`);
    }
  }

  /** Rows of another facility (facility token) or another block (block committee) refuse the whole file. */
  private checkScope(kind: SourceKind, row: object, line: number | null) {
    const scope = HANDLERS[kind].scope(row);
    const { role, blockId, facilityCode } = this.actor;
    if (facilityCode && scope.facilityCode !== undefined && scope.facilityCode !== facilityCode) {
      throw new RefusedError(`Khóa API chỉ được gửi dữ liệu của cơ sở ${facilityCode}; dòng ${line} thuộc cơ sở ${scope.facilityCode}.`, line);
    }
    if (role && isBlockScoped(role) && scope.blockId !== undefined && scope.blockId !== blockId) {
      const other = scope.blockId === null ? "toàn phường" : (this.blocks.byId(scope.blockId)?.name ?? "khối khác");
      const own = blockId === null ? "" : ` (${this.blocks.byId(blockId)?.name ?? ""})`;
      throw new RefusedError(`Ban cán sự khối chỉ được nhập dữ liệu của khối mình${own}; dòng ${line} thuộc ${other}. Tệp không được nhập.`, line);
    }
  }

  private writeContext(trx: Trx, derived: DerivedKeys) {
    const { role, blockId } = this.actor;
    const ownBlock = role && isBlockScoped(role) && blockId !== null ? { id: blockId, blocks: this.blocks } : null;
    return { trx, wardId: this.actor.wardId, facilities: this.facilities, derived, now: this.now, ownBlock };
  }

  /**
   * One step of a streamed file. The roll-ups of the records it touched are brought up to
   * date at the end of the file (or once DERIVE_KEYS records are pending), still inside
   * its transaction: a record that several steps touch — a gateway file's rejections
   * and resubmissions — is read and summarised once, not once per step.
   */
  private async write(trx: Trx, handler: KindHandler<object>, items: Item<object>[], derived: DerivedKeys) {
    const apply = await handler.plan(this.writeContext(trx, derived), items);
    await apply();
    if (derived.size >= DERIVE_KEYS) await this.derive(trx, derived);
  }

  /** The indicator roll-ups of every record / resident the write touched, in the same transaction. */
  private async derive(trx: Trx, derived: DerivedKeys) {
    if (derived.size === 0) return;
    if (this.outer) return derived.clear(); // a dry run is rolled back: its roll-ups would be thrown away
    const started = performance.now();
    await updateDerived(trx, { records: [...derived.records.values()], residents: [...derived.residents] });
    derived.clear();
    if (this.opts.timing) this.opts.timing.derivedSeconds += (performance.now() - started) / 1000;
  }

  private async importedBefore(trx: Trx, contentHash: string): Promise<boolean> {
    if (this.activityHashes.has(contentHash)) return true;
    const row = await trx
      .selectFrom("import_batch")
      .select("id")
      .where("ward_id", "=", this.actor.wardId)
      .where("kind", "=", "activities")
      .where("content_hash", "=", contentHash)
      .where("status", "=", "committed")
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Nothing of the file is kept; its batch row says why. */
  private async refuse(outcome: FileOutcome, tally: FileTally, reason: RefusedError, contentHash: string | null, status: "refused" | "duplicate" = "refused") {
    tally.counts.new = tally.counts.updated = tally.counts.unchanged = 0;
    const errors = new IssueList(tally.errors.all !== null);
    // A refusal that lists the accepted kinds lists only those this account may import.
    const said = reason.reason.replace(acceptedKindsMessage(), acceptedKindsMessage(kindsFor(this.actor.role)));
    errors.add({ line: reason.line, reason: said });
    for (const e of tally.errors.all ?? tally.errors.items) errors.add(e);
    if (!tally.errors.all) errors.total += tally.errors.omitted;
    tally.errors = errors;
    tally.batchId = await this.inScope(async (trx) => {
      const [id] = await this.insertBatches(trx, [{ outcome, tally, hash: contentHash ?? "", status }]);
      return { keep: true, value: id };
    });
    this.settle(outcome, tally, status, contentHash);
  }

  private async insertBatches(trx: Trx, files: Array<{ outcome: FileOutcome; tally: FileTally; hash: string; status: StoredStatus }>): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < files.length; i += 200) {
      const chunk = files.slice(i, i + 200);
      const rows = await trx
        .insertInto("import_batch")
        .values(chunk.map((f) => ({
          ward_id: this.actor.wardId,
          user_id: this.actor.userId,
          token_id: this.actor.tokenId,
          channel: this.actor.channel,
          file_name: f.outcome.name.slice(0, 500),
          created_at: this.now,
          upload_key: this.uploadKey,
          ...this.batchValues(f.outcome, f.tally, f.status, f.hash),
        })))
        .returning(["id", "file_name"])
        .execute();
      // One multi-row INSERT returns its rows in VALUES order; checked rather than assumed.
      rows.forEach((r, j) => {
        if (r.file_name !== chunk[j].outcome.name.slice(0, 500)) throw new Error("import_batch ids came back out of order");
      });
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }

  private batchValues(outcome: FileOutcome, tally: FileTally, status: StoredStatus, contentHash: string) {
    const issues = tally.errors.total + tally.warnings.total;
    return {
      content_hash: contentHash,
      kind: outcome.kind,
      status,
      new_rows: tally.counts.new,
      updated_rows: tally.counts.updated,
      unchanged_rows: tally.counts.unchanged,
      invalid_rows: tally.counts.invalid,
      errors_json: issues
        ? JSON.stringify({ errors: tally.errors.items, warnings: tally.warnings.items, moreErrors: tally.errors.omitted, moreWarnings: tally.warnings.omitted })
        : null,
      committed_at: status === "committed" || status === "unchanged" ? this.now : null,
    };
  }

  /**
   * Runs `work` in its own transaction (a savepoint of the dry run's), committed when it
   * says keep, rolled back when it says not or throws.
   */
  private async inScope<T>(work: (trx: Trx) => Promise<{ keep: boolean; value: T }>): Promise<T> {
    const mark = this.facilities.mark();
    let trx: Trx;
    let end: (keep: boolean) => Promise<unknown>;
    if (this.outer) {
      const name = `import_${++this.savepoints}`;
      const savepoint = await this.outer.savepoint(name).execute();
      trx = savepoint;
      end = async (keep) => {
        if (!keep) await savepoint.rollbackToSavepoint(name).execute();
        await savepoint.releaseSavepoint(name).execute();
      };
    } else {
      const transaction = await this.db.startTransaction().execute();
      await lockWard(transaction, this.actor.wardId);
      trx = transaction;
      end = (keep) => (keep ? transaction.commit() : transaction.rollback()).execute();
    }
    let result: { keep: boolean; value: T };
    try {
      result = await work(trx);
    } catch (error) {
      this.facilities.rollbackTo(mark);
      await end(false);
      throw error;
    }
    if (!result.keep) this.facilities.rollbackTo(mark);
    await end(result.keep);
    return result.value;
  }

  private newTally(): FileTally {
    return { counts: { new: 0, updated: 0, unchanged: 0, invalid: 0 }, errors: new IssueList(this.opts.errorReports !== undefined), warnings: new IssueList(), batchId: null };
  }

  private newOutcome(name: string, kind: SourceKind | null = null): FileOutcome {
    const outcome: FileOutcome = {
      // What is stored and audited of the name: a personal ID in it keeps its last 4 digits only.
      name: maskDigitRuns(name), kind, status: "refused", counts: { new: 0, updated: 0, unchanged: 0, invalid: 0 },
      errors: [], warnings: [], moreErrors: 0, moreWarnings: 0, batchId: null, contentHash: null,
    };
    this.outcomes.push(outcome);
    return outcome;
  }

  private settle(outcome: FileOutcome, tally: FileTally, status: StoredStatus, contentHash: string | null) {
    const written = status === "committed" || status === "unchanged";
    outcome.status = written && this.outer ? "preview" : status;
    outcome.counts = { ...tally.counts };
    outcome.errors = tally.errors.items;
    outcome.warnings = tally.warnings.items;
    outcome.moreErrors = tally.errors.omitted;
    outcome.moreWarnings = tally.warnings.omitted;
    outcome.batchId = this.outer ? null : tally.batchId;
    outcome.contentHash = contentHash;
    // A report gives back rows in error; a file refused as a whole (its header, its kind) has none.
    if (tally.errors.all && tally.counts.invalid > 0) this.errorsOf.set(outcome, tally.errors.all);
  }

  private progress(name: string) {
    this.done++;
    this.opts.onProgress?.({ done: this.done, total: Math.max(this.total, this.done), name });
  }

  async finish(): Promise<FileOutcome[]> {
    await this.flushGroup();
    if (this.outer) {
      await this.outer.rollback().execute();
      return this.outcomes;
    }
    await this.auditOutcomes();
    return this.outcomes;
  }

  async abort() {
    if (this.outer && !this.outer.isCommitted && !this.outer.isRolledBack) await this.outer.rollback().execute();
  }

  /** One audit entry for the files taken, one for the files refused (each file has its batch row). */
  private async auditOutcomes() {
    const { actor } = this;
    const base = { wardId: actor.wardId, userId: actor.userId, username: actor.username ?? null, ip: actor.ip ?? null };
    const taken = this.outcomes.filter((o) => o.status === "committed" || o.status === "unchanged");
    const refused = this.outcomes.filter((o) => o.status === "refused" || o.status === "duplicate");
    const sum = (key: keyof Counts, list: FileOutcome[]) => list.reduce((n, o) => n + o.counts[key], 0);
    if (taken.length) {
      await audit(this.db, {
        ...base, action: "import", target: taken.length === 1 ? taken[0].name : `${taken.length} tệp`,
        detail: {
          channel: actor.channel, tokenId: actor.tokenId, files: taken.length,
          new: sum("new", taken), updated: sum("updated", taken), unchanged: sum("unchanged", taken), invalid: sum("invalid", taken),
          batches: [taken[0].batchId, taken[taken.length - 1].batchId],
        },
      });
    }
    if (refused.length) {
      await audit(this.db, {
        ...base, action: "import_refused", target: refused.length === 1 ? refused[0].name : `${refused.length} tệp`,
        detail: {
          channel: actor.channel, tokenId: actor.tokenId, files: refused.length,
          first: refused.slice(0, 20).map((o) => ({ name: o.name, status: o.status, reason: o.errors[0]?.reason ?? null, batchId: o.batchId })),
        },
      });
    }
  }
}

type StoredStatus = "committed" | "unchanged" | "refused" | "duplicate";

function statusOf(tally: FileTally): StoredStatus {
  const { new: added, updated, unchanged } = tally.counts;
  if (added + updated > 0) return "committed";
  return unchanged > 0 ? "unchanged" : "refused";
}

/** FORMATS.md §8: a mistyped code never becomes a phantom facility. */
export const unknownFacility = (code: string) =>
  `Cơ sở KCB ${code} chưa có trong danh mục của phường (thêm ở Danh mục → Cơ sở KCB, hoặc nhập tệp danh mục cơ sở trước).`;

function nothingValid(tally: FileTally): string {
  return tally.counts.invalid > 0 ? `Không có dòng hợp lệ nào (${tally.counts.invalid} dòng lỗi).` : "Tệp không có dòng dữ liệu nào.";
}


/**
 * A cell with bytes that are not UTF-8 (decoded as U+FFFD) or a NUL character: the file
 * was saved in another encoding or is damaged, and no value of it can be trusted.
 */
function unreadableText(raw: Record<string, unknown>): { field: string; reason: string } | null {
  for (const [field, value] of Object.entries(raw)) {
    if (typeof value !== "string") continue;
    if (value.includes("\u0000")) return { field, reason: "Ô có ký tự NUL (mã 0): tệp bị hỏng hoặc không phải văn bản; dòng không được nhập." };
    if (value.includes("\ufffd")) return { field, reason: "Ô có byte không phải mã UTF-8: hãy lưu tệp dạng UTF-8 rồi nhập lại; dòng không được nhập." };
  }
  return null;
}

/** Whatever goes wrong while reading a file is the file's fault: it refuses the file, never crashes the import. */
async function* guardReading(records: AsyncIterable<ParsedRecord>): AsyncGenerator<ParsedRecord> {
  const iterator = records[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<ParsedRecord>;
    try {
      next = await iterator.next();
    } catch (error) {
      if (error instanceof RefusedError) throw error;
      throw new RefusedError(`Không đọc được tệp: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (next.done) return;
    yield next.value;
  }
}
