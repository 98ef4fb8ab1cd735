/** The owed work's handler (netlify/functions/owed-work.ts): what the weekly review and the task sync carry, since it runs either again. */
import { SLACK_PERSONAL_VIEWS } from "../platforms/slack/home/refresh-home.js";
import { OWED_WORK_SCHEDULE, owedWorkRoute } from "../schedule-routes.js";
import type { RuntimeOptions } from "../runtime.js";
import type { Handler } from "../serve.js";
import { everyPlatformWiring } from "./every-platform.js";
import { serveSchedule } from "./scheduled.js";

/** Scheduled work owed after a failure, run again (netlify/functions/owed-work.ts): a platform's weekly review, or the task sync (which may publish an owed Home tab). */
export function createOwedWorkHandler(options: RuntimeOptions = {}): Handler {
  return serveSchedule(OWED_WORK_SCHEDULE, owedWorkRoute, { wiring: everyPlatformWiring(), personalViews: SLACK_PERSONAL_VIEWS }, options);
}
