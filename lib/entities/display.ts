/** The customer displays of a counter: paired devices, pairings under way, and which are online. */

export interface DisplayDevice {
  id: string;
  terminalId: string;
  tokenHash: string;
  label: string;
  createdAt: string;
  revokedAt?: string;
}

export interface DisplayPairing {
  id: string;
  code: string;
  expiresAt: string;
  terminalId?: string;
  /** Set once paired; the display collects it and then the row is spent. */
  deviceToken?: string;
  claimedAt?: string;
}

export type DisplayKind = "link" | "paired";

/** Displays not seen for a day are forgotten (the reconciler's hourly housekeeping prunes them). */
export const DISPLAY_FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface DisplayPresenceSeen {
  displayId: string;
  terminalId: string;
  kind: DisplayKind;
  userAgent: string;
  /** e.g. "1080x1920", as the display reported it; empty when unknown. */
  screen: string;
  atMs: number;
}

export interface DisplayPresence {
  displayId: string;
  terminalId: string;
  kind: DisplayKind;
  userAgent: string;
  screen: string;
  connectedAt: string;
  lastSeenAtMs: number;
  disconnectedAtMs?: number;
}
