import type { Config, Context } from "@netlify/functions";
import { createTaskSyncHandler } from "../../src/handlers.js";

/** Builds the handler: for Netlify from process.env; a test or the sandbox passes its own options. */
export const build = createTaskSyncHandler;

const handle = build();

export default (request: Request, context: Context) => handle(request, context);

/**
 * Cron in UTC: every hour, on the hour. It only announces status changes no webhook event did
 * (Notion's events can come late or not at all), so a run finding nothing is the usual case.
 */
export const config: Config = { schedule: "@hourly" };
