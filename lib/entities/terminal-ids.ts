/** Terminal ids appear in display URLs and the POS's requests: short, lower-case, URL-safe. */
export const TERMINAL_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The first `pos-N` (N from 1) that no terminal uses yet. Shared by the API and the admin form. */
export function nextFreeTerminalId(taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`pos-${n}`)) n += 1;
  return `pos-${n}`;
}
