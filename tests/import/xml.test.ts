// The XML sources: GIAMDINHHS envelopes with base64 XML1 <TONG_HOP> payloads, and
// check-in files — what is read, what is refused, and what a record-level fault does.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { hashPersonalId } from "~/server/crypto.server";
import { localToEpoch } from "~/domain/time";
import { base64, checkinFile, cli, count, envelope, importOne, importTexts, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

const visit = (maLk: string, extra: Record<string, string> = {}) => ({
  MA_LK: maLk, MA_CSKCB: "38120", SO_CCCD: "040090001234", MA_THE_BHYT: "", NGAY_VAO: "202603040815", NGAY_RA: "202603040840", ...extra,
});

async function storedVisit(maLk: string) {
  return db.selectFrom("visit").selectAll().where("ma_lk", "=", maLk).executeTakeFirst();
}

describe("GIAMDINHHS envelopes", () => {
  it("reads the XML1 visit fields and stores hashes, never the personal details", async () => {
    const outcome = await importOne(db, cli(wardId), "a.xml", envelope([visit("LK1", { MA_THE_BHYT: "DN4404012345678" })]));
    expect(outcome).toMatchObject({ kind: "visits_xml", status: "committed", counts: { new: 1, updated: 0, unchanged: 0, invalid: 0 } });
    const v = await storedVisit("LK1");
    expect(v).toMatchObject({
      checkin_at: localToEpoch(2026, 3, 4, 8, 15), ended_at: localToEpoch(2026, 3, 4, 8, 40),
      pid_hash: hashPersonalId("040090001234"), pid_last4: "1234", card_last4: "5678",
      method: "so_dinh_danh", patient_key: `P:${hashPersonalId("040090001234")}`, visit_type: "01", subject_code: "1.1", source: "xml1",
    });
    expect(JSON.stringify(v)).not.toContain("040090001234");
    const facility = await db.selectFrom("facility").selectAll().where("id", "=", v!.facility_id).executeTakeFirstOrThrow();
    expect(facility).toMatchObject({ code: "38120", ward_id: wardId });
  });

  it("reads several HOSO, xmlns on TONG_HOP, and skips XML2… without decoding them", async () => {
    const text = envelope([visit("LK1"), visit("LK2")], {
      tongHopAttrs: ' xmlns="urn:qd4750" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      // XML2 carries a payload that is not even base64: it must not be looked at.
      extraFiles: "<FILEHOSO><LOAIHOSO>XML2</LOAIHOSO><NOIDUNGFILE>!!not base64!!</NOIDUNGFILE></FILEHOSO>",
    });
    expect(text).toContain("XML2");
    const outcome = await importOne(db, cli(wardId), "b.xml", text);
    expect(outcome).toMatchObject({ status: "committed", counts: { new: 2, updated: 0, unchanged: 0, invalid: 0 }, errors: [] });
    expect(await count(db, "visit")).toBe(2);
  });

  it("falls back to the envelope's MACSKCB when the record has no MA_CSKCB", async () => {
    await importOne(db, cli(wardId), "c.xml", envelope([visit("LK3", { MA_CSKCB: "" })], { facility: "38A15" }));
    const row = await db.selectFrom("visit").innerJoin("facility", "facility.id", "visit.facility_id").select("facility.code").executeTakeFirstOrThrow();
    expect(row.code).toBe("38A15");
  });

  it("keeps a visit with an invalid identifier as not identified (a warning, not an error)", async () => {
    const outcome = await importOne(db, cli(wardId), "d.xml", envelope([visit("LK4", { SO_CCCD: "12345", MA_THE_BHYT: "XX" })]));
    expect(outcome.status).toBe("committed");
    expect(outcome.counts.invalid).toBe(0);
    expect(outcome.warnings.map((w) => w.field)).toEqual(["so_cccd", "ma_the_bhyt"]);
    expect(await storedVisit("LK4")).toMatchObject({ pid_hash: null, card_hash: null, method: "khong", patient_key: null });
  });

  it.each([
    ["missing MA_LK", visit(""), /Thiếu MA_LK/],
    ["unparseable NGAY_VAO", visit("LK5", { NGAY_VAO: "2026-13-45" }), /NGAY_VAO không đúng định dạng/],
    ["NGAY_RA before NGAY_VAO", visit("LK6", { NGAY_RA: "202603040700" }), /NGAY_RA trước NGAY_VAO/],
  ])("an invalid record (%s) is listed with its line; the envelope's valid records are written", async (_, bad, reason) => {
    const outcome = await importOne(db, cli(wardId), "e.xml", envelope([visit("OK1"), bad]));
    expect(outcome.status).toBe("committed");
    expect(outcome.counts).toMatchObject({ new: 1, invalid: 1 });
    expect(outcome.errors[0].reason).toMatch(reason);
    expect(outcome.errors[0].line).toBe(7); // the line of the second <HOSO>
    expect(await count(db, "visit")).toBe(1);
  });

  it("refuses a one-visit envelope whose only record is invalid", async () => {
    const outcome = await importOne(db, cli(wardId), "f.xml", envelope([visit("LK7")], { payload: "@@@" }));
    expect(outcome.status).toBe("refused");
    expect(outcome.errors.map((e) => e.reason).join(" ")).toMatch(/base64/);
    expect(await count(db, "visit")).toBe(0);
  });

  it.each([
    ["inner document not well-formed", base64("<TONG_HOP><MA_LK>x</TONG_HOP>"), /không phải XML hợp lệ/],
    ["inner root not TONG_HOP", base64("<OTHER><MA_LK>x</MA_LK></OTHER>"), /không phải <TONG_HOP>/],
    ["inner bytes not UTF-8", Buffer.from([0x3c, 0x54, 0xff, 0xfe]).toString("base64"), /UTF-8/],
  ])("a HOSO whose XML1 is broken (%s) is an invalid record", async (_, payload, reason) => {
    const outcome = await importOne(db, cli(wardId), "g.xml", envelope([visit("LK8")], { payload }));
    expect(outcome.status).toBe("refused");
    expect(outcome.errors.map((e) => e.reason).join(" ")).toMatch(reason);
  });

  it.each([
    ["SOLUONGHOSO differs from the HOSO count", envelope([visit("A1"), visit("A2")], { count: "3" }), /SOLUONGHOSO ghi 3 nhưng tệp có 2 HOSO/],
    ["no HOSO at all", envelope([], { count: "0" }), /không có HOSO/],
    ["SOLUONGHOSO missing", envelope([visit("A1")]).replace(/<SOLUONGHOSO>1<\/SOLUONGHOSO>/, ""), /SOLUONGHOSO/],
    ["outer XML not well-formed", envelope([visit("A1")]).replace("</DANHSACHHOSO>", ""), /XML không hợp lệ/],
    ["unknown root element", "<?xml version=\"1.0\"?><HOSO_KHAC><A>1</A></HOSO_KHAC>", /Không nhận ra loại tệp XML.*phần tử gốc <HOSO_KHAC>.*Các loại tệp được chấp nhận/],
  ])("refuses the whole envelope when %s, writing nothing", async (_, text, reason) => {
    const outcome = await importOne(db, cli(wardId), "h.xml", text);
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toMatch(reason);
    expect(await count(db, "visit")).toBe(0);
    const batch = await db.selectFrom("import_batch").selectAll().executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ status: "refused", file_name: "h.xml", new_rows: 0 });
  });

  it("refuses a DOCTYPE outright, before the root and inside a payload, never expanding entities", async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE GIAMDINHHS [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><GIAMDINHHS><X>&b;</X></GIAMDINHHS>`;
    const external = `<?xml version="1.0"?><!DOCTYPE TONG_HOP [<!ENTITY x SYSTEM "file:///etc/passwd">]><TONG_HOP><MA_LK>&x;</MA_LK></TONG_HOP>`;
    const outcomes = await importTexts(db, cli(wardId), {
      "bomb.xml": bomb,
      "inner.xml": envelope([visit("LK9")], { payload: base64(external) }),
    });
    for (const o of outcomes) {
      expect(o.status).toBe("refused");
      expect(o.errors[0].reason).toMatch(/DOCTYPE/);
    }
    expect(await count(db, "visit")).toBe(0);
  });

  it("refuses a decoded payload over the limit", async () => {
    process.env.SSKDT_IMPORT_MAX_PAYLOAD_BYTES = "2000";
    try {
      const big = visit("LK10", { GHI_CHU: "x".repeat(5000) });
      const outcome = await importOne(db, cli(wardId), "big.xml", envelope([big]));
      expect(outcome.status).toBe("refused");
      expect(outcome.errors[0].reason).toMatch(/vượt quá giới hạn/);
    } finally {
      delete process.env.SSKDT_IMPORT_MAX_PAYLOAD_BYTES;
    }
  });

  it("recognises the kind from the content, whatever the file is called", async () => {
    const [a, b] = await importTexts(db, cli(wardId), {
      "ket-qua.csv": envelope([visit("LK11")]),
      "ho-so.xml": "ma_cskcb,ma_lk,thoi_gian_tiep_nhan,ma_ket_qua\n38120,LK11,20260304100000,200\n",
    });
    expect(a.kind).toBe("visits_xml");
    expect(b.kind).toBe("receipts");
  });
});

describe("check-in files", () => {
  it.each([
    ["CHI_TIEU_TRANG_THAI_KCB", (r: string) => `<CHI_TIEU_TRANG_THAI_KCB><DSACH_TRANG_THAI_KCB>${r}</DSACH_TRANG_THAI_KCB></CHI_TIEU_TRANG_THAI_KCB>`],
    ["DSACH_TRANG_THAI_KCB", (r: string) => `<DSACH_TRANG_THAI_KCB>${r}</DSACH_TRANG_THAI_KCB>`],
    ["TRANG_THAI_KCB", (r: string) => r],
  ])("reads a check-in file rooted at <%s> as open visits", async (_, wrap) => {
    const record = "<TRANG_THAI_KCB><MA_LK>CK1</MA_LK><HO_TEN>Lê Văn Thử</HO_TEN><SO_CCCD>040090001234</SO_CCCD><NGAY_VAO>202603040815</NGAY_VAO><NGAY_RA>202603040900</NGAY_RA><MA_CSKCB>38120</MA_CSKCB></TRANG_THAI_KCB>";
    const outcome = await importOne(db, cli(wardId), "checkin", `<?xml version="1.0"?>${wrap(record)}`);
    expect(outcome).toMatchObject({ kind: "checkin_xml", status: "committed", counts: { new: 1 } });
    expect(await storedVisit("CK1")).toMatchObject({ ended_at: null, source: "checkin", method: "so_dinh_danh" });
  });

  it("creates an open visit that the later XML1 completes; a late check-in does not reopen it", async () => {
    const v = { MA_LK: "CK2", MA_CSKCB: "38120", SO_CCCD: "040090001234", NGAY_VAO: "202603040815" };
    await importOne(db, cli(wardId), "checkin.xml", checkinFile([v]));
    expect(await storedVisit("CK2")).toMatchObject({ ended_at: null });
    const done = await importOne(db, cli(wardId), "xml1.xml", envelope([{ ...v, NGAY_RA: "202603040900" }]));
    expect(done.counts).toMatchObject({ new: 0, updated: 1 });
    expect(await storedVisit("CK2")).toMatchObject({ ended_at: localToEpoch(2026, 3, 4, 9, 0), source: "xml1" });
    const again = await importOne(db, cli(wardId), "checkin-again.xml", checkinFile([v]));
    expect(again).toMatchObject({ status: "unchanged", counts: { unchanged: 1 } });
    expect(await storedVisit("CK2")).toMatchObject({ ended_at: localToEpoch(2026, 3, 4, 9, 0) });
    expect(await count(db, "visit")).toBe(1);
  });

  it("refuses a check-in record without its facility code as invalid", async () => {
    const outcome = await importOne(db, cli(wardId), "c.xml", checkinFile([{ MA_LK: "CK3", NGAY_VAO: "202603040815" }]));
    expect(outcome.status).toBe("refused");
    expect(outcome.errors.some((e) => /MA_CSKCB/.test(e.reason))).toBe(true);
  });
});
