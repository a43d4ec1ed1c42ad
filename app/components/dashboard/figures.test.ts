import { describe, expect, it } from "vitest";
import type { TargetStatus } from "~/domain/metrics-types";
import { localToEpoch } from "~/domain/time";
import { changeOf, rateOf, recordsHref } from "./figures";
import { blockStepTargets, pickTarget } from "~/domain/targets";
import { readSelection, selectionParams } from "~/domain/selection";
import { bucketLabel } from "~/domain/period-progress";

const target = (over: Partial<TargetStatus>): TargetStatus => ({
  targetId: 1, indicator: "i1.rate", label: "", kind: "rate", blockId: null, block: null,
  period: "2026", threshold: 0.9, value: 0.5, status: "not_met", ...over,
});

describe("dashboard figures", () => {
  it("has no rate when the denominator is 0 or unknown", () => {
    expect(rateOf(0, 0)).toBeNull();
    expect(rateOf(3, null)).toBeNull();
    expect(rateOf(1, 4)).toBe(0.25);
  });

  it("shows a rate's change in percentage points, and none against a missing rate", () => {
    expect(changeOf(0.875, 0.85)).toEqual({ direction: "up", text: "+2,5 điểm %" });
    expect(changeOf(0.5, 0.625)).toEqual({ direction: "down", text: "−12,5 điểm %" });
    expect(changeOf(0.5, null)).toBeNull();
    expect(changeOf(null, 0.5)).toBeNull();
    // A change that rounds to 0,0 is no change, not "+0,0" nor "−0,0".
    expect(changeOf(0.5004, 0.5)).toEqual({ direction: "same", text: "không đổi" });
    expect(changeOf(0.4996, 0.5)).toEqual({ direction: "same", text: "không đổi" });
  });

  it("picks the target set for the scope, preferring the exact period", () => {
    const year = target({ targetId: 1, period: "2026", threshold: 0.8 });
    const quarter = target({ targetId: 2, period: "2026-Q1", threshold: 0.85 });
    const block = target({ targetId: 3, period: "2026-Q1", blockId: 3, indicator: "i4.fullyOnboarded.rate" });
    expect(pickTarget([year, quarter], ["i1.rate"], null, "2026-Q1")?.targetId).toBe(2);
    expect(pickTarget([year, quarter], ["i1.rate"], null, "2026-03")?.targetId).toBe(1);
    expect(pickTarget([year, block], ["i4.fullyOnboarded.rate"], null, "2026-Q1")).toBeNull();
    expect(pickTarget([year, block], ["i4.fullyOnboarded.rate"], 3, "2026-Q1")?.targetId).toBe(3);
    expect(pickTarget([], ["i1.rate"], null, "2026")).toBeNull();
  });

  it("measures a block's bars against its own target, else the ward's", () => {
    const ward = target({ indicator: "i4.fullyOnboarded.rate", threshold: 0.2 });
    const own = target({ indicator: "i4.fullyOnboarded.rate", blockId: 3, threshold: 0.3 });
    const install = target({ indicator: "i4.vneidInstalled.rate", blockId: 4, threshold: 0.5 });
    expect(blockStepTargets([ward, own, install], 3, "2026")).toEqual({ fullyOnboarded: 0.3 });
    expect(blockStepTargets([ward, own, install], 4, "2026")).toEqual({
      fullyOnboarded: 0.2, vneidInstalled: 0.5,
    });
  });

  it("links a figure to its records for the same period", () => {
    expect(recordsHref("i3.overdue", "2026-Q1", { facility: "79001", asOf: undefined })).toBe(
      "/records?figure=i3.overdue&period=2026-Q1&facility=79001",
    );
  });

  it("labels trend buckets briefly", () => {
    expect(bucketLabel({ key: "2026-03", from: "2026-03-01", to: "2026-03-31" })).toBe("T3/2026");
    expect(bucketLabel({ key: "2026-W47", from: "2026-11-16", to: "2026-11-22" })).toBe("Tuần 47 (16/11–22/11)");
  });
});

describe("period and as-of selection", () => {
  const now = localToEpoch(2026, 4, 15, 9, 30);

  it("defaults to this month, as of now", () => {
    const s = readSelection(new URLSearchParams(), now);
    expect(s.period.key).toBe("2026-04");
    expect(s.asOf).toBe(now);
    expect(selectionParams(s)).toEqual({ period: "2026-04" });
  });

  it("takes a past period as of its end, and an explicit as-of time as given", () => {
    const q1 = readSelection(new URLSearchParams({ period: "2026-Q1" }), now);
    expect(q1.asOf).toBe(localToEpoch(2026, 4, 1));
    const pinned = readSelection(new URLSearchParams({ period: "2026-Q1", asOf: "2026-04-02T08:00:00+07:00" }), now);
    expect(pinned.asOf).toBe(localToEpoch(2026, 4, 2, 8));
    expect(selectionParams(pinned)).toEqual({ period: "2026-Q1", asOf: "2026-04-02T08:00:00+07:00" });
  });

  it("refuses an unreadable period or as-of time with a 400 that says why", async () => {
    const bad = () => readSelection(new URLSearchParams({ period: "2026-13" }), now);
    expect(bad).toThrow(Response);
    try {
      bad();
    } catch (r) {
      expect((r as Response).status).toBe(400);
      expect(await (r as Response).text()).toMatch(/Tháng không hợp lệ/);
    }
    expect(() => readSelection(new URLSearchParams({ asOf: "hôm qua" }), now)).toThrow(Response);
  });
});
