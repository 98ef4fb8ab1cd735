/** The hourly task sync's handler (netlify/functions/task-sync.ts): every platform's client, and the Slack Home tab an owed send may publish. */
import { SLACK_PERSONAL_VIEWS } from "../platforms/slack/home/refresh-home.js";
import { taskSyncRoute } from "../schedule-routes.js";
import { TASK_SYNC_SCHEDULE } from "../features/task-status/sync-task-status.js";
import type { RuntimeOptions } from "../runtime.js";
import type { Handler } from "../serve.js";
import { everyPlatformWiring } from "./every-platform.js";
import { serveSchedule } from "./scheduled.js";

/** The hourly recovery of status changes no webhook event announced, after the owed sends (netlify/functions/task-sync.ts). */
export function createTaskSyncHandler(options: RuntimeOptions = {}): Handler {
  return serveSchedule(TASK_SYNC_SCHEDULE, taskSyncRoute, { wiring: everyPlatformWiring(), personalViews: SLACK_PERSONAL_VIEWS }, options);
}
