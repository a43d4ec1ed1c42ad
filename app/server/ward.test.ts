import { describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./db.server";
import { ensureWard, getSetting, listBlocks, SETTING_DEFAULTS, setSetting } from "./ward.server";

describe("ward", () => {
  it("creates the default ward with nine blocks once, with the seed's settings", async () => {
    const db = await openMigratedDatabase(":memory:");
    const ward = await ensureWard(db);
    expect(await ensureWard(db)).toEqual(ward);
    expect(await db.selectFrom("ward").selectAll().execute()).toHaveLength(1);
    expect((await listBlocks(db, ward.id)).map((b) => b.name)).toEqual(Array.from({ length: 9 }, (_, i) => `Khối ${i + 1}`));
    expect((await getSetting(db, ward.id, "recipients")).map((r) => r.name)).toEqual(["UBND thị xã", "Trung tâm Y tế thị xã"]);
    expect((await getSetting(db, ward.id, "visitTypeGroups")).linh_thuoc).toEqual(["07"]);
  });

  it("reads back what was written, and falls back to the default on a damaged value", async () => {
    const db = await openMigratedDatabase(":memory:");
    const { id } = await ensureWard(db);
    await setSetting(db, id, "signer", { onBehalf: "TM. ỦY BAN NHÂN DÂN", title: "CHỦ TỊCH", name: "Nguyễn Văn A" });
    expect(await getSetting(db, id, "signer")).toEqual({ onBehalf: "TM. ỦY BAN NHÂN DÂN", title: "CHỦ TỊCH", name: "Nguyễn Văn A" });
    await db.updateTable("setting").set({ value: "{not json" }).where("key", "=", "signer").execute();
    expect(await getSetting(db, id, "signer")).toEqual(SETTING_DEFAULTS.signer);
    await expect(setSetting(db, id, "recipients", [{ name: "", shortName: "" }])).rejects.toThrow();
  });
});
