/**
 * Every platform's wiring (runtime.ts PlatformWiring), for a function that may post on any of them:
 * the weekly review, the hourly sync and the owed work (handlers/weekly-review.ts, task-sync.ts,
 * owed-work.ts), and Notion's webhooks (a move is told on the requester's platform). Not the clean-up, which posts nowhere.
 */
import { DISCORD_WIRING } from "../platforms/discord/wiring.js";
import { MATTERMOST_WIRING } from "../platforms/mattermost/wiring.js";
import { SLACK_WIRING } from "../platforms/slack/wiring.js";
import { TEAMS_WIRING } from "../platforms/teams/wiring.js";
import type { PlatformWiring } from "../runtime.js";

/**
 * Every platform's wiring, merged when a handler is built: a merge at the top of this module would be
 * kept by esbuild (a spread may run getters) in every bundle that imports handlers.ts, with every platform's client.
 */
export function everyPlatformWiring(): PlatformWiring {
  return { ...SLACK_WIRING, ...DISCORD_WIRING, ...MATTERMOST_WIRING, ...TEAMS_WIRING };
}
