import { Form, useSearchParams } from "@remix-run/react";

export interface FacilityOption {
  code: string;
  name: string;
}

/** Narrows a list to one facility; keeps the period and as-of time, back to page 1. */
export function FacilityFilter({ facilities }: { facilities: FacilityOption[] }) {
  const [params] = useSearchParams();
  const kept = [...params].filter(([k]) => k !== "facility" && k !== "page");
  return (
    <Form method="get" className="dash-filters" aria-label="Lọc theo cơ sở">
      {kept.map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <label>
        Cơ sở KCB
        <select name="facility" key={params.get("facility") ?? ""} defaultValue={params.get("facility") ?? ""}>
          <option value="">Tất cả cơ sở</option>
          {facilities.map((f) => (
            <option key={f.code} value={f.code}>
              {f.name} ({f.code})
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Lọc</button>
    </Form>
  );
}
