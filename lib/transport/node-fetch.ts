/**
 * fetch as Node has it, for the calls to Vipps. Next replaces the global fetch in the server with
 * one that traces each call and, inside a request, runs its data-cache logic: a payment call must
 * never be cached, and that wrapping was about a tenth of a sale's CPU in the burst profile
 * (docs/perf/burst.md). Next keeps the fetch it wrapped on its wrapper; outside Next there is none.
 * Looked up at each call, so an interceptor a test puts on the global fetch still sees the calls.
 */
export const nodeFetch: typeof fetch = (input, init) => {
  const current = globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch };
  return (current._nextOriginalFetch ?? current)(input, init);
};
