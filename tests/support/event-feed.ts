/**
 * The POS event feed (GET /api/v1/events) read page by page, for the API tests and the soak: each
 * passes its own way of calling the app (the tests' app.api(), the soak's resending client).
 */

export interface FeedEvent {
  id: string;
  type: string;
  data: { id: string };
}

export interface FeedPage {
  items: FeedEvent[];
  /** The cursor to ask `after` next: the page's last event, or the one asked after when it is empty. */
  next: string;
}

/** A GET of a path on the app, with the answer's status and JSON body (anything when not 200). */
export type FeedGet = (path: string) => Promise<{ status: number; body: unknown }>;

/** The page of up to 500 events after `after` (from the oldest without), waiting up to `wait` seconds for one. */
export async function feedAfter(get: FeedGet, after: string | undefined, wait = 0): Promise<FeedPage> {
  const query = new URLSearchParams({ limit: "500", wait: String(wait), ...(after ? { after } : {}) });
  const reply = await get(`/api/v1/events?${query}`);
  if (reply.status !== 200)
    throw new Error(`GET /api/v1/events answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body as FeedPage;
}

/** Every event after `after` until the feed's end now, and the cursor there. */
export async function readFeed(get: FeedGet, after?: string): Promise<FeedPage> {
  const items: FeedEvent[] = [];
  let page = await feedAfter(get, after);
  while (page.items.length > 0) {
    items.push(...page.items);
    page = await feedAfter(get, page.next);
  }
  return { items, next: page.next };
}
