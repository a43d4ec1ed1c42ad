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
      if (!("validity" in field) || field.dataset.ownValidity) return;
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
      type="text"
      inputMode="numeric"
      placeholder="dd/mm/yyyy"
      pattern="\d{1,2}/\d{1,2}/\d{4}"
      title="ngày dạng dd/mm/yyyy, ví dụ 05/03/2026"
      aria-label={label}
      required={required}
      data-own-validity="1"
      size={11}
      value={text}
      onChange={(e) => {
        const typed = e.target.value;
        setText(typed);
        const day = viToDay(typed);
        const message = typed && !day
          ? "Nhập ngày dạng dd/mm/yyyy, ví dụ 05/03/2026 (ngày phải có trong lịch)."
          : day && min && day < min ? `Ngày phải từ ${dayToVi(min)} trở đi.` : required && !typed ? "Vui lòng điền ngày." : "";
        e.target.setCustomValidity(message);
        onChange(day ?? "");
      }}
    />
  );
}
