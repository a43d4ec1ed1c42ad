import { isRouteErrorResponse } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { PeriodPicker } from "~/components/period-picker";

/** A period or as-of time the page cannot read: say why and offer the picker again. */
export function SelectionError({ error }: { error: unknown }) {
  if (!isRouteErrorResponse(error) || error.status !== 400) return <ErrorPage error={error} />;
  return (
    <div className="dash">
      <div className="notice notice-error" role="alert">
        {typeof error.data === "string" && error.data ? error.data : "Kỳ báo cáo không hợp lệ."}
      </div>
      <PeriodPicker />
    </div>
  );
}
