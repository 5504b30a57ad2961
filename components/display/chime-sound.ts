"use client";

/**
 * A short, soft two-note chime made in the browser with the Web Audio API (no sound file to fetch
 * or to license). Played once per sale, and only when the display saw the sale move to paid while
 * it watched: a display reloaded during the "paid" screen stays quiet.
 */
export function playChime(): boolean {
  const AudioContextClass =
    window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!AudioContextClass) return false;
  const context = new AudioContextClass();
  // A kiosk allows autoplay (see the README's kiosk line); elsewhere resume() may wait for a tap.
  void context.resume().catch(() => undefined);
  const start = context.currentTime + 0.02;
  for (const [index, frequency] of [880, 1318.5].entries()) {
    const at = start + index * 0.14;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.18, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.4);
  }
  setTimeout(() => void context.close().catch(() => undefined), 1_000);
  return true;
}
