/**
 * The handler behind each scheduled function (netlify/functions: weekly-reminder, task-sync,
 * store-cleanup, owed-work): runs the schedule's route from the table in routes.ts.
 */
import { TASK_SYNC_SCHEDULE } from "../features/task-status/sync-task-status.js";
import { OWED_WORK_SCHEDULE, scheduleRoutes, STORE_CLEANUP_SCHEDULE, WEEKLY_REVIEW_SCHEDULE, type ScheduleRoute } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, SCHEDULE_BUDGET_MS, type RuntimeOptions } from "../runtime.js";
import { SLACK_PERSONAL_VIEWS } from "../platforms/slack/home/refresh-home.js";
import { DISCORD_WIRING } from "../platforms/discord/wiring.js";
import { SLACK_WIRING } from "../platforms/slack/wiring.js";
import { MATTERMOST_WIRING } from "../platforms/mattermost/wiring.js";
import { TEAMS_WIRING } from "../platforms/teams/wiring.js";
import { serve, type Handler } from "../serve.js";

/**
 * A scheduled function (cron, UTC): runs the schedule's route from the table. A schedule is not a
 * Slack request: no signature to check. Its Notion requests are paced under Notion's ~3 a second
 * (pace-requests.ts), so a run never slows people saving tasks at the same moment.
 */
export function createScheduleHandler(name: keyof typeof scheduleRoutes, options: RuntimeOptions = {}): Handler {
  // Only Notion's requests: the store (one read per changed task in the hourly sync) and Slack have no such limit.
  const runtime = createRuntime({ invocationBudgetMs: SCHEDULE_BUDGET_MS, personalViews: SLACK_PERSONAL_VIEWS, ...options, paceNotion: true }, REQUIRED_VARIABLES.schedule, { ...SLACK_WIRING, ...DISCORD_WIRING, ...MATTERMOST_WIRING, ...TEAMS_WIRING });
  const route: ScheduleRoute = scheduleRoutes[name];
  return serve(
    runtime,
    { kind: "schedule", notConfigured: () => Response.json({ outcome: "not_configured" }, { status: 500 }), failed: () => Response.json({ outcome: "error" }, { status: 500 }) },
    async (_request, scope) => {
      scope.line.callback_id = name;
      // 5. Route; the run is its own deferred work: nobody waits on a schedule's answer.
      const run = await route(scope.context());
      scope.line.outcome = run.outcome;
      // What failed and why, in the run's own line; the cause, if any, came with the failure's log.
      if (run.failed !== undefined) Object.assign(scope.line, { failed: run.failed, error_code: scope.line.error_code ?? run.reason });
      // Netlify only logs a scheduled function's answer: 500 marks a failed run there.
      return Response.json(run, { status: run.failed === undefined ? 200 : 500 });
    },
  );
}

/** The hourly recovery of status changes no webhook event announced (netlify/functions/task-sync.ts). */
export function createTaskSyncHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler(TASK_SYNC_SCHEDULE, options);
}

/** The weekly review (netlify/functions/weekly-reminder.ts). */
export function createWeeklyReviewHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler(WEEKLY_REVIEW_SCHEDULE, options);
}

/** The daily store clean-up (netlify/functions/store-cleanup.ts). */
export function createStoreCleanupHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler(STORE_CLEANUP_SCHEDULE, options);
}

/** Scheduled work owed after a failure, run again (netlify/functions/owed-work.ts). */
export function createOwedWorkHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler(OWED_WORK_SCHEDULE, options);
}
