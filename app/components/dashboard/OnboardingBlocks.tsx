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

/**
 * Each block's four steps against its eligible population, as plain HTML bars: they
 * render on the server, read well on a phone, and carry their numbers in text.
 */
export function OnboardingBlocks({ blocks }: { blocks: BlockBars[] }) {
  if (blocks.length === 0) return <EmptyState />;
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
      </ul>
      <div className="dash-blocks" aria-hidden="true">
        {blocks.map((b) => (
          <div className="dash-block" key={b.block} data-testid="onboarding-block">
            <div className="dash-block-head">
              <strong>{b.block}</strong>
              <span>
                {formatNumber(b.fullyOnboarded)} / {b.eligible === null ? "chưa có số dân" : formatNumber(b.eligible)}
              </span>
            </div>
            {STEPS.map((s, i) => {
              const rate = rateOf(b[s], b.eligible);
              const target = b.targets[s];
              return (
                <div className="dash-bar" key={s} title={`${ONBOARDING_STEP_LABELS[s]}: ${formatNumber(b[s])} (${formatPercent(rate)})`}>
                  <div className="dash-bar-track">
                    <div className="dash-bar-fill" style={{ width: `${Math.min(1, rate ?? 0) * 100}%`, background: COLORS.steps[i] }} />
                    {target !== undefined ? <div className="dash-bar-target" style={{ left: `${Math.min(1, target) * 100}%` }} /> : null}
                  </div>
                  <span className="dash-bar-value">{formatPercent(rate)}</span>
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
