// The reporting-period picker: writes `?period=` to the URL (keeping the other query
// parameters), so the page's loader reads one value and a link can be shared.
import { Form, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { periodLabel, resolvePeriod } from "~/domain/periods";
import { DayInput } from "./vietnamese-forms";
import { choiceFromValue, MODE_LABELS, valueOfChoice, type PeriodChoice, type PickerMode } from "./period-choice";

const RELATIVE_MODES: PickerMode[] = ["this-month", "last-month", "this-quarter", "last-quarter", "year-to-date", "this-year"];
const FIXED_MODES: PickerMode[] = ["month", "quarter", "half", "year", "range"];
const QUARTERS = ["I", "II", "III", "IV"];

const nowEpoch = () => Math.floor(Date.now() / 1000);

export function PeriodPicker({ defaultValue = "this-month" }: { defaultValue?: string }) {
  const [params] = useSearchParams();
  const current = params.get("period") || defaultValue;
  const [choice, setChoice] = useState<PeriodChoice>(() => choiceFromValue(current, nowEpoch(), defaultValue));
  useEffect(() => setChoice(choiceFromValue(current, nowEpoch(), defaultValue)), [current, defaultValue]);

  const set = (changes: Partial<PeriodChoice>) => setChoice((c) => ({ ...c, ...changes }));
  const value = valueOfChoice(choice);
  const rangeInvalid = choice.mode === "range" && (!choice.from || !choice.to || choice.to < choice.from);
  const shown = labelOf(current, defaultValue);

  return (
    <Form method="get" className="period-picker" aria-label="Chọn kỳ báo cáo">
      {[...params].filter(([k]) => k !== "period").map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <input type="hidden" name="period" value={value} />
      <label>
        <span>Kỳ</span>
        <select value={choice.mode} onChange={(e) => set({ mode: e.target.value as PickerMode })}>
          <optgroup label="Tương đối">
            {RELATIVE_MODES.map((m) => <option key={m} value={m}>{MODE_LABELS[m]}</option>)}
          </optgroup>
          <optgroup label="Cố định">
            {FIXED_MODES.map((m) => <option key={m} value={m}>{MODE_LABELS[m]}</option>)}
          </optgroup>
        </select>
      </label>
      {choice.mode === "month" && (
        <label>
          <span>Tháng</span>
          {/* A select, not <input type="month">: it reads "Tháng 3" in any browser language. */}
          <select value={choice.month} onChange={(e) => set({ month: Number(e.target.value) })}>
            {Array.from({ length: 12 }, (_, i) => <option key={i} value={i + 1}>Tháng {i + 1}</option>)}
          </select>
        </label>
      )}
      {choice.mode === "quarter" && (
        <label>
          <span>Quý</span>
          <select value={choice.quarter} onChange={(e) => set({ quarter: Number(e.target.value) })}>
            {QUARTERS.map((q, i) => <option key={q} value={i + 1}>Quý {q}</option>)}
          </select>
        </label>
      )}
      {choice.mode === "half" && (
        <label>
          <span>Nửa năm</span>
          <select value={choice.half} onChange={(e) => set({ half: Number(e.target.value) })}>
            <option value={1}>6 tháng đầu năm</option>
            <option value={2}>6 tháng cuối năm</option>
          </select>
        </label>
      )}
      {(choice.mode === "month" || choice.mode === "quarter" || choice.mode === "half" || choice.mode === "year") && (
        <label>
          <span>Năm</span>
          <input
            type="number"
            inputMode="numeric"
            min={2020}
            max={2100}
            required
            className="year-input"
            value={choice.year}
            onChange={(e) => set({ year: Number(e.target.value) })}
          />
        </label>
      )}
      {choice.mode === "range" && (
        <>
          <label>
            <span>Từ ngày</span>
            <DayInput label="Từ ngày" required value={choice.from} onChange={(from) => set({ from })} />
          </label>
          <label>
            <span>Đến ngày</span>
            <DayInput label="Đến ngày" required min={choice.from} value={choice.to} onChange={(to) => set({ to })} />
          </label>
        </>
      )}
      <button type="submit" disabled={rangeInvalid}>Xem</button>
      <output className="period-shown">{shown}</output>
    </Form>
  );
}

/** "Quý I/2026", or for a relative period "Tháng này: Tháng 5/2026". */
function labelOf(value: string, fallback: string): string {
  const choice = choiceFromValue(value, nowEpoch(), fallback);
  const label = periodLabel(resolvePeriod(valueOfChoice(choice), nowEpoch()));
  const relative = valueOfChoice(choice) === choice.mode;
  return relative ? `${MODE_LABELS[choice.mode]}: ${label}` : label;
}
