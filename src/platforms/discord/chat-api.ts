/**
 * The port's ChatApi on Discord (chat/chat-api.ts): posts, replies, redraws and DMs through the REST
 * client, every card rendered by render.ts with nobody pinged but the one person a reply names (a
 * post past content's 2,000 characters as several messages: the weekly review), and
 * every button value that does not fit its custom_id parked in the store before the message that
 * names it is sent. Discord's errors become ChatErrors here, in one place (toChatError).
 */
import type { Card } from "../../chat/card.js";
import type { ChatApi, Posted } from "../../chat/chat-api.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Person, Place } from "../../chat/model.js";
import type { Store } from "../../store/store.js";
import { BUTTON_PARKING_MS, parkValues } from "./parking.js";
import { renderCard, renderCardMessages, type CardOptions, type DiscordMessageBody } from "./render.js";
import { DiscordApiError, DiscordErrorCode, type DiscordPosted, type DiscordRest } from "./rest.js";

export interface DiscordChatApiOptions {
  /** Where parked button values go. */
  store: Store;
  /** ms since the epoch: when a parked value was written. */
  now: () => number;
}

/** ChatApi over Discord's REST API; every method rejects with ChatError. */
export function createDiscordChatApi(rest: DiscordRest, options: DiscordChatApiOptions): ChatApi {
  /** A card as a message body, its parked values written first (a click must find them). */
  async function bodyOf(card: Card, cardOptions: CardOptions = {}): Promise<DiscordMessageBody> {
    const { body, parked } = renderCard(card, cardOptions);
    if (parked.length > 0) await parkValues(options.store, parked, { now: options.now(), ttlMs: BUTTON_PARKING_MS }).catch(rethrowAsChatError);
    return body;
  }

  return {
    platform: "discord",
    async post(conversation, card) {
      // Past content's 2,000 characters the card goes as several messages, in order (renderCardMessages).
      let first: Posted | undefined;
      for (const { body, parked } of renderCardMessages(card)) {
        try {
          if (parked.length > 0) await parkValues(options.store, parked, { now: options.now(), ttlMs: BUTTON_PARKING_MS });
          const posted = postedAt(conversation.workspace, await rest.createMessage(conversation.conversation, body));
          first ??= posted;
        } catch (error) {
          const failed = toChatError(error);
          if (first === undefined) throw failed;
          // A part is in the channel already: the card sent again would repeat it.
          const { code, cause, platformCode, retryAfterMs } = failed;
          throw new ChatError(code, "discord", { cause, partial: true, ...(platformCode === undefined ? {} : { platformCode }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
        }
      }
      return first!;
    },
    async reply(to, card, replyOptions = {}) {
      const body = await bodyOf(card, { ping: replyOptions.mention?.platform === "discord" ? replyOptions.mention.userId : undefined });
      // A thread is a channel of its own: with no message, the reply is a message in it.
      const reference = to.message === undefined ? {} : { message_reference: { message_id: to.message, fail_if_not_exists: false } };
      return postedAt(to.workspace, await rest.createMessage(to.conversation, { ...body, ...reference }).catch(rethrowAsChatError));
    },
    async update(message, card) {
      if (message.message === undefined) throw new ChatError("invalid_request", "discord", { cause: new Error("update: the place names no message") });
      const body = await bodyOf(card);
      await rest.editMessage(message.conversation, message.message, body).catch(rethrowAsChatError);
    },
    async tellPrivately(person, card) {
      const body = await bodyOf(card);
      const dm = await rest.createDm(person.userId).catch(rethrowAsChatError);
      return postedAt("@me", await rest.createMessage(dm.id, body).catch(rethrowAsChatError));
    },
    async displayNameOf(person: Pick<Person, "userId">) {
      const user = await rest.getUser(person.userId).catch(rethrowAsChatError);
      return user.global_name || user.username;
    },
  };
}

/** Where a message Discord made is, and its link (discord.com/channels/<guild or @me>/<channel>/<message>). */
function postedAt(workspace: string, posted: DiscordPosted): Posted {
  const place: Place = { platform: "discord", workspace, conversation: posted.channel_id, message: posted.id };
  return { place, link: `https://discord.com/channels/${workspace}/${posted.channel_id}/${posted.id}` };
}

function rethrowAsChatError(error: unknown): never {
  throw toChatError(error);
}

/** Discord's JSON error codes, as the port names them (topics/opcodes-and-status-codes). */
const CODES: ReadonlyMap<number, ChatError["code"]> = new Map([
  [DiscordErrorCode.UnknownChannel, "not_found"],
  [DiscordErrorCode.UnknownMessage, "not_found"],
  [DiscordErrorCode.UnknownUser, "not_found"],
  [DiscordErrorCode.MissingAccess, "forbidden"],
  [DiscordErrorCode.MissingPermissions, "forbidden"],
  [DiscordErrorCode.CannotSendMessagesToThisUser, "cannot_message_user"],
  [DiscordErrorCode.CannotSendMessagesToThisUserNoMutualGuilds, "cannot_message_user"],
  // The interaction's token or first response is gone: past 15 minutes (or 3 s for the first response).
  [DiscordErrorCode.UnknownWebhook, "expired"],
  [DiscordErrorCode.InvalidWebhookToken, "expired"],
  [DiscordErrorCode.UnknownInteraction, "expired"],
  [DiscordErrorCode.InteractionAlreadyAcknowledged, "expired"],
]);

/**
 * Any failure of a Discord call as a ChatError (a ChatError passes through; a StoreError, from
 * parking a value, is `network_error` with its cause): a 429 with Discord's wait, a known code by
 * CODES, other 4xx `invalid_request`, 5xx `http_error`, and the transport's timeout or network error.
 */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  if (!(error instanceof DiscordApiError)) return new ChatError("network_error", "discord", { cause: error });
  const platformCode = error.code ?? error.status;
  if (error.status === 429) return new ChatError("rate_limited", "discord", { cause: error, platformCode, retryAfterMs: error.rateLimit?.retryAfterMs ?? 0 });
  if (error.status === "timeout" || error.status === "network_error") return new ChatError(error.status, "discord", { cause: error, platformCode });
  const known = error.code === undefined ? undefined : CODES.get(error.code);
  if (known) return new ChatError(known, "discord", { cause: error, platformCode });
  return new ChatError(error.status >= 500 ? "http_error" : "invalid_request", "discord", { cause: error, platformCode });
}
