// An .xlsx download: the headers every workbook route sends.
export function xlsxResponse(bytes: Uint8Array, fileName: string): Response {
  return new Response(new Uint8Array(bytes) as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
