/**
 * One page per form, whichever instance each submission of it lands on: the first submission of a
 * form claims `view:<its instance>` in the store (a Slack view id, a Discord interaction id: they
 * never look alike, and Slack's claims keep the name they have always had) and saves; a later one (a person pressing Create task
 * again after Slack showed a timeout, or Slack retrying) gets the first one's page instead. When the
 * store cannot be reached, saving falls back to what works without it: the look for an earlier save
 * on the board (by its Request ID, or the request's line in the page body) and this instance's
 * memory (task-store.ts).
 *
 * A page found on the board is announced by whichever submission first confirms it: the claim says
 * whether an earlier one did (done), or none did (won: the page an unconfirmed save left is this
 * submission's to confirm); without the store, this instance's memory says (task-store.ts `found`).
 */
import { describeError } from "../../log.js";
import { pageUrl } from "../../notion/properties.js";
import type { SavedTask } from "../../notion/task-store.js";
import { completeClaim } from "../../store/claims.js";
import type { NewTask } from "../../tasks/task.js";
import type { FeatureContext } from "../context.js";

/** How long a save may hold its claim: Notion's timeout and retries fit well inside it. */
export const SAVE_LEASE_MS = 30_000;
/** A second submission of one modal may come this long after the first and still find it. */
export const SAVE_HORIZON_MS = 24 * 3_600_000;
/** How often a second submission looks whether the first one's save has landed. */
export const SAVE_POLL_MS = 250;

/** What the claim leaves: the page's id (its URL is derived, so no title is stored). */
type SavedClaim = { pageId: string };

/** What waiting on an earlier submission's save came to. */
export type Waited =
  | { kind: "landed"; saved: SavedTask }
  /** Its save failed and freed the claim: nothing will land from it, and this submission may save. */
  | { kind: "released" }
  /** Still under way when the wait ended. */
  | { kind: "pending" };

export type SaveOnce =
  /** This request saves (it holds the claim, or the store was unavailable). */
  | { kind: "saving"; saving: Promise<SavedTask> }
  /** An earlier submission of this modal saved it. */
  | { kind: "saved"; saved: SavedTask }
  /** An earlier submission is saving it right now: `wait(ms)` watches its claim for up to ms. */
  | { kind: "elsewhere"; wait: (withinMs: number) => Promise<Waited> };

export interface SaveOnceInput {
  task: NewTask;
  /** The opened form's instance (IntentOf<"submit_form">["instance"]). */
  instance: string;
  requesterEmail: () => Promise<string | undefined>;
}

/**
 * Claims the form, then saves or reports what an earlier submission did. Never rejects; `saving` may.
 * The claim stops at the request's deadline unless `deadline` says otherwise (undefined after the
 * acknowledgement, when only the store's own timeout applies).
 */
export async function saveOnce(input: SaveOnceInput, ctx: FeatureContext, options: { deadline?: FeatureContext["deadline"] | undefined } = { deadline: ctx.deadline }): Promise<SaveOnce> {
  const name = `view:${input.instance}`;
  const now = ctx.now().getTime();
  const claim = await ctx.claims.claim<SavedClaim>(name, { now, leaseMs: SAVE_LEASE_MS, horizonMs: SAVE_HORIZON_MS, deadline: options.deadline });
  const save = () => ctx.tasks.createTask(input.task, { requesterEmail: input.requesterEmail, log: ctx.log });
  switch (claim.kind) {
    case "won": {
      const saving = save().then(
        async (saved) => {
          await completeClaim(claim, { pageId: saved.id }, ctx.log, name);
          // The claim was free, so no earlier submission completed it: a page of this request the board
          // showed (its save failed or went unconfirmed, on any instance, or its instance stopped) was
          // confirmed by nobody, and this submission confirms and announces it. Only a claim its saver
          // could not complete (store.claim_not_completed) makes that a second announcement.
          return saved.found === "earlier" ? { ...saved, existing: false } : saved;
        },
        async (error: unknown) => {
          // Not saved: free the claim, so pressing Create task again can save it.
          await claim.release().catch(() => undefined);
          throw error;
        },
      );
      return { kind: "saving", saving };
    }
    case "done":
      ctx.log.info("task.already_saved", { claim: name });
      return { kind: "saved", saved: savedTask(claim.result.pageId, input.task.title) };
    case "pending":
      ctx.log.info("task.saving_elsewhere", { claim: name });
      return { kind: "elsewhere", wait: (withinMs) => waitForPage(name, input.task.title, withinMs, ctx) };
    case "unavailable": {
      ctx.log.warn("store.unavailable", { claim: name, outcome: "degraded", fallback: "board_lookup", ...describeError(claim.error) });
      // Whatever the save comes to, a claim that landed after all says so, or a retry would wait on it.
      const saving = save();
      saving.then(
        (saved) => ctx.defer("settle the view's claim", () => claim.complete({ pageId: saved.id })),
        () => ctx.defer("free the view's claim", () => claim.release()),
      );
      return { kind: "saving", saving };
    }
  }
}

/**
 * Polls the claim until the earlier submission's page is there, for at most `withinMs`: every wait
 * and every look at the store stops by then, since on the acknowledgement path `withinMs` is what is
 * left of the request's deadline. The looks are counted too, so a clock that stands still (a test's)
 * cannot make it poll for ever.
 */
async function waitForPage(name: string, title: string, withinMs: number, ctx: FeatureContext): Promise<Waited> {
  const maxPolls = Math.ceil(withinMs / SAVE_POLL_MS);
  const until = ctx.now().getTime() + withinMs;
  const deadline = { remainingMs: () => Math.max(0, until - ctx.now().getTime()) };
  for (let poll = 0; poll < maxPolls && deadline.remainingMs() > 0; poll++) {
    await ctx.sleep(Math.min(SAVE_POLL_MS, deadline.remainingMs()));
    const seen = await ctx.claims.peek<SavedClaim>(name, { now: ctx.now().getTime(), horizonMs: SAVE_HORIZON_MS, deadline });
    if (seen.kind === "done") return { kind: "landed", saved: savedTask(seen.result.pageId, title) };
    // Released (its save failed) or gone: nothing will land from it.
    if (seen.kind === "none") return { kind: "released" };
  }
  return { kind: "pending" };
}

/** A saved task known by its page id, linked by its bare page URL. */
function savedTask(pageId: string, title: string): SavedTask {
  return { id: pageId, url: pageUrl(pageId), title, existing: true };
}
