import { describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./db.server";
import { ensureWard, listBlocks } from "./ward.server";
import { createTarget, deleteTarget, listTargets, TargetError, updateTarget } from "./targets.server";

describe("targets", () => {
  it("creates, changes and deletes targets, with the period in canonical form", async () => {
    const db = await openMigratedDatabase(":memory:");
    const { id: wardId } = await ensureWard(db);
    const [block1] = await listBlocks(db, wardId);
    const ward = await createTarget(db, wardId, { indicator: "i1.rate", blockId: null, period: "2026-q1", threshold: 0.9 });
    const block = await createTarget(db, wardId, { indicator: "i4.fullyOnboarded.rate", blockId: block1.id, period: "2026", threshold: 0.5 });
    expect(await listTargets(db, wardId)).toEqual([
      { id: block, indicator: "i4.fullyOnboarded.rate", blockId: block1.id, period: "2026", threshold: 0.5 },
      { id: ward, indicator: "i1.rate", blockId: null, period: "2026-Q1", threshold: 0.9 },
    ]);
    await updateTarget(db, wardId, ward, { indicator: "i1.rate", blockId: null, period: "2026-Q1", threshold: 0.95 });
    await deleteTarget(db, wardId, block);
    expect((await listTargets(db, wardId)).map((t) => t.threshold)).toEqual([0.95]);
    await expect(deleteTarget(db, wardId, block)).rejects.toThrow(TargetError);
  });

  it("refuses an unknown figure, a block scope the figure cannot have, a bad period or threshold", async () => {
    const db = await openMigratedDatabase(":memory:");
    const { id: wardId } = await ensureWard(db);
    const [block1] = await listBlocks(db, wardId);
    const base = { indicator: "i1.rate", blockId: null, period: "2026", threshold: 0.9 };
    await expect(createTarget(db, wardId, { ...base, indicator: "i9.rate" })).rejects.toThrow(/Chỉ số/);
    await expect(createTarget(db, wardId, { ...base, blockId: block1.id })).rejects.toThrow(/toàn phường/);
    await expect(createTarget(db, wardId, { ...base, period: "2026-Q5" })).rejects.toThrow(TargetError);
    await expect(createTarget(db, wardId, { ...base, threshold: 90 })).rejects.toThrow(/0 đến 1/);
    await expect(createTarget(db, wardId, { ...base, indicator: "i2.sent", threshold: 10.5 })).rejects.toThrow(/nguyên/);
    expect(await listTargets(db, wardId)).toEqual([]);
  });
});
