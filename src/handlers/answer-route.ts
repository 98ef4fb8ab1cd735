/**
 * Steps 7 and 8 for an adapter whose Reply answers as soon as a route says something (Discord's
 * interaction response, Teams' invoke answer), shared by their handlers: the first response when the
 * route gives it, else the deferred one at the acknowledgement's deadline; the rest of the route
 * after the response, then `done` (its claim marked complete).
 */
import type { Card } from "../chat/card.js";
import type { Reply } from "../chat/reply.js";
import type { FeatureContext } from "../features/context.js";
import { settleWithin } from "../features/settle-within.js";
import { describeError, type LogFields } from "../log.js";

/** A Reply that says when its first answer is given (the adapter builds the HTTP response from it). */
export interface GivingReply extends Pick<Reply, "tellPrivately"> {
  readonly given: Promise<void>;
  readonly hasGiven: boolean;
}

/** A card of one line of text. */
export function cardOf(text: string): Card {
  return { summary: [text], blocks: [{ kind: "text", text: [text] }] };
}

export const FAILED = "Something went wrong on my side. Please try again in a moment.";

/**
 * Waits for the route's first answer within the deadline; a route that failed before saying anything
 * gets FAILED said for it, and its line says why (once: not again as deferred work). Never rejects.
 */
export async function answerRoute(work: Promise<void>, reply: GivingReply, ctx: Pick<FeatureContext, "deadline" | "defer">, line: LogFields, finish: { label: string; done: () => Promise<void> }): Promise<void> {
  // 7. Acknowledge: the first response as soon as the route gives it, else the deferred one at the deadline.
  const settled = await settleWithin(Promise.race([work, reply.given]), ctx.deadline.remainingMs());
  const failedFirst = settled.state === "rejected" && !reply.hasGiven;
  let told: Promise<void> = Promise.resolve();
  if (failedFirst) {
    Object.assign(line, { outcome: "error", ...describeError(settled.error) });
    // Within what is left of the deadline: where saying it is a call of its own (a Teams message
    // answered through the connector), a slow platform must not hold the acknowledgement past it.
    told = reply.tellPrivately(cardOf(FAILED)).catch(() => undefined);
    await settleWithin(told, ctx.deadline.remainingMs());
  }
  if (settled.state === "pending") line.deferred = true;
  // 8. Deferred work: the rest of the route (and the failure's words, if still on their way), then `done`.
  ctx.defer(finish.label, async () => {
    try {
      await (failedFirst ? Promise.all([work.catch(() => undefined), told]) : work);
    } finally {
      await finish.done();
    }
  });
}
