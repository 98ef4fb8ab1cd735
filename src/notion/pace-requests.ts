/**
 * Notion allows an integration an average of three requests a second and answers a burst beyond
 * that with 429 and Retry-After. A cold weekly review sends four requests back to back (~150 ms
 * each): the fourth would land inside the first one's second, draw a 429 and wait a whole second
 * before a fifth request. Spacing requests costs less than that wait and keeps the review at four.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface PaceOptions {
  /** Requests allowed per origin in any rolling window. */
  perWindow?: number;
  /** One second, and a little margin for rounding in the server's clock. */
  windowMs?: number;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * `fetch`, holding each request back until a window has passed since the request `perWindow`
 * places before it (to the same origin) was answered. Counting from the answer, not from the
 * sending, holds whatever the network's delays: a server has received a request before it answers.
 */
export function paceRequests(fetchImpl: typeof fetch, options: PaceOptions = {}): typeof fetch {
  const { perWindow = 3, windowMs = 1_020, now = () => performance.now(), wait = sleep } = options;
  const answered = new Map<string, Promise<number>[]>();
  return async (input, init) => {
    const origin = new URL(input instanceof Request ? input.url : input).origin;
    // Places are taken synchronously, so concurrent callers queue one behind the other.
    const line = answered.get(origin) ?? [];
    const gate = line.length >= perWindow ? line[line.length - perWindow] : undefined;
    let done: (at: number) => void = () => {};
    line.push(new Promise<number>((resolve) => (done = resolve)));
    answered.set(origin, line.slice(-perWindow));
    try {
      if (gate) {
        const waitMs = (await gate) + windowMs - now();
        if (waitMs > 0) await wait(waitMs);
      }
      return await fetchImpl(input, init);
    } finally {
      done(now());
    }
  };
}
