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

const NICE_MAXIMA = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1];

/**
 * The bars' full width: a pilot ward's rates are a few percent, so the scale is the
 * smallest round figure above every rate and target shown (never above 100 %).
 */
export function barScale(blocks: BlockBars[]): number {
  let max = 0;
  for (const b of blocks) {
    for (const s of STEPS) max = Math.max(max, rateOf(b[s], b.eligible) ?? 0, b.targets[s] ?? 0);
  }
  return NICE_MAXIMA.find((m) => m >= max * 1.05) ?? 1;
}

/**
 * Each block's four steps against its eligible population, as plain HTML bars: they
 * render on the server, read well on a phone, and carry their numbers in text.
 */
export function OnboardingBlocks({ blocks }: { blocks: BlockBars[] }) {
  if (blocks.length === 0) return <EmptyState />;
  const scale = barScale(blocks);
  const width = (rate: number) => `${(Math.min(rate, scale) / scale) * 100}%`;
  return (
    <>
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
        <li>Thang đo: 0 – {formatNumber(scale * 100)} % dân số thuộc diện</li>
      </ul>
      <div className="dash-blocks" aria-hidden="true">
        {blocks.map((b) => (
          <div className="dash-block" key={b.block} data-testid="onboarding-block">
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
                    {target !== undefined ? <div className="dash-bar-target" style={{ left: width(target) }} /> : null}
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
        <OnboardingTable blocks={blocks} />
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
      rowKey={(b) => b.block}
      testId="onboarding-table"
    />
  );
}
