/**
 * Answering one person privately, by whichever road Slack leaves open. Each feature that answers
 * after its acknowledgement goes through here, so a refused or forbidden response_url (see
 * slack/outbound.ts) never leaves a person without an answer.
 */
import { describeError } from "../log.js";
import type { MessageContent } from "../slack/client.js";
import type { FeatureContext } from "./context.js";

export interface Recipient {
  userId: string;
  /** The interaction's response_url, when it had one: ephemeral where the person is, even where the bot is not a member. */
  responseUrl?: string | undefined;
  /** The conversation the person is in, for chat.postEphemeral. */
  channelId?: string | undefined;
}

/**
 * Ephemeral where the person is (response_url, else chat.postEphemeral), else a direct message.
 * With `prefer: "dm"` the direct message comes first: it stays, where an ephemeral vanishes (for
 * what a person must not lose). Rejects with the last road's SlackApiError when every road failed.
 */
export async function answerPrivately(ctx: Pick<FeatureContext, "slack" | "log">, to: Recipient, message: MessageContent, options: { prefer?: "here" | "dm" } = {}): Promise<void> {
  const roads: { via: string; send: () => Promise<unknown> }[] = [];
  const dm = { via: "dm", send: () => ctx.slack.postMessage(to.userId, message) };
  if (options.prefer === "dm") roads.push(dm);
  if (to.responseUrl) {
    const url = to.responseUrl;
    roads.push({ via: "response_url", send: () => ctx.slack.respond(url, message) });
  }
  if (to.channelId) {
    const channel = to.channelId;
    roads.push({ via: "ephemeral", send: () => ctx.slack.postEphemeral(channel, to.userId, message) });
  }
  if (options.prefer !== "dm") roads.push(dm);
  for (const [index, road] of roads.entries()) {
    try {
      await road.send();
      return;
    } catch (error) {
      if (index === roads.length - 1) throw error;
      ctx.log.info("answer.fallback", { via: road.via, ...describeError(error) });
    }
  }
}
