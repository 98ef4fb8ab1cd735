/**
 * Every scheduled function's handler by its schedule's name (routes.ts scheduleRoutes), for what
 * runs a schedule by name (the dev harnesses, the sandbox, tests). netlify/functions import each
 * schedule's own handler instead (handlers/weekly-review.ts, task-sync.ts, store-cleanup.ts,
 * owed-work.ts), so a schedule's bundle holds only what its route reaches.
 */
import { TASK_SYNC_SCHEDULE } from "../features/task-status/sync-task-status.js";
import { OWED_WORK_SCHEDULE, STORE_CLEANUP_SCHEDULE, WEEKLY_REVIEW_SCHEDULE, type scheduleRoutes } from "../schedule-routes.js";
import type { RuntimeOptions } from "../runtime.js";
import type { Handler } from "../serve.js";
import { createOwedWorkHandler } from "./owed-work.js";
import { createStoreCleanupHandler } from "./store-cleanup.js";
import { createTaskSyncHandler } from "./task-sync.js";
import { createWeeklyReviewHandler } from "./weekly-review.js";

/**
 * The scheduled function named `name` (cron, UTC), built as its own Netlify function builds it. A
 * switch, not a table: esbuild keeps an object literal with computed keys in every bundle that
 * imports handlers.ts, and with it every schedule's handler.
 */
export function createScheduleHandler(name: keyof typeof scheduleRoutes, options: RuntimeOptions = {}): Handler {
  switch (name) {
    case WEEKLY_REVIEW_SCHEDULE:
      return createWeeklyReviewHandler(options);
    case STORE_CLEANUP_SCHEDULE:
      return createStoreCleanupHandler(options);
    case TASK_SYNC_SCHEDULE:
      return createTaskSyncHandler(options);
    case OWED_WORK_SCHEDULE:
      return createOwedWorkHandler(options);
  }
}
