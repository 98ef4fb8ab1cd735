import type { Config, Context } from "@netlify/functions";
import { createWeeklyReviewHandler } from "../../src/handlers.js";

/** Builds the handler: for Netlify from process.env; a test or the sandbox passes its own options. */
export const build = createWeeklyReviewHandler;

const handle = build();

export default (request: Request, context: Context) => handle(request, context);

/**
 * Cron in UTC: Mondays 09:00. To post at another time, change this line and redeploy (Netlify reads
 * it at build time): e.g. "0 7 * * 1" is 08:00 in Paris in winter (09:00 in summer), and
 * "0 17 * * 1" is 09:00 in Los Angeles in winter. Keep it on a Monday in REVIEW_TIMEZONE: the review
 * groups tasks by the week that contains "today" there.
 */
export const config: Config = { schedule: "0 9 * * 1" };
