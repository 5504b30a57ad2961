import type { Clock } from "@/lib/clock";

/** A clock that stands still until a test moves it, so times in assertions are exact. */
export class FrozenClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
