// Residents helped to install VNeID, activate level 2 and link their card (FORMATS.md §5).
// Rows are stored as they come (the earliest date per resident and step, and the block
// of the latest step, are read from them); a row's identity is a hash of its content, so
// importing the same row again changes nothing.
import crypto from "node:crypto";
import { SUPPORT_UNIT_LABELS } from "../../../domain/codes";
import { checkPersonalId, lastFour } from "../../../domain/identifiers";
import { hashPersonalId } from "../../crypto.server";
import { chunked, countIn, type Item, type KindHandler, type Trx, type ValidateContext, type Validated } from "../handler.server";
import { columnLabel } from "../kinds";
import { RowReader, type RawRow } from "../row-reader";

export interface OnboardingRow {
  blockId: number;
  pidHash: string;
  pidLast4: string;
  vneidInstalledOn: string | null;
  level2ActivatedOn: string | null;
  bhytLinkedOn: string | null;
  supportUnit: string | null;
  identity: string;
}

function validate(raw: RawRow, line: number | null, ctx: ValidateContext): Validated<OnboardingRow> {
  const r = new RowReader(raw, line, (name) => columnLabel("onboarding", name));
  const block = r.block("khoi", ctx.blocks, { required: true });
  const pidText = r.personalId("so_dinh_danh", { required: true });
  const pid = pidText ? checkPersonalId(pidText) : null;
  if (pid && !pid.valid) r.error("so_dinh_danh", pid.reason);
  if (pid?.valid) for (const w of pid.warnings) r.warn("so_dinh_danh", w);
  const vneidInstalledOn = r.day("ngay_cai_vneid");
  const level2ActivatedOn = r.day("ngay_kich_hoat_muc2");
  const bhytLinkedOn = r.day("ngay_tich_hop_bhyt");
  // The support unit is read by no indicator and FORMATS.md §5 makes a row invalid only for
  // its personal ID or block: an unknown unit is a warning, and the row is kept without it.
  const supportUnit = r.optionalCode("don_vi_ho_tro", SUPPORT_UNIT_LABELS, "dòng vẫn được nhập");
  if (r.ok && !vneidInstalledOn && !level2ActivatedOn && !bhytLinkedOn) r.warn(undefined, "Dòng không có ngày nào của ba bước.");
  if (!r.ok || !block || !pid?.valid) return { row: null, errors: r.errors, warnings: r.warnings };
  const pidHash = hashPersonalId(pid.value);
  const content = [block.id, pidHash, vneidInstalledOn, level2ActivatedOn, bhytLinkedOn, supportUnit];
  return {
    row: {
      blockId: block.id, pidHash, pidLast4: lastFour(pid.value), vneidInstalledOn, level2ActivatedOn, bhytLinkedOn, supportUnit,
      identity: crypto.createHash("sha256").update(JSON.stringify(content)).digest("base64url"),
    },
    warnings: r.warnings,
  };
}

/**
 * The residents of `items` whose latest onboarding record is in a block other than `ownBlockId`,
 * with that block: a block committee's rows may not move them (the police or the
 * administrator may, their imports are not block-scoped).
 */
async function residentsOfOtherBlocks(trx: Trx, ownBlockId: number, items: Item<OnboardingRow>[]): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (const keys of chunked([...new Set(items.map((i) => i.row.pidHash))], 1)) {
    const rows = await trx.selectFrom("onboarding_record").select(["pid_hash", "block_id"]).where("pid_hash", "in", keys).orderBy("id").execute();
    for (const r of rows) latest.set(r.pid_hash, r.block_id); // the last one wins: the latest record
  }
  for (const [pid, block] of latest) if (block === ownBlockId) latest.delete(pid);
  return latest;
}

export const onboarding: KindHandler<OnboardingRow> = {
  validate,
  scope: (row) => ({ blockId: row.blockId }),

  async plan({ trx, derived, ownBlock }, items) {
    const movable = ownBlock ? await residentsOfOtherBlocks(trx, ownBlock.id, items) : new Map<string, number>();
    const known = new Set<string>();
    for (const keys of chunked([...new Set(items.map((i) => i.row.identity))], 1)) {
      const found = await trx.selectFrom("onboarding_record").select("identity").where("identity", "in", keys).execute();
      for (const f of found) known.add(f.identity);
    }
    const inserts: Item<OnboardingRow>[] = [];
    for (const item of items) {
      const recordedIn = movable.get(item.row.pidHash);
      if (recordedIn !== undefined) {
        const where = ownBlock!.blocks.byId(recordedIn)?.name ?? "khối khác";
        countIn(item.file, "invalid");
        item.file.errors.add({
          line: item.line, field: "so_dinh_danh",
          reason: `Người dân có số định danh …${item.row.pidLast4} đang được ghi nhận ở ${where}: Ban cán sự khối không được chuyển người dân của khối khác về khối mình. Đề nghị Công an phường hoặc quản trị hệ thống cập nhật.`,
        });
        continue;
      }
      if (known.has(item.row.identity)) {
        countIn(item.file, "unchanged");
        continue;
      }
      known.add(item.row.identity);
      inserts.push(item);
      countIn(item.file, "new");
      derived.residents.add(item.row.pidHash);
    }
    return async () => {
      const rows = inserts.map(({ row, file }) => ({
        block_id: row.blockId,
        pid_hash: row.pidHash,
        pid_last4: row.pidLast4,
        vneid_installed_on: row.vneidInstalledOn,
        level2_activated_on: row.level2ActivatedOn,
        bhyt_linked_on: row.bhytLinkedOn,
        support_unit: row.supportUnit,
        identity: row.identity,
        batch_id: file.batchId,
      }));
      for (const chunk of chunked(rows, 9)) await trx.insertInto("onboarding_record").values(chunk).execute();
    };
  },
};
