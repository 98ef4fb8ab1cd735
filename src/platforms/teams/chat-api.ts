/**
 * The port's ChatApi on Teams (chat/model.ts): proactive messages through the connector, to the
 * conversation reference the bot kept when it last heard from that conversation (references.ts):
 * posts, replies in a thread, redraws, and 1:1 chats. Cards are Adaptive Cards (render.ts), with
 * nobody mentioned but the one person a reply names. Teams' errors become ChatErrors here (toChatError).
 */
import type { Card } from "../../chat/card.js";
import type { ChatApi, Posted } from "../../chat/chat-api.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Person, Place } from "../../chat/model.js";
import { StoreError } from "../../store/store.js";
import { TeamsApiError, type ConversationAddress, type TeamsConnector } from "./connector.js";
import { TEAMS_CHANNEL_ID, type ConversationReferences } from "./references.js";
import { fitsTeams, renderCardActivity } from "./render.js";

export interface TeamsChatApiOptions {
  connector: TeamsConnector;
  references: ConversationReferences;
  /** TEAMS_APP_ID: the bot is `28:<app id>` in Teams. */
  appId: string;
  /** TEAMS_TENANT_ID: the tenant of a place that names none (the weekly review's channel). */
  tenantId?: string | undefined;
}

/** ChatApi over the Bot Connector; every method rejects with ChatError. */
export function createTeamsChatApi(options: TeamsChatApiOptions): ChatApi {
  const { connector, references } = options;

  /**
   * The conversation's address, from its kept reference; not_found when the bot was never there. A team
   * channel the bot never heard from is reached at its tenant's serviceUrl: Teams tells the bot of a team
   * through its General channel only (conversationUpdate), and a channel id is global, so any channel of a
   * team the bot is in takes a proactive message (learn.microsoft.com, "Send proactive messages"); in a
   * team it is not in, Teams answers 403 (forbidden).
   */
  async function addressOf(place: Pick<Place, "conversation" | "workspace">): Promise<ConversationAddress & { conversationType: string | undefined }> {
    const reference = await references.conversation(place.conversation).catch(rethrowAsChatError);
    if (reference !== undefined) return { serviceUrl: reference.serviceUrl, conversationId: place.conversation, conversationType: reference.conversationType };
    const tenantId = place.workspace || options.tenantId;
    const tenant = TEAMS_CHANNEL_ID.test(place.conversation) && tenantId ? await references.tenant(tenantId).catch(rethrowAsChatError) : undefined;
    if (tenant !== undefined) return { serviceUrl: tenant.serviceUrl, conversationId: place.conversation, conversationType: "channel" };
    throw new ChatError("not_found", "teams", { cause: new Error("no conversation reference is kept for this conversation: the bot must be added there first") });
  }

  function fits(card: Card): boolean {
    return fitsTeams(card);
  }

  function checkSize(card: Card): void {
    if (!fits(card)) throw new ChatError("invalid_request", "teams", { platformCode: "MessageSizeTooBig", cause: new Error("the card is past the 80 KB Teams' docs advise (counted in UTF-16)") });
  }

  return {
    platform: "teams",
    fits,
    async post(conversation, card) {
      checkSize(card);
      const address = await addressOf(conversation);
      const posted = await connector.sendToConversation(address, renderCardActivity(card)).catch(rethrowAsChatError);
      return { place: { platform: "teams", workspace: conversation.workspace, conversation: conversation.conversation, ...(address.conversationType === "channel" ? { thread: posted.id } : {}), message: posted.id }, link: undefined };
    },
    async reply(to, card, replyOptions = {}) {
      checkSize(card);
      const address = await addressOf(to);
      const mention = replyOptions.mention?.platform === "teams" ? replyOptions.mention : undefined;
      const activity = renderCardActivity(card, { ping: mention && { userId: mention.userId, name: mention.displayName ?? "you" } });
      // A channel has threads: the reply goes under the root. A chat has none: a reply is the next message.
      const root = to.thread ?? to.message;
      const posted = await (address.conversationType === "channel" && root !== undefined ? connector.replyToActivity(inThread(address, root), root, activity) : connector.sendToConversation(address, activity)).catch(rethrowAsChatError);
      return { place: { platform: "teams", workspace: to.workspace, conversation: to.conversation, ...(root !== undefined && address.conversationType === "channel" ? { thread: root } : {}), message: posted.id }, link: undefined };
    },
    async update(message, card) {
      if (message.message === undefined) throw new ChatError("invalid_request", "teams", { cause: new Error("update: the place names no message") });
      checkSize(card);
      const address = await addressOf(message);
      await connector.updateActivity(address, message.message, renderCardActivity(card)).catch(rethrowAsChatError);
    },
    async tellPrivately(person, card) {
      checkSize(card);
      const tenant = await references.tenant(person.workspace).catch(rethrowAsChatError);
      if (tenant === undefined) throw new ChatError("not_found", "teams", { cause: new Error("no serviceUrl is known for this tenant yet") });
      const chat = await connector.createConversation(tenant.serviceUrl, { botId: `28:${options.appId}`, userId: person.userId, tenantId: person.workspace }).catch(rethrowAsChatError);
      const posted = await connector.sendToConversation({ serviceUrl: tenant.serviceUrl, conversationId: chat.id }, renderCardActivity(card)).catch(rethrowAsChatError);
      return { place: { platform: "teams", workspace: person.workspace, conversation: chat.id, message: posted.id }, link: undefined };
    },
    async displayNameOf(person: Pick<Person, "userId">) {
      // The connector names people only within a conversation (and Graph needs another permission):
      // every activity carries the name (from.name), which the features use; this is the fallback.
      return person.userId;
    },
  };
}

/**
 * A channel thread's address: Teams threads a message by the conversation id `<channel>;messageid=<root>`
 * (what every activity from a thread carries, and what the Bot Framework SDKs reply to); under the bare
 * channel id even POST …/activities/{root} lands as a new post (microsoft/botframework-sdk#6626).
 */
export function inThread(address: ConversationAddress, root: string): ConversationAddress {
  const [channel = address.conversationId] = address.conversationId.split(";messageid=");
  return { serviceUrl: address.serviceUrl, conversationId: `${channel};messageid=${root}` };
}

function rethrowAsChatError(error: unknown): never {
  throw toChatError(error);
}

/**
 * The wait after a 429 that names none: Teams sends no Retry-After, and its docs ("Optimize your bot
 * with rate limiting") ask for a backoff, their example starting at 2 s; answered with 0, the send
 * was tried again at once, three times in a row, into the same limit.
 */
export const TEAMS_RATE_LIMIT_WAIT_MS = 2_000;

/**
 * Any failure of a Teams call as a ChatError: a serviceUrl not allowed is `forbidden`, a 429 carries
 * its wait, 404 not_found, 401/403 forbidden; 412 (PreconditionFailed), which Teams' docs list with
 * 429, 502 and 504 as to be tried again, is an http_error, not a refusal; a failed token is `unsent`.
 */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof StoreError) return new ChatError("network_error", "teams", { cause: error });
  if (!(error instanceof TeamsApiError)) return new ChatError("network_error", "teams", { cause: error });
  const platformCode = error.code ?? error.status;
  // The token endpoint failed: the connector was never called, so nothing was posted (a 429 is rate_limited below either way).
  const unsent = error.route === "token";
  if (error.status === "not_allowed") return new ChatError("forbidden", "teams", { cause: error, platformCode });
  if (error.status === "timeout" || error.status === "network_error") return new ChatError(error.status, "teams", { cause: error, platformCode, unsent });
  if (error.status === 429) return new ChatError("rate_limited", "teams", { cause: error, platformCode, retryAfterMs: error.retryAfterMs ?? TEAMS_RATE_LIMIT_WAIT_MS });
  if (error.status === 412) return new ChatError("http_error", "teams", { cause: error, platformCode, unsent });
  if (error.status === 404) return new ChatError("not_found", "teams", { cause: error, platformCode });
  if (error.status === 401 || error.status === 403) return new ChatError("forbidden", "teams", { cause: error, platformCode });
  // A token refused for good (a wrong secret or tenant) is no passing failure: not tried again.
  return error.status >= 500 ? new ChatError("http_error", "teams", { cause: error, platformCode, unsent }) : new ChatError("invalid_request", "teams", { cause: error, platformCode });
}
