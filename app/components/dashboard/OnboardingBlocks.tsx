import { useState } from "react";
import { ONBOARDING_STEP_LABELS } from "~/domain/codes";
import { formatNumber, formatPercent } from "~/domain/format";
import { COLORS } from "./chart-theme";
import { DataTable } from "./DataTable";
import { rateOf } from "./figures";
import { ChartData, EmptyState } from "./Panel";
import { ONBOARDING_STEPS as STEPS, type BlockOnboarding, type OnboardingStep as Step } from "~/domain/metrics-types";

/** A block's figures with the target rates (fractions) set for its steps in the period. */
export interface BlockBars extends BlockOnboarding {
  targets: Partial<Record<Step, number>>;
}

/** Short step names for the bars; the legend and the table carry the full ones. */
const SHORT_LABELS: Record<Step, string> = {
  vneidInstalled: "VNeID",
  level2Activated: "Mức 2",
  bhytLinked: "BHYT",
  fullyOnboarded: "Đủ 3 bước",
};

export type BlockOrder = "block" | "rate" | "gap";

export const BLOCK_ORDER_LABELS: Record<BlockOrder, string> = {
  block: "Theo số khối",
  rate: "Tỷ lệ đủ 3 bước (thấp trước)",
  gap: "Còn thiếu so với chỉ tiêu (nhiều trước)",
};

/**
 * Blocks in the chosen order, on the fully-onboarded step (the pilot's headline):
 * lowest rate first, or furthest below its target first (blocks without a target or a
 * rate last, in block order).
 */
export function orderBlocks<B extends BlockBars>(blocks: readonly B[], order: BlockOrder): B[] {
  if (order === "block") return [...blocks];
  const rate = (b: B) => rateOf(b.fullyOnboarded, b.eligible);
  const key = (b: B): number | null => {
    const r = rate(b);
    if (r === null) return null;
    if (order === "rate") return r;
    const t = b.targets.fullyOnboarded;
    return t === undefined ? null : -(t - r);
  };
  return blocks
    .map((b, i) => ({ b, i, k: key(b) }))
    .sort((x, y) => (x.k === null ? (y.k === null ? x.i - y.i : 1) : y.k === null ? -1 : x.k - y.k || x.i - y.i))
    .map((x) => x.b);
}

/**
 * Each block's four steps against its eligible population, as plain HTML bars on a fixed
 * 0–100 % scale (a stretched scale makes 4 % look like most of the way), the target's
 * value written at its tick. They render on the server and carry their numbers in text.
 */
export function OnboardingBlocks({ blocks }: { blocks: BlockBars[] }) {
  const [order, setOrder] = useState<BlockOrder>("block");
  if (blocks.length === 0) return <EmptyState />;
  const width = (rate: number) => `${Math.min(Math.max(rate, 0), 1) * 100}%`;
  const shown = orderBlocks(blocks, order);
  return (
    <>
      {blocks.length > 1 ? (
        <label className="dash-sort">
          <span>Sắp xếp</span>
          <select value={order} onChange={(e) => setOrder(e.target.value as BlockOrder)} data-testid="block-order">
            {(Object.keys(BLOCK_ORDER_LABELS) as BlockOrder[]).map((o) => (
              <option key={o} value={o}>{BLOCK_ORDER_LABELS[o]}</option>
            ))}
          </select>
        </label>
      ) : null}
      <ul className="dash-legend" aria-hidden="true">
        {STEPS.map((s, i) => (
          <li key={s}>
            <span className="dash-swatch" style={{ background: COLORS.steps[i] }} />
            {ONBOARDING_STEP_LABELS[s]}
          </li>
        ))}
        <li>
          <span className="dash-swatch dash-swatch--target" />
          Chỉ tiêu
        </li>
        <li>Thang đo: 0 – 100 % dân số thuộc diện</li>
      </ul>
      <div className="dash-blocks" aria-hidden="true">
        {shown.map((b) => (
          <div className="dash-block" key={b.blockId} data-testid="onboarding-block">
            <div className="dash-block-head">
              <strong>{b.block}</strong>
              <span>
                {b.eligible === null ? "chưa có số dân" : `${formatNumber(b.eligible)} người`}
              </span>
            </div>
            {STEPS.map((s, i) => {
              const rate = rateOf(b[s], b.eligible);
              const target = b.targets[s];
              return (
                <div className="dash-bar" key={s} title={`${ONBOARDING_STEP_LABELS[s]}: ${formatNumber(b[s])} (${formatPercent(rate)})`}>
                  <span className="dash-bar-label">{SHORT_LABELS[s]}</span>
                  <div className="dash-bar-track">
                    <div className="dash-bar-fill" style={{ width: width(rate ?? 0), background: COLORS.steps[i] }} />
                    {target !== undefined ? (
                      <div className="dash-bar-target" style={{ left: width(target) }}>
                        <span className="dash-bar-target-value" data-testid="bar-target">{formatPercent(target)}</span>
                      </div>
                    ) : null}
                  </div>
                  <span className="dash-bar-value">
                    {formatNumber(b[s])} · {formatPercent(rate)}
                  </span>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <ChartData>
        <OnboardingTable blocks={shown} />
      </ChartData>
    </>
  );
}

function OnboardingTable({ blocks }: { blocks: BlockBars[] }) {
  const stepCell = (s: Step) => (b: BlockBars) => {
    const target = b.targets[s];
    return (
      <>
        {formatNumber(b[s])} ({formatPercent(rateOf(b[s], b.eligible))})
        {target !== undefined ? <> · chỉ tiêu {formatPercent(target)}</> : null}
        {" · mới "}
        {formatNumber(b.newInPeriod[s])}
      </>
    );
  };
  return (
    <DataTable
      caption="Người dân được hỗ trợ theo khối (số lũy kế, tỷ lệ trên dân số thuộc diện, số mới trong kỳ)"
      columns={[
        { header: "Khối", cell: (b: BlockBars) => b.block },
        { header: "Dân số thuộc diện", numeric: true, cell: (b) => formatNumber(b.eligible) },
        ...STEPS.map((s) => ({ header: ONBOARDING_STEP_LABELS[s], numeric: true, cell: stepCell(s) })),
      ]}
      rows={blocks}
      rowKey={(b) => String(b.blockId)}
      testId="onboarding-table"
    />
  );
}
