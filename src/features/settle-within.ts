/** The state of a promise after waiting at most `ms`: settled either way, or still pending. */
export type Settled<T> = { state: "fulfilled"; value: T } | { state: "rejected"; error: unknown } | { state: "pending" };

/**
 * Waits for `promise` up to `ms`. Slack gives three seconds; whatever Notion is doing then, the bot
 * answers, and the caller decides what to do with work still under way.
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: "pending" }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Settled<T> => ({ state: "fulfilled", value }),
        (error: unknown): Settled<T> => ({ state: "rejected", error }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
