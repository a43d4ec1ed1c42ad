// The heading a printed page carries (hidden on screen): the ward, what the page is,
// the period and the moment the figures were taken, so a sheet read away from the
// screen still says whose figures they are and how fresh.
import { useRouteLoaderData } from "@remix-run/react";
import type { ShellData } from "./app-shell";

export function PrintHeader({ title, period, asOf }: { title: string; period: string; asOf: string }) {
  const shell = useRouteLoaderData<ShellData>("routes/_app");
  return (
    <header className="print-header" data-testid="print-header">
      <p className="print-ward">UBND {shell?.ward.name ?? ""}</p>
      <p className="print-title">{title}</p>
      <p>
        Kỳ: {period} · số liệu tính đến {asOf}
      </p>
    </header>
  );
}
