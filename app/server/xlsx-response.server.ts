// An .xlsx download: the headers every workbook route sends (never cached: they hold
// personal or official data), with any extra header a route adds.
export function xlsxResponse(body: Uint8Array | ReadableStream, fileName: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(body instanceof Uint8Array ? (new Uint8Array(body) as unknown as BodyInit) : body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
      ...extraHeaders,
    },
  });
}
