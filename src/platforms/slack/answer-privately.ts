/**
 * Answering one person privately, by whichever road Slack leaves open. Slack's Reply (reply.ts,
 * `tellPrivately`) and Slack's own code that answers after its acknowledgement go through here, so a
 * refused or forbidden response_url (see outbound.ts) never leaves a person without an answer.
 */
import { describeError } from "../../log.js";
import { SlackApiError, type MessageContent } from "./client.js";
import type { SlackContext } from "./context.js";
import { refusedUrlForLog } from "./outbound.js";

export interface Recipient {
  /** Who to message directly when nothing else works; unknown only for a payload that could not be read. */
  userId?: string | undefined;
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
export async function answerPrivately(ctx: Pick<SlackContext, "slack" | "log">, to: Recipient, message: MessageContent, options: { prefer?: "here" | "dm" } = {}): Promise<void> {
  const roads: { via: string; send: () => Promise<unknown> }[] = [];
  const userId = to.userId;
  const dm = userId === undefined ? undefined : { via: "dm", send: () => ctx.slack.postMessage(userId, message) };
  if (dm && options.prefer === "dm") roads.push(dm);
  if (to.responseUrl) {
    const url = to.responseUrl;
    roads.push({ via: "response_url", send: () => ctx.slack.respond(url, message) });
  }
  if (to.channelId && userId !== undefined) {
    const channel = to.channelId;
    roads.push({ via: "ephemeral", send: () => ctx.slack.postEphemeral(channel, userId, message) });
  }
  if (dm && options.prefer !== "dm") roads.push(dm);
  for (const [index, road] of roads.entries()) {
    const next = roads[index + 1]?.via;
    try {
      await road.send();
      return;
    } catch (error) {
      if (isRefusedUrl(error)) {
        // The one line for a response_url the outbound rule refused: which host it named, never the URL.
        ctx.log.warn("slack.response_url_refused", { via: road.via, error_code: error.code, refused: refusedUrlForLog(to.responseUrl ?? ""), answered_via: next ?? "none" });
      } else if (next !== undefined) {
        ctx.log.info("answer.fallback", { via: road.via, ...describeError(error) });
      }
      if (next === undefined) throw error;
    }
  }
}

/** A response_url the Slack port would not call (outbound.ts): no request was made. */
export function isRefusedUrl(error: unknown): error is SlackApiError {
  return error instanceof SlackApiError && error.code === "url_not_allowed";
}
