"use client";

/**
 * A customer display's own id, kept in the browser so the shop sees one display however often it
 * reconnects or reloads. Not a secret: it only names the display in the terminal's health list.
 */
const STORAGE_KEY = "kassa-display-id";

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

let fallback: string | undefined;

export function displayId(): string {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored && /^[A-Za-z0-9_-]{8,64}$/.test(stored)) return stored;
    const fresh = randomId();
    window.localStorage.setItem(STORAGE_KEY, fresh);
    return fresh;
  } catch {
    // Storage off (a locked-down kiosk profile): one id for this page's life.
    fallback ??= randomId();
    return fallback;
  }
}

/** The screen as the shop would describe it: CSS pixels, width × height. */
export function screenSize(): string {
  return `${Math.round(window.screen.width)}x${Math.round(window.screen.height)}`;
}
