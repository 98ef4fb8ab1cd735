import type { Config, Context } from "@netlify/functions";
import { createOwedWorkHandler } from "../../src/handlers.js";

/** Builds the handler: for Netlify from process.env; a test or the sandbox passes its own options. */
export const build = createOwedWorkHandler;

const handle = build();

export default (request: Request, context: Context) => handle(request, context);

/**
 * Cron in UTC: every ten minutes. Netlify never runs a scheduled function again after a failure, so
 * a weekly review or a sync that failed for a passing reason is owed in the store and run again
 * here until done; with nothing owed, a run is one store listing.
 */
export const config: Config = { schedule: "*/10 * * * *" };
