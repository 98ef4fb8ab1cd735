/**
 * What Slack's own code is handed (its Reply, the Home tab, a mention's answer, the routes of Slack's
 * own tables): the feature context and Slack's Web API. Features never see it: they post and answer
 * through the port (ctx.chats, ctx.reply), so FeatureContext names no platform.
 */
import type { FeatureContext } from "../../features/context.js";
import type { SlackApi } from "./client.js";
import type { SlackLoaded } from "./wiring.js";

export interface SlackContext extends FeatureContext {
  /** Slack's Web API (wiring.ts): for what only Slack has (views, response_url, ephemeral messages). */
  slack: SlackApi;
}

/** A request's context with Slack's Web API added: built by Slack's handlers, once per request. */
export function withSlack(ctx: FeatureContext, slack: SlackLoaded): SlackContext {
  return { ...ctx, slack: slack.api };
}
