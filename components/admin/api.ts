"use client";

/** Problem details from the API (RFC 9457), kept whole so forms can show field reasons. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { type?: string; title?: string; detail?: string; errors?: { field: string; reason: string }[] },
  ) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = "ApiError";
  }
}

/**
 * What to tell the cashier about a failed request: the API's own words (with `firstField`, the first
 * field's reason when there is one: the most precise), or `fallback` for anything else (the network,
 * a bug), which has no words meant for a cashier.
 */
export function errorText(error: unknown, fallback: string, options: { firstField?: boolean } = {}): string {
  if (!(error instanceof ApiError)) return fallback;
  const first = options.firstField ? error.problem.errors?.[0] : undefined;
  return first ? `${first.field}: ${first.reason}` : error.message;
}

/**
 * Fetch for the admin page: same-origin with the session cookie, JSON in and out (or `body` as it
 * is, a file say, with its own content-type header). A 401 means the session ran out, so the
 * cashier is sent to sign in and then brought back.
 */
export async function apiFetch<T>(
  url: string,
  init: { method?: string; json?: unknown; body?: Blob; headers?: Record<string, string> } = {},
): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    credentials: "same-origin",
    cache: "no-store",
    headers: { ...(init.json !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  if (response.status === 401 && !url.startsWith("/api/admin/session")) {
    const back = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/admin/login?next=${encodeURIComponent(back)}`);
  }
  if (!response.ok) {
    let problem: ConstructorParameters<typeof ApiError>[1] = {};
    try {
      problem = await response.json();
    } catch {
      // Not JSON (a proxy's error page): the status alone has to do.
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const swrFetcher = <T>(url: string) => apiFetch<T>(url);
