/** The daily store clean-up's handler (netlify/functions/store-cleanup.ts): the store and Notion's variables only, no chat platform. */
import { STORE_CLEANUP_SCHEDULE, storeCleanupRoute } from "../schedule-routes.js";
import type { RuntimeOptions } from "../runtime.js";
import type { Handler } from "../serve.js";
import { serveSchedule } from "./scheduled.js";

/** The daily store clean-up (netlify/functions/store-cleanup.ts): it deletes entries and posts nowhere, so it is wired for no platform. */
export function createStoreCleanupHandler(options: RuntimeOptions = {}): Handler {
  return serveSchedule(STORE_CLEANUP_SCHEDULE, storeCleanupRoute, { wiring: {} }, options);
}
