/**
 * The hourly recovery of missed webhook events: Notion may deliver an event late, or never (at most
 * 8 attempts; nothing replays it after). Each run reads the board's tasks edited since the last run
 * (`last_edited_time`, oldest first, at most SYNC_MAX_PAGES pages, paced by the schedule handler
 * under Notion's 3 requests a second) and tells each requester whose task is now in another status
 * group than they last heard of. Telling goes through the same conditional record as the webhook
 * (tell-requester.ts), so a change an event already announced is never announced again.
 *
 * Every platform's tasks are covered: a task's record names its requester's platform, and each is
 * told through that platform's ChatApi (tell-requester.ts).
 *
 * Each run first delivers what a platform refused for now (deliver-owed-sends.ts): messages, announcements
 * and Home tabs owed since an earlier invocation ran out of time to wait out a Retry-After.
 *
 * Where the last run stopped is kept in the store (SYNC_STATE_KEY). A run that read every change
 * moves it to its own start; one cut short by the page limit moves it to the last change it read,
 * and the next run goes on from there.
 */
import { describeError, errorCodeOf } from "../../log.js";
import { sameNotionId } from "../../notion/ids.js";
import type { TaskPage } from "../../notion/task-pages.js";
import type { ScheduleRun } from "../../schedule-routes.js";
import { readTaskRecord } from "../../store/task-records.js";
import type { FeatureContext } from "../context.js";
import { deliverOwedSends } from "../deliver-owed-sends.js";
import { explainNotionFailure, notionCodeOf } from "../notion-failure.js";
import { tellRequester } from "./tell-requester.js";

/** The schedule's name, as netlify/functions/task-sync.ts names it. */
export const TASK_SYNC_SCHEDULE = "task-sync";
/** Where the last run stopped, in the store. */
export const SYNC_STATE_KEY = "task-sync/last-run";
/** Pages of 100 changed tasks read per run: a busy hour of 300 changes is read whole; more is finished next hour. */
export const SYNC_MAX_PAGES = 3;
/** Records read (and requesters told) at once. */
const SYNC_CONCURRENCY = 5;
/** Notion gives last_edited_time to the minute: each run looks this far back past where the last one stopped. */
const OVERLAP_MS = 2 * 60_000;
/** The first run looks this far back. */
const FIRST_LOOKBACK_MS = 2 * 3_600_000;

interface SyncState {
  /** ISO 8601: the next run reads changes from here. */
  next: string;
}

export interface TaskSyncRun extends ScheduleRun {
  /** Changed tasks read. */
  checked: number;
  /** Requesters told of a change no event had announced. */
  told: number;
  /** True when the page limit cut the run short. */
  more: boolean;
  /** Owed sends delivered (deliver-owed-sends.ts). */
  delivered: number;
  /** Sends a platform refused for now in this run: owed, for the next. */
  owed: number;
}

/** Runs one sync; a failure is returned (and logged with what to do), never thrown. */
export async function syncTaskStatus(ctx: FeatureContext): Promise<TaskSyncRun> {
  const startedAt = ctx.now();
  const run: TaskSyncRun = { outcome: "synced", checked: 0, told: 0, more: false, delivered: 0, owed: 0 };
  await deliverOwed(ctx, run);
  const fail = (failed: string, error: unknown, fix: string): TaskSyncRun => {
    const failedRun = { ...run, outcome: "failed", failed, reason: errorCodeOf(error, "unknown_error") };
    ctx.log.error("task_sync", { ...runFields(failedRun), fix, ...describeError(error) });
    return failedRun;
  };

  let since: string;
  try {
    const state = await ctx.store.read<SyncState>(SYNC_STATE_KEY);
    since = state?.value.next ?? new Date(startedAt.getTime() - FIRST_LOOKBACK_MS).toISOString();
  } catch (error) {
    return fail("store", error, "Netlify Blobs did not answer; the next run tries again (nothing was announced twice).");
  }
  const from = new Date(Date.parse(since) - OVERLAP_MS).toISOString();
  let changed;
  try {
    changed = await ctx.pages.changedSince(from, { maxPages: SYNC_MAX_PAGES });
  } catch (error) {
    return fail("notion", error, `Notion failed: ${explainNotionFailure(notionCodeOf(error))} The next run reads the same changes again.`);
  }

  let undelivered: string | undefined;
  /** The platform of the first message refused for now in this run (the owed ones from earlier runs are counted, not named). */
  let owedOn: string | undefined;
  const candidates = await madeByTheBot(ctx, changed.pages);
  run.checked = changed.pages.length;
  // A few at a time: a busy hour's 300 changes take seconds, not minutes (a scheduled function has 30 s).
  for (let start = 0; start < candidates.length; start += SYNC_CONCURRENCY) {
    await Promise.all(
      candidates.slice(start, start + SYNC_CONCURRENCY).map(async (page) => {
        try {
          const { outcome, platform } = await announceIfMoved(ctx, page);
          if (outcome === "told") run.told += 1;
          if (outcome === "not_delivered") undelivered ??= platform;
          if (outcome === "owed") {
            run.owed += 1;
            owedOn ??= platform;
          }
        } catch (error) {
          // One task's store read failing does not stop the others; the next run sees it again.
          ctx.log.warn("task_sync.task_skipped", { page_id: page.id, ...describeError(error) });
          undelivered ??= "store";
        }
      }),
    );
  }
  run.more = !changed.complete;
  const next = changed.complete ? startedAt.toISOString() : (changed.pages.at(-1)?.lastEditedTime ?? since);
  try {
    await ctx.store.write<SyncState>(SYNC_STATE_KEY, { next });
  } catch (error) {
    return fail("store", error, "Netlify Blobs did not keep where this run stopped; the next run reads the same changes again (nothing is announced twice).");
  }
  if (undelivered === undefined && run.owed > 0) {
    const partial = { ...run, outcome: "failed", failed: owedOn ?? "chat", reason: "owed" };
    ctx.log.error("task_sync", { ...runFields(partial), fix: `The chat platform refused ${run.owed} message(s) for now (see the task_status.owed and home.owed lines): they are owed, and the next run delivers them.` });
    return partial;
  }
  if (undelivered !== undefined) {
    const partial = { ...run, outcome: "failed", failed: undelivered, reason: undelivered === "store" ? "store_unavailable" : "not_delivered" };
    ctx.log.error("task_sync", { ...runFields(partial), fix: "Some requesters could not be told: see the task_status.not_delivered lines (is the bot still in those channels?)." });
    return partial;
  }
  ctx.log.info("task_sync", runFields(run));
  return run;
}

/** Delivers what earlier invocations owe; a store that cannot list them is logged, and the sync goes on. */
async function deliverOwed(ctx: FeatureContext, run: TaskSyncRun): Promise<void> {
  try {
    const owed = await deliverOwedSends(ctx);
    run.delivered = owed.delivered;
    run.owed += owed.owed;
  } catch (error) {
    ctx.log.warn("owed.unavailable", { outcome: "degraded", ...describeError(error) });
  }
}

/**
 * Only pages the bot created can be its tasks: the rest are skipped without a store read. When
 * Notion will not say who the bot is, every page is looked up (slower, never wrong).
 */
async function madeByTheBot(ctx: FeatureContext, pages: TaskPage[]): Promise<TaskPage[]> {
  let bot: string;
  try {
    bot = await ctx.pages.botUserId();
  } catch (error) {
    ctx.log.info("task_sync.bot_unknown", { outcome: "degraded", fallback: "read_every_record", ...describeError(error) });
    return pages;
  }
  return pages.filter((page) => page.createdBy === undefined || sameNotionId(page.createdBy, bot));
}

/**
 * Tells the requester when the task is a bot's task whose group moved since they last heard, on
 * whichever platform they asked from; says which platform, for the run's `failed`.
 */
async function announceIfMoved(ctx: FeatureContext, page: TaskPage): Promise<{ outcome: string; platform?: string }> {
  if (page.group === undefined) return { outcome: "no_status" };
  const entry = await readTaskRecord(ctx.store, page.id);
  if (!entry) return { outcome: "not_a_bot_task" };
  const platform = entry.value.requester.platform;
  if (entry.value.group === page.group) return { outcome: "unchanged", platform };
  // Who moved it is not known here: last_edited_by may be a later edit of another property.
  const outcome = await tellRequester(ctx, page.id, entry, { page: { ...page, group: page.group }, by: undefined });
  ctx.log.info("task_sync.announced", { page_id: page.id, outcome, group: page.group, platform });
  return { outcome, platform };
}

function runFields(run: TaskSyncRun): Record<string, string | number | boolean | undefined> {
  return { outcome: run.outcome, checked: run.checked, told: run.told, more: run.more, delivered: run.delivered, owed: run.owed, failed: run.failed, reason: run.reason };
}
