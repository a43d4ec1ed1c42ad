import { describe, expect, it } from "vitest";
import {
  formatDateTime, formatDay, formatHours, formatMoney, formatNumber, formatPercent, moneyInWords, officialDateLine,
} from "~/domain/format";
import { localToEpoch } from "~/domain/time";

describe("Vietnamese number formatting", () => {
  it.each([
    [0, "0"], [7, "7"], [1234, "1.234"], [1234567, "1.234.567"], [-1234, "-1.234"], [999, "999"], [1000, "1.000"],
  ])("%d → %s", (n, s) => expect(formatNumber(n)).toBe(s));
  it("uses a comma for decimals", () => expect(formatNumber(1234.5, 1)).toBe("1.234,5"));
  it("shows a missing number as a dash", () => expect(formatNumber(null)).toBe("—"));
});

describe("percent", () => {
  it.each([
    [0.875, "87,5 %"], [1, "100,0 %"], [0, "0,0 %"], [0.8829008649367931, "88,3 %"], [0.00049, "0,0 %"], [0.9996, "100,0 %"],
  ])("%f → %s", (r, s) => expect(formatPercent(r)).toBe(s));
  it("shows a zero-denominator rate as —, never 0 % or 100 %", () => {
    expect(formatPercent(null)).toBe("—");
  });
});

describe("money, dates and hours", () => {
  it("writes whole đồng with dots and đ", () => {
    expect(formatMoney(12500000)).toBe("12.500.000 đ");
    expect(formatMoney(0)).toBe("0 đ");
  });
  it("writes days as dd/MM/yyyy and instants in local time", () => {
    expect(formatDay("2026-03-05")).toBe("05/03/2026");
    expect(formatDateTime(localToEpoch(2026, 3, 5, 7, 9))).toBe("05/03/2026 07:09");
    expect(formatDateTime(Date.UTC(2026, 2, 31, 17, 30) / 1000)).toBe("01/04/2026 00:30");
  });
  it("writes hours with one decimal", () => expect(formatHours(15.5333)).toBe("15,5 giờ"));
  it("pads day and month in the official date line (Decree 30/2020)", () => {
    expect(officialDateLine("Cửa Lò", "2026-03-05")).toBe("Cửa Lò, ngày 05 tháng 03 năm 2026");
    expect(officialDateLine("Cửa Lò", "2026-12-25")).toBe("Cửa Lò, ngày 25 tháng 12 năm 2026");
  });
});

describe("money in words", () => {
  it.each([
    [12500000, "Mười hai triệu năm trăm nghìn đồng."],
    [0, "Không đồng."],
    [5, "Năm đồng."],
    [15, "Mười lăm đồng."],
    [21, "Hai mươi mốt đồng."],
    [24, "Hai mươi tư đồng."],
    [105, "Một trăm linh năm đồng."],
    [1005000, "Một triệu không trăm linh năm nghìn đồng."],
    [1000000, "Một triệu đồng."],
    [2000001, "Hai triệu không trăm linh một đồng."],
    [45250000, "Bốn mươi lăm triệu hai trăm năm mươi nghìn đồng."],
    [1200000000, "Một tỷ hai trăm triệu đồng."],
    [110000, "Một trăm mười nghìn đồng."],
    // The cases issue #10 lists. "linh" (northern, official usage) throughout, never "lẻ".
    [1005, "Một nghìn không trăm linh năm đồng."],
    [1000000000, "Một tỷ đồng."],
    [1234567890, "Một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi đồng."],
    [14, "Mười bốn đồng."], // "tư" only after "mươi"
    [41, "Bốn mươi mốt đồng."],
    [11, "Mười một đồng."], // "mốt" only after "mươi"
    [25, "Hai mươi lăm đồng."],
    [1_000_000_000_000, "Một nghìn tỷ đồng."],
    [1_000_005_000_000, "Một nghìn tỷ không trăm linh năm triệu đồng."],
  ])("%d", (n, words) => expect(moneyInWords(n)).toBe(words));
  it("refuses fractions of a đồng", () => expect(() => moneyInWords(1.5)).toThrow());
});
