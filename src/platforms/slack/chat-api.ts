/**
 * The port's ChatApi over Slack's Web API (client.ts): cards drawn as Block Kit (render-card.ts),
 * every SlackApiError turned into a ChatError that keeps what the callers read off it (the code,
 * the Retry-After, Slack's own word as `platformCode`, the SlackApiError as `cause`).
 */
import type { Card } from "../../chat/card.js";
import type { ChatApi, Posted } from "../../chat/chat-api.js";
import { ChatError, type ChatErrorCode } from "../../chat/chat-error.js";
import type { Person, Place } from "../../chat/model.js";
import { SlackApiError, type SlackApi } from "./client.js";
import { archiveUrl } from "./intents.js";
import { fitsSlackMessage, renderSlackCard } from "./render-card.js";

/** Slack's error words that say the same as a port code; any other word is `invalid_request`. */
const CODES: Readonly<Record<string, ChatErrorCode>> = Object.freeze({
  rate_limited: "rate_limited",
  timeout: "timeout",
  network_error: "network_error",
  http_error: "http_error",
  channel_not_found: "not_found",
  // views.update's word for a view that is gone (closed, or never opened).
  not_found: "not_found",
  message_not_found: "not_found",
  not_in_channel: "forbidden",
  is_archived: "forbidden",
  restricted_action: "forbidden",
  cannot_dm_bot: "cannot_message_user",
  user_not_found: "cannot_message_user",
  expired_trigger_id: "expired",
} as Record<string, ChatErrorCode>);

/**
 * A failed Slack call as a ChatError: `platformCode` is Slack's word (`not_in_channel`), `retryAfterMs`
 * Slack's Retry-After in ms, `cause` the SlackApiError itself. A ChatError passes through; anything
 * else is first read as client.ts reads a failure (toSlackApiError is the SDK's side of it).
 */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const slack = error instanceof SlackApiError ? error : new SlackApiError("network_error", "unknown", { cause: error });
  return new ChatError(Object.hasOwn(CODES, slack.code) ? CODES[slack.code]! : "invalid_request", "slack", {
    cause: slack,
    platformCode: slack.code,
    ...(slack.retryAfterSeconds === undefined ? {} : { retryAfterMs: slack.retryAfterSeconds * 1000 }),
  });
}

/** Runs a Slack call, rejecting with a ChatError. */
export async function asChatCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toChatError(error);
  }
}

/**
 * The ChatApi for Slack: post -> chat.postMessage, reply -> chat.postMessage with thread_ts (the
 * place's thread, else its message: a reply starts a thread under it), update -> not wired yet (see below),
 * tellPrivately -> chat.postMessage to the user id (Slack opens the DM), permalinkOf -> chat.getPermalink,
 * emailOf and displayNameOf -> users.info.
 * Every method rejects with ChatError. A reply's `mention` changes nothing on Slack: a Card's
 * mentions are the only `<@U…>` ever written, so only the people it names are pinged.
 */
export function createSlackChatApi(slack: SlackApi): ChatApi {
  const posted = (workspace: string, channel: string, ts: string, thread: string | undefined): Posted => ({
    place: { platform: "slack", workspace, conversation: channel, ...(thread ? { thread } : {}), ...(ts ? { message: ts } : {}) },
    link: ts ? archiveUrl(channel, ts, thread) : undefined,
  });
  return {
    platform: "slack",
    // A message holds 50 blocks: the weekly review drops tasks until it fits (a Discord card is split instead).
    fits: fitsSlackMessage,
    post: (conversation: Place, card: Card) =>
      asChatCall(async () => {
        const message = await slack.postMessage(conversation.conversation, renderSlackCard(card));
        return posted(conversation.workspace, message.channel, message.ts, undefined);
      }),
    reply: (to: Place, card: Card) =>
      asChatCall(async () => {
        const threadTs = to.thread ?? to.message;
        const message = await slack.postMessage(to.conversation, { ...renderSlackCard(card), ...(threadTs ? { threadTs } : {}) });
        return posted(to.workspace, message.channel, message.ts, threadTs);
      }),
    // No feature redraws a posted message outside an interaction yet (a click's redraw is
    // Reply.updateSource), and every Slack call needs its fault-matrix rows with a flow that makes
    // it (test/integration/fault-matrix.test.ts): chat.update joins SlackApi with the first feature that needs it.
    update: async () => {
      throw new ChatError("invalid_request", "slack", { platformCode: "chat.update_not_wired" });
    },
    tellPrivately: (person: Pick<Person, "platform" | "workspace" | "userId">, card: Card) =>
      asChatCall(async () => {
        const message = await slack.postMessage(person.userId, renderSlackCard(card));
        return posted(person.workspace, message.channel, message.ts, undefined);
      }),
    // Slack's own permalink (the workspace's domain); the archive URL in ChatMessage.link resolves too.
    permalinkOf: (message: Place) => asChatCall(() => slack.getPermalink(message.conversation, message.message ?? message.thread ?? "")),
    emailOf: (person: Pick<Person, "platform" | "workspace" | "userId">) => asChatCall(async () => (await slack.getUser(person.userId)).email),
    displayNameOf: (person: Pick<Person, "platform" | "workspace" | "userId">) => asChatCall(async () => (await slack.getUser(person.userId)).name),
  };
}
