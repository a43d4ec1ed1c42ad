// Messages that say what to fix (issue 12 point 4), through the real pipeline: a header
// close to a kind names it and its missing columns and lists only the kinds the account
// may import; an empty file; malformed XML in Vietnamese with its line; date errors that
// give the accepted forms and tell an impossible date; Excel's lost leading zero.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dateProblem, xmlProblem } from "~/domain/import-messages";
import type { DB } from "~/server/db.server";
import { asUser, cli, csv, envelope, importOne, testDb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

describe("import messages", () => {
  it("names the closest kind and its missing columns", async () => {
    const out = await importOne(db, cli(wardId), "ket-qua.csv", csv([["ma_cskcb", "ma_lk", "ma_ket_qua"], ["79001", "LK1", "200"]]));
    expect(out.status).toBe("refused");
    expect(out.errors[0].reason).toMatch(/^Giống mẫu “Kết quả gửi hồ sơ lên Cổng giám định BHYT” nhưng thiếu cột: "Thời gian tiếp nhận" \(thoi_gian_tiep_nhan\)/);
  });

  it("lists only the kinds the account may import", async () => {
    const police = await asUser(db, wardId, "cong_an");
    const out = await importOne(db, police, "la.csv", csv([["cot_a", "cot_b"], ["1", "2"]]));
    expect(out.errors[0].reason).toMatch(/Các loại tệp được chấp nhận: [^.]*Hỗ trợ/);
    expect(out.errors[0].reason).not.toMatch(/Hồ sơ KCB XML|Kết quả gửi hồ sơ/);
    const everything = await importOne(db, cli(wardId), "la.csv", csv([["cot_a", "cot_b"], ["1", "2"]]));
    expect(everything.errors[0].reason).toMatch(/Kết quả gửi hồ sơ/);
  });

  it("calls an empty file empty", async () => {
    for (const content of ["", "\uFEFF", "  \r\n\r\n"]) {
      const out = await importOne(db, cli(wardId), "rong.csv", content);
      expect(out.status).toBe("refused");
      expect(out.errors[0].reason).toMatch(/^Tệp rỗng/);
    }
  });

  it("explains malformed XML in Vietnamese with its line", async () => {
    const broken = envelope([{ MA_LK: "A1" }]).replace("</DANHSACHHOSO>", "");
    const out = await importOne(db, cli(wardId), "ho-so.xml", broken);
    expect(out.status).toBe("refused");
    expect(out.errors[0].reason).toMatch(/^XML không hợp lệ ở dòng \d+: có thẻ đóng không khớp với thẻ đang mở/);
    expect(out.errors[0].reason).not.toMatch(/unclosed|tag|root/i);
    expect(xmlProblem("something new from the parser")).not.toMatch(/[a-z]{6,}/);
  });

  it("tells an impossible date from a wrong format and gives the accepted forms", async () => {
    expect(dateProblem("31/02/2026")).toEqual({ impossible: true, text: "tháng 2/2026 không có ngày 31" });
    expect(dateProblem("2026-13-01")).toMatchObject({ impossible: false, text: expect.stringMatching(/^tháng 13 không có/) });
    expect(dateProblem("02.03.2026")).toMatchObject({ impossible: false, text: expect.stringMatching(/^dùng một trong các dạng: dd\/MM\/yyyy/) });
    const out = await importOne(db, cli(wardId), "dan-so.csv", "khoi,ngay_hieu_luc,dan_so\n1,31/02/2026,10\n2,2026/01/01,10\n");
    expect(out.errors.map((e) => e.reason)).toEqual([
      "Không có dòng hợp lệ nào (2 dòng lỗi).",
      '"Ngày hiệu lực" (ngay_hieu_luc) là ngày không có thật: "31/02/2026" — tháng 2/2026 không có ngày 31.',
      expect.stringMatching(/^"Ngày hiệu lực" \(ngay_hieu_luc\) không đúng định dạng ngày: "2026\/01\/01" — dùng một trong các dạng: dd\/MM\/yyyy/),
    ]);
  });

  it("hints at Excel's lost leading zero for an 11-digit personal ID", async () => {
    const out = await importOne(db, cli(wardId), "ho-tro.csv", csv([["khoi", "so_dinh_danh", "ngay_cai_dat_vneid"], ["3", "40090001234", "01/03/2026"]]));
    expect(out.errors.map((e) => e.reason)).toContainEqual(expect.stringMatching(/nhận được 11 ký tự\). Có thể Excel đã bỏ mất chữ số 0 ở đầu/));
  });
});
