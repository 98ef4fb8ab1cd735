/** The weekly review's handler (netlify/functions/weekly-reminder.ts): every platform's client, to post each one's review. */
import { WEEKLY_REVIEW_SCHEDULE, weeklyReviewRoute } from "../schedule-routes.js";
import type { RuntimeOptions } from "../runtime.js";
import type { Handler } from "../serve.js";
import { everyPlatformWiring } from "./every-platform.js";
import { serveSchedule } from "./scheduled.js";

/** The weekly review (netlify/functions/weekly-reminder.ts), posted on every platform that is on; it redraws no Home tab. */
export function createWeeklyReviewHandler(options: RuntimeOptions = {}): Handler {
  return serveSchedule(WEEKLY_REVIEW_SCHEDULE, weeklyReviewRoute, { wiring: everyPlatformWiring() }, options);
}
