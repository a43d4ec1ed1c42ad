// Vietnamese form controls and messages whatever the browser's language: validation
// messages chosen from each field's ValidityState, and a date field written dd/MM/yyyy.
import { useEffect, useState } from "react";
import { dayToVi, vietnameseValidity, viToDay } from "~/domain/validity";

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Replaces the browser's (possibly English) validation bubbles on every form of the page. */
export function useVietnameseValidation() {
  useEffect(() => {
    const onInvalid = (e: Event) => {
      const field = e.target as Field;
      if (!("validity" in field)) return;
      // A day field sets its own message as it is typed; left empty, it has not had one yet.
      if (field.dataset.ownValidity) {
        if (field.validity.valueMissing) field.setCustomValidity("Vui lòng điền ngày.");
        return;
      }
      field.setCustomValidity("");
      const message = vietnameseValidity(field.validity, {
        type: field.type, title: field.title,
        min: "min" in field ? field.min : undefined, max: "max" in field ? field.max : undefined,
        minLength: "minLength" in field ? field.minLength : undefined,
      });
      if (message) field.setCustomValidity(message);
    };
    const onInput = (e: Event) => {
      const field = e.target as Field;
      if ("setCustomValidity" in field && !field.dataset.ownValidity) field.setCustomValidity("");
    };
    document.addEventListener("invalid", onInvalid, true);
    document.addEventListener("input", onInput, true);
    document.addEventListener("change", onInput, true);
    return () => {
      document.removeEventListener("invalid", onInvalid, true);
      document.removeEventListener("input", onInput, true);
      document.removeEventListener("change", onInput, true);
    };
  }, []);
}

/** The message for a typed day, or "" when it is acceptable. */
function dayProblem(typed: string, day: string | null, { required, min, max }: { required?: boolean; min?: string; max?: string }): string {
  if (!typed) return required ? "Vui lòng điền ngày." : "";
  if (!day) return "Nhập ngày dạng dd/mm/yyyy, ví dụ 05/03/2026 (ngày phải có trong lịch).";
  if (min && day < min) return `Ngày phải từ ${dayToVi(min)} trở đi.`;
  if (max && day > max) return `Ngày không được sau ${dayToVi(max)}.`;
  return "";
}

const DAY_TEXT = {
  type: "text",
  inputMode: "numeric",
  placeholder: "dd/mm/yyyy",
  pattern: "\\s*(\\d{1,2}/\\d{1,2}/\\d{4}|\\d{4}-\\d{2}-\\d{2})\\s*",
  title: "ngày dạng dd/mm/yyyy, ví dụ 05/03/2026",
  size: 11,
  "data-own-validity": "1",
} as const;

/** A day typed or shown as dd/MM/yyyy; reports 'yyyy-MM-dd' (or "" while unreadable). */
export function DayInput({ value, onChange, required, min, label }: {
  value: string;
  onChange: (day: string) => void;
  required?: boolean;
  min?: string;
  label: string;
}) {
  const [text, setText] = useState(dayToVi(value));
  useEffect(() => setText(dayToVi(value)), [value]);
  return (
    <input
      {...DAY_TEXT}
      aria-label={label}
      required={required}
      value={text}
      onChange={(e) => {
        const typed = e.target.value;
        setText(typed);
        const day = viToDay(typed);
        e.target.setCustomValidity(dayProblem(typed, day, { required, min }));
        onChange(day ?? "");
      }}
    />
  );
}

/** A day as the field shows it: a day (either form) as dd/mm/yyyy, anything else (a posted value sent back) as it was typed. */
const shownDay = (value: string) => {
  const day = viToDay(value);
  return day ? dayToVi(day) : value;
};

/**
 * The day field of a plain form, whatever the browser's language: shown and typed
 * dd/mm/yyyy and posted as typed (a plain text field, so it works before the page has
 * hydrated); the action reads it with `formDay`. Put it inside the <label>.
 */
export function DateField({ name, defaultValue, required, min, max }: {
  name: string;
  defaultValue?: string | null;
  required?: boolean;
  min?: string;
  max?: string;
}) {
  return (
    <input
      {...DAY_TEXT}
      name={name}
      required={required}
      defaultValue={shownDay(defaultValue ?? "")}
      onChange={(e) => e.target.setCustomValidity(dayProblem(e.target.value, viToDay(e.target.value), { required, min, max }))}
    />
  );
}
