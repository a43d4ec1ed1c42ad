import { createElement } from "react";
import { formatNumber } from "~/domain/format";

// One palette for every chart, chosen to stay distinguishable in grey print and for
// the common colour-vision deficiencies (blue / orange / teal / red / grey).
export const COLORS = {
  i1: "#0f4c81",
  i2: "#c05a00",
  i3: "#0f7b6c",
  onTime: "#1b6e3a",
  late: "#d08a00",
  overdue: "#a61b1b",
  pending: "#8795a1",
  steps: ["#9fbbe0", "#5b8cc9", "#0f4c81", "#0a2f52"],
  target: "#a61b1b",
  bars: "#0f4c81",
  grid: "#e4e8ec",
  axis: "#52606d",
} as const;

export const AXIS_TICK = { fill: COLORS.axis, fontSize: 12 } as const;

/** Counts on an axis in Vietnamese: 1.300, not 1300. */
export const countTick = (v: number) => formatNumber(v);

/** 0…1 → a whole percent for axis ticks ("75 %"); tooltips and tables use formatPercent. */
export const percentTick = (v: number) => `${Math.round(v * 100)} %`;

/** Legend entries in ink rather than in their series' colour, which may be pale. */
export const legendText = (value: string) => createElement("span", { style: { color: "#1d2733" } }, value);
