/**
 * A clock that moves only when the code under test waits: `sleep(ms)` returns at once and moves
 * `now()` forward by ms. Hand the same clock to the handlers and the emulators, and a rule measured
 * in time (Notion's requests a second, a lease, a Retry-After) is tested by the rule, not by a timer.
 */
export interface VirtualClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Moves the clock forward, as time passing between two requests. */
  advance(ms: number): void;
  /** Every wait asked for, in ms, in order. */
  readonly sleeps: number[];
}

/** A virtual clock starting at `start` (ms since the epoch). */
export function virtualClock(start: number): VirtualClock {
  let current = start;
  const sleeps: number[] = [];
  return {
    now: () => current,
    async sleep(ms) {
      sleeps.push(ms);
      current += Math.max(0, ms);
    },
    advance(ms) {
      current += ms;
    },
    sleeps,
  };
}
