import type { Config, Context } from "@netlify/functions";
import { createStoreCleanupHandler } from "../../src/handlers.js";

/** Builds the handler: for Netlify from process.env; a test or the sandbox passes its own options. */
export const build = createStoreCleanupHandler;

const handle = build();

export default (request: Request, context: Context) => handle(request, context);

/** Cron in UTC: every day at 03:17, away from the hour marks other schedules use. */
export const config: Config = { schedule: "17 3 * * *" };
