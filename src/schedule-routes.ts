/**
 * What each schedule runs (cron, UTC; each one's schedule is declared in its file under
 * netlify/functions): the weekly review to every platform, the hourly sync, the store's clean-up and
 * the owed work, each owed until done where it can fail for a reason that passes.
 */
import { PLATFORMS, type Platform } from "./chat/model.js";
import type { FeatureContext } from "./features/context.js";
import { cleanUpStore } from "./features/maintenance/clean-up-store.js";
import { keepOwed, reviewWeek, runOwedWork, runOwing, type OwedWorkRun } from "./features/owed-work/owed-work.js";
import { syncTaskStatus, TASK_SYNC_SCHEDULE, type TaskSyncRun } from "./features/task-status/sync-task-status.js";
import { postWeeklyReview, type WeeklyReviewResult } from "./features/weekly-review/post-weekly-review.js";

/** What a scheduled run reports: its outcome for the log line, and what failed when it did. */
export interface ScheduleRun {
  outcome: string;
  failed?: string;
  reason?: string;
}

export type ScheduleRoute = (ctx: FeatureContext) => Promise<ScheduleRun & object>;

/** The weekly review's schedule, as netlify/functions/weekly-reminder.ts names it. */
export const WEEKLY_REVIEW_SCHEDULE = "weekly-review";
/** The store's daily clean-up (netlify/functions/store-cleanup.ts). */
export const STORE_CLEANUP_SCHEDULE = "store-cleanup";
/** Scheduled work owed after a failure that passes, run again every ten minutes (netlify/functions/owed-work.ts). */
export const OWED_WORK_SCHEDULE = "owed-work";

/**
 * Each platform's weekly review is owed on its own (features/owed-work/owed-work.ts): Slack's under
 * the schedule's own name, as before there were other platforms (an entry owed across a deploy is
 * still found), another's as `weekly-review.<platform>`. A platform's failure never posts another's again.
 */
function reviewScheduleOf(platform: Platform): string {
  return platform === "slack" ? WEEKLY_REVIEW_SCHEDULE : `${WEEKLY_REVIEW_SCHEDULE}.${platform}`;
}

/** The weekly review to every platform (or `platforms` only: an owed run), each owed until done. */
async function weeklyReviewOwing(ctx: FeatureContext, platforms?: readonly Platform[]): Promise<WeeklyReviewResult> {
  const week = reviewWeek(ctx);
  const result = await postWeeklyReview(ctx, { platforms });
  const runs = result.platforms ?? (result.platform ? { [result.platform]: result } : {});
  for (const platform of PLATFORMS) {
    const run = runs[platform];
    if (run) await keepOwed(reviewScheduleOf(platform), ctx, run, week);
  }
  return result;
}
/** The hourly sync, owed until done. */
const taskSyncOwing = (ctx: FeatureContext): Promise<TaskSyncRun> => runOwing(TASK_SYNC_SCHEDULE, ctx, () => syncTaskStatus(ctx));

/*
 * Schedules: cron, UTC; each one's schedule is declared in its file under netlify/functions. One
 * const per schedule, and each scheduled function's handler (handlers/<schedule>.ts) imports its
 * own: a schedule's bundle then holds only the features its route reaches (the clean-up, no chat
 * platform at all), where the table below holds every schedule's.
 */

/** The weekly review to every platform, each owed until done (netlify/functions/weekly-reminder.ts). */
export const weeklyReviewRoute: ScheduleRoute = (ctx: FeatureContext) => weeklyReviewOwing(ctx);
/** The store's daily clean-up (netlify/functions/store-cleanup.ts). */
export const storeCleanupRoute: ScheduleRoute = cleanUpStore;
/** The hourly sync, owed until done (netlify/functions/task-sync.ts). */
export const taskSyncRoute: ScheduleRoute = taskSyncOwing;
/** What failed for a reason that passes, run again (netlify/functions/owed-work.ts): the review per platform, the sync. */
export const owedWorkRoute: ScheduleRoute = (ctx: FeatureContext): Promise<OwedWorkRun> =>
  runOwedWork(
    ctx,
    Object.fromEntries<(ctx: FeatureContext) => Promise<WeeklyReviewResult | TaskSyncRun>>([
      ...PLATFORMS.map((platform) => [reviewScheduleOf(platform), (ctx: FeatureContext) => weeklyReviewOwing(ctx, [platform])] as const),
      [TASK_SYNC_SCHEDULE, taskSyncOwing],
    ]),
  );

/**
 * Every schedule, by name (the whole table, `routes.schedule`; tests and the dev harnesses run one by
 * name). Literal keys, so a bundle that never reads it drops it (a computed key or a call would keep it).
 */
export const scheduleRoutes: Readonly<Record<typeof WEEKLY_REVIEW_SCHEDULE | typeof STORE_CLEANUP_SCHEDULE | typeof TASK_SYNC_SCHEDULE | typeof OWED_WORK_SCHEDULE, ScheduleRoute>> = {
  "weekly-review": weeklyReviewRoute,
  "store-cleanup": storeCleanupRoute,
  "task-sync": taskSyncRoute,
  "owed-work": owedWorkRoute,
};
