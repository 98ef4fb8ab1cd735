/**
 * Delivering what a chat platform refused for now (store/owed-sends.ts): by the hourly task sync before its
 * own work, and after each Notion webhook event's (so usually within minutes of Slack's Retry-After). Each owed send is taken under a lease (one instance delivers it), rebuilt from Notion and
 * the task's record as they are now, posted through its feature's own road, on the platform it names (so a refusal owes it
 * again, and Retry-After is honoured the same way), then settled. What no longer applies is dropped:
 * a status the task has left, a task deleted or off the board. A message is marked as posting in
 * the store just before its post, so a settle that fails after the post (the store failing, or down
 * for the rest of the run) never has it posted again.
 */
import { describeError } from "../log.js";
import { ChatError } from "../chat/chat-error.js";
import { takeOwedSends, type OwedSend, type TakenSend } from "../store/owed-sends.js";
import { readTaskRecord } from "../store/task-records.js";
import type { FeatureContext } from "./context.js";
import { SEND_TIMEOUT_MS } from "./send-patiently.js";
import { announceTask } from "./task-request/announce-task.js";
import { notifyRequester } from "./task-status/tell-requester.js";

/** Owed sends one run takes at most: each may read a page from Notion (paced at 3 a second) within the run's 25 s. */
export const OWED_PER_RUN = 20;
/** How long a deliverer holds what it took: longer than a run. */
const OWED_LEASE_MS = 60_000;
/** What delivering (and waiting out Slack again) may take of an invocation: the rest is for the caller's own work. */
export const OWED_BUDGET_MS = 10_000;

export interface OwedRun {
  /** Posted (or published) now. */
  delivered: number;
  /** Refused for now again: still owed. */
  owed: number;
  /** No longer applies, refused for good, or a day old: not delivered, logged. */
  dropped: number;
  /** Not due yet, held by another run, owed again (newer) while taken, or left for the next one. */
  waiting: number;
}

/** `superseded`: owed again since it was taken (a newer status, say); the newer one is delivered next. */
type Delivery = "delivered" | "owed" | "dropped" | "superseded";

/** Delivers the owed sends that are due; rejects with StoreError only when the store cannot list them. */
export async function deliverOwedSends(outer: FeatureContext): Promise<OwedRun> {
  const started = outer.now().getTime();
  const at = Math.min(outer.budget.at, started + OWED_BUDGET_MS);
  // Waits for Slack inside a delivery draw from this shorter budget, not the whole invocation's.
  const ctx: FeatureContext = { ...outer, budget: { at, remainingMs: () => Math.max(0, at - outer.now().getTime()) } };
  const taken = await takeOwedSends(ctx.store, { now: started, leaseMs: OWED_LEASE_MS, max: OWED_PER_RUN });
  const run: OwedRun = { delivered: 0, owed: 0, dropped: taken.expired.length, waiting: taken.waiting };
  for (const record of taken.expired) ctx.log.warn("owed.expired", { ...idsOf(record.send), owed_since: new Date(record.since).toISOString(), outcome: "dropped" });
  // Counted by the run that posted them (or stopped mid-way): only logged here.
  for (const record of taken.unsettled) ctx.log.warn("owed.unsettled", { ...idsOf(record.send), owed_since: new Date(record.since).toISOString(), outcome: "not_posted_again" });
  for (const [index, held] of taken.taken.entries()) {
    if (ctx.budget.remainingMs() < SEND_TIMEOUT_MS) {
      // Out of time: the rest are taken again when their lease ends.
      run.waiting += taken.taken.length - index;
      break;
    }
    const fields = idsOf(held.record.send);
    let outcome: Delivery;
    try {
      outcome = await deliver(ctx, held);
    } catch (error) {
      // Notion or the store failed: the entry stays, and is taken again once its lease ends (unless it was marked posting).
      run.waiting += 1;
      ctx.log.warn("owed.delivery_failed", { ...fields, outcome: "kept", ...describeError(error) });
      continue;
    }
    run[outcome === "superseded" ? "waiting" : outcome] += 1;
    const owedSince = new Date(held.record.since).toISOString();
    if (outcome === "superseded") {
      ctx.log.info("owed.delivery", { ...fields, outcome, owed_since: owedSince });
      continue;
    }
    try {
      await held.settle();
      ctx.log.info("owed.delivery", { ...fields, outcome, owed_since: owedSince });
    } catch (error) {
      // Counted once, as what happened: a message marked posting is never posted again, and the next taker deletes it.
      ctx.log.warn("owed.settle_failed", { ...fields, outcome, owed_since: owedSince, ...describeError(error) });
    }
  }
  if (run.delivered + run.owed + run.dropped > 0) ctx.log.info("owed.run", { delivered: run.delivered, owed: run.owed, dropped: run.dropped, waiting: run.waiting });
  return run;
}

async function deliver(ctx: FeatureContext, held: TakenSend): Promise<Delivery> {
  const send = held.record.send;
  switch (send.kind) {
    case "status": {
      // The record says what the requester should last have heard of: another move since replaced this message.
      const entry = await readTaskRecord(ctx.store, send.pageId);
      if (!entry || entry.value.group !== send.group) return "dropped";
      const lookup = await ctx.pages.read(send.pageId);
      // The task moved on (its own event or the sync tells of that), or is gone.
      if (lookup.kind !== "task" || lookup.page.group !== send.group) return "dropped";
      const by = send.by === undefined ? undefined : { person: send.by };
      // Last, just before the post: nothing that can fail without posting comes after it.
      if (!(await held.posting())) return "superseded";
      const told = await notifyRequester(ctx, send.pageId, entry.value, { page: { ...lookup.page, group: send.group }, by });
      return told === "told" ? "delivered" : told === "owed" ? "owed" : "dropped";
    }
    case "announcement": {
      const lookup = await ctx.pages.read(send.pageId);
      if (lookup.kind !== "task") return "dropped";
      const { page, board } = lookup;
      const status = board.status && { pageId: page.id, group: page.group, groups: board.status.groups };
      if (!(await held.posting())) return "superseded";
      // One owed before the port names no platform: it is Slack's. A post to a channel needs no workspace.
      const platform = send.platform ?? "slack";
      const announced = await announceTask(ctx, { platform, workspace: "", channel: send.channel }, page, { platform, userId: send.requester }, status);
      return announced === "announced" ? "delivered" : announced === "owed" ? "owed" : "dropped";
    }
    case "home": {
      // No posting mark: views.publish replaces the tab, so publishing it again shows the same.
      let refreshed;
      try {
        // An owed tab is a Slack Home tab (store/owed-sends.ts); without Slack on, there is none to publish.
        const home = ctx.personalViews?.slack;
        if (!home) return "dropped";
        refreshed = await home.refresh(send.userId, ctx, "changed");
      } catch (error) {
        // views.publish refused for good (the Home tab turned off, say): waiting will not change it.
        if (!isPlatformRefusal(error)) throw error;
        ctx.log.warn("home.not_published", { user: send.userId, ...describeError(error) });
        return "dropped";
      }
      return refreshed.published ? "delivered" : "owed" in refreshed ? "owed" : "dropped";
    }
  }
}

/**
 * A chat platform's answer (not Notion's or the store's): the port's ChatError, or Slack's own
 * error from the Home tab's publish, which is not on the port (read by its name: no feature imports a platform).
 */
function isPlatformRefusal(error: unknown): boolean {
  return error instanceof ChatError || (error instanceof Error && error.name === "SlackApiError");
}

/** What the log may say of an owed send: its kind and ids. */
function idsOf(send: OwedSend): Record<string, string> {
  return send.kind === "home" ? { kind: send.kind, user: send.userId } : { kind: send.kind, page_id: send.pageId };
}
