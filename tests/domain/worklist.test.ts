import { describe, expect, it } from "vitest";
import type { WorkItem } from "~/domain/metrics-types";
import { applyWorkFilter, countByKind, formatWaiting, readWorkFilter } from "~/domain/worklist";

const item = (over: Partial<WorkItem>): WorkItem => ({
  kind: "not_sent", facilityCode: "79001", maLk: "LK1", endedAt: 1000, receivedAt: null, rejectCode: null,
  rejectMessage: null, hoursWaiting: 10, ...over,
});

describe("work list filters", () => {
  const items = [
    item({ maLk: "AB-001", hoursWaiting: 50 }),
    item({ maLk: "ab-002", kind: "rejected", hoursWaiting: 70, facilityCode: "79002", endedAt: 3000 }),
    item({ maLk: "CD-003", kind: "overdue", hoursWaiting: 30, endedAt: null }),
    item({ maLk: "AB-004", kind: "rejected", hoursWaiting: 70, endedAt: 2000 }),
  ];

  it("counts each kind", () => {
    expect(countByKind(items)).toEqual({ not_sent: 1, rejected: 2, overdue: 1 });
  });

  it("keeps one kind, searches MA_LK in any case, sorts", () => {
    expect(applyWorkFilter(items, { kind: "rejected", search: "", sort: "waiting" }).map((i) => i.maLk)).toEqual(["ab-002", "AB-004"]);
    expect(applyWorkFilter(items, { kind: null, search: "ab-00", sort: "maLk" }).map((i) => i.maLk)).toEqual(["AB-001", "ab-002", "AB-004"]);
    expect(applyWorkFilter(items, { kind: null, search: "", sort: "ended" }).map((i) => i.maLk)).toEqual(["ab-002", "AB-004", "AB-001", "CD-003"]);
    expect(applyWorkFilter(items, { kind: null, search: "", sort: "facility" }).at(-1)?.maLk).toBe("ab-002");
  });

  it("reads unknown parameters as no filter", () => {
    expect(readWorkFilter(new URLSearchParams("kind=x&sort=y&q=%20LK%20"))).toEqual({ kind: null, search: "LK", sort: "waiting" });
    expect(readWorkFilter(new URLSearchParams("kind=overdue&sort=maLk"))).toMatchObject({ kind: "overdue", sort: "maLk" });
  });

  it("writes waiting times in days and hours", () => {
    expect(formatWaiting(8016.4)).toBe("334 ngày 0 giờ");
    expect(formatWaiting(8021.9)).toBe("334 ngày 5 giờ");
    expect(formatWaiting(5.5)).toBe("5 giờ");
    expect(formatWaiting(0.4)).toBe("dưới 1 giờ");
  });
});
