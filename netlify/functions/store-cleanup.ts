import type { Config, Context } from "@netlify/functions";
import { createScheduleHandler } from "../../src/handlers.js";

const handle = createScheduleHandler("store-cleanup");

export default (request: Request, context: Context) => handle(request, context);

/** Cron in UTC: every day at 03:17, away from the hour marks other schedules use. */
export const config: Config = { schedule: "17 3 * * *" };
