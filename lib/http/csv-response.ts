/** A CSV download: named, never cached. */
export function csvResponse({ filename, body }: { filename: string; body: string }): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
