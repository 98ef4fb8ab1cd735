/**
 * One outcome per Notion webhook event, whichever instance each delivery lands on. Notion delivers
 * at least once: a delivery it thinks failed comes again with the same event `id` and the next
 * `attempt_number`. The first delivery of an id claims `notion-event:<id>` and records its attempt;
 * a later one with another attempt is a redelivery (answered 200, nothing done), and one with the
 * same attempt again is a copy Notion never sends: a replay (refused).
 */
import type { NotionEvent } from "../notion/webhook-payloads.js";
import { MAX_EVENT_AGE_MS } from "../notion/verify-webhook.js";
import { completeClaim } from "../store/claims.js";
import type { StoreError } from "../store/store.js";
import type { FeatureContext } from "./context.js";

/** Long enough for any accepted event (checkEventTime refuses older ones) to find its first delivery. */
export const EVENT_CLAIM_HORIZON_MS = MAX_EVENT_AGE_MS + 3_600_000;
const EVENT_LEASE_MS = 60_000;

export type EventClaim =
  | { kind: "first" }
  | { kind: "redelivery" }
  | { kind: "replay" }
  | { kind: "unavailable"; error: StoreError };

/** Claims the event's id; the first delivery's attempt number is recorded at once. */
export async function claimNotionEvent(event: NotionEvent, ctx: FeatureContext): Promise<EventClaim> {
  const name = `notion-event:${event.id}`;
  const attempt = event.attempt_number ?? 1;
  const claim = await ctx.claims.claim<{ attempt: number }>(name, { now: ctx.now().getTime(), leaseMs: EVENT_LEASE_MS, horizonMs: EVENT_CLAIM_HORIZON_MS, deadline: ctx.deadline });
  switch (claim.kind) {
    case "won":
      // The event's outcome is this request's from here on (acknowledged, then worked on): say so now.
      await completeClaim(claim, { attempt }, ctx.log, name);
      return { kind: "first" };
    case "done":
      return claim.result.attempt === attempt ? { kind: "replay" } : { kind: "redelivery" };
    case "pending":
      return { kind: "redelivery" };
    case "unavailable":
      // Notion is asked to deliver it again: a claim that landed after all must not turn that into a duplicate.
      ctx.defer("free the event's claim", () => claim.release());
      return { kind: "unavailable", error: claim.error };
  }
}
