/**
 * Notion allows an integration an average of three requests a second and answers a burst beyond
 * that with 429 and Retry-After. A cold weekly review sends four requests back to back (~150 ms
 * each): the fourth would land inside the first one's second, draw a 429 and wait a whole second
 * before a fifth request. Spacing requests costs less than that wait and keeps the review at four.
 *
 * Writes come first: a person's save or move takes the next place in the line ahead of waiting
 * reads, and once Notion has answered 429, reads wait out its Retry-After (as given) while writes
 * keep their turn (their own retry honours it: client.ts). Reads are what can wait: the shared
 * snapshot (shared-board.ts) answers from the last one meanwhile.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isReadRequest, retryAfterMs } from "./client.js";

export interface PaceOptions {
  /** Requests allowed per origin in any rolling window. */
  perWindow?: number;
  /** One second, and a little margin for rounding in the server's clock. */
  windowMs?: number;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

interface Waiting {
  write: boolean;
  go(): void;
}

interface Line {
  /** When each of the last `perWindow` requests sent was answered. */
  answered: Promise<number>[];
  waiting: Waiting[];
  pumping: boolean;
  /** No read is sent before this (a 429's Retry-After), on the clock of `now`. */
  readsHeldUntil: number;
  /** Ends a wait on held reads early when a write arrives. */
  wake: (() => void) | undefined;
}

/** A place in the pacing line: call `done` once the request is answered (or failed). */
export type Turn = (response?: Response) => void;

/**
 * The pacing line: `take(input, init)` resolves when the request may be sent, and the caller reports
 * its answer with the Turn it gets. The time a request waits here is not the request's: the client
 * starts its timeout once the turn comes (client.ts), so a request never times out in the line, and
 * one that never left takes no place in it.
 */
export interface Pacer {
  take(input: string | URL | Request, init?: RequestInit): Promise<Turn>;
}

/**
 * A pacer: holds each request back until a window has passed since the request `perWindow` places
 * before it (to the same origin) was answered; writes take the next place before any read, and
 * reads wait out a 429's Retry-After. Counting from the answer, not from the sending, holds whatever
 * the network's delays: a server has received a request before it answers.
 */
export function createPacer(options: PaceOptions = {}): Pacer {
  const { perWindow = 3, windowMs = 1_020, now = () => performance.now(), wait = sleep } = options;
  const lines = new Map<string, Line>();

  async function pump(line: Line): Promise<void> {
    if (line.pumping) return;
    line.pumping = true;
    try {
      while (line.waiting.length > 0) {
        const gate = line.answered.length >= perWindow ? line.answered[line.answered.length - perWindow] : undefined;
        if (gate) {
          const waitMs = (await gate) + windowMs - now();
          if (waitMs > 0) await wait(waitMs);
        }
        let index = line.waiting.findIndex((waiting) => waiting.write);
        if (index === -1) {
          const heldUntil = line.readsHeldUntil;
          const heldMs = heldUntil - now();
          if (heldMs > 0) {
            // A write arriving meanwhile is sent at once.
            const woken = await Promise.race([wait(heldMs).then(() => false), new Promise<boolean>((resolve) => (line.wake = () => resolve(true)))]);
            line.wake = undefined;
            // Waited out (whatever the clock says: a test's may stand still), unless a newer 429 moved it.
            if (!woken && line.readsHeldUntil === heldUntil) line.readsHeldUntil = 0;
            continue;
          }
          index = 0;
        }
        line.waiting.splice(index, 1)[0]!.go();
      }
    } finally {
      line.pumping = false;
    }
  }

  return {
    async take(input, init) {
      const origin = new URL(input instanceof Request ? input.url : input).origin;
      const line = lines.get(origin) ?? { answered: [], waiting: [], pumping: false, readsHeldUntil: 0, wake: undefined };
      lines.set(origin, line);
      const write = !isReadRequest(input, init);
      let done: (at: number) => void = () => {};
      const answered = new Promise<number>((resolve) => (done = resolve));
      await new Promise<void>((resolve) => {
        line.waiting.push({
          write,
          go() {
            line.answered = [...line.answered, answered].slice(-perWindow);
            resolve();
          },
        });
        if (write) line.wake?.();
        void pump(line);
      });
      return (response) => {
        if (response?.status === 429) line.readsHeldUntil = Math.max(line.readsHeldUntil, now() + (retryAfterMs(response.headers.get("retry-after")) ?? windowMs));
        done(now());
      };
    },
  };
}

/** `fetch` through a pacer (createPacer): each request waits for its turn, then is sent. */
export function paceRequests(fetchImpl: typeof fetch, options: PaceOptions | Pacer = {}): typeof fetch {
  const pacer = "take" in options ? options : createPacer(options);
  return async (input, init) => {
    const turn = await pacer.take(input, init);
    let response: Response | undefined;
    try {
      response = await fetchImpl(input, init);
      return response;
    } finally {
      turn(response);
    }
  };
}
