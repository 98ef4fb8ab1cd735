/**
 * The port's ChatApi on Mattermost (chat/chat-api.ts): posts, thread replies (`root_id`), redraws of
 * the bot's own posts, direct messages (POST /api/v4/channels/direct with the bot's own id) and
 * display names, through the REST client on MATTERMOST_URL only. A mention is drawn as `@username`
 * (looked up by id, once per warm instance) and pings only the one person a reply names. Mattermost's
 * errors become ChatErrors here, in one place (toChatError).
 */
import type { Card } from "../../chat/card.js";
import type { ChatApi, Posted } from "../../chat/chat-api.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Person } from "../../chat/model.js";
import { mentionedUserIds } from "../../chat/rich-text.js";
import { permalinkOf } from "./intents.js";
import { cardFits, renderCard, type MattermostPostBody } from "./render.js";
import { MattermostApiError, type MattermostRest } from "./rest.js";

export interface MattermostChatApiOptions {
  signingKey: Buffer;
  /** Where buttons post back (`${siteUrl}/mattermost/actions`): the request's origin, else Netlify's URL. */
  siteUrl: string | undefined;
  /** MATTERMOST_URL, for the links to posts. */
  serverUrl: string;
  /** ms since the epoch: what a button's signature counts down from. */
  now: () => number;
  /** Usernames by user id, shared by the runtime's ChatApi and each request's (a username rarely changes). */
  usernames?: Map<string, string>;
  /** The bot's own user id, once read (GET /api/v4/users/me). */
  me?: { id?: string };
}

/** What the Reply needs beside the ChatApi: a card as a post body, mentions looked up first. */
export interface MattermostChatApi extends ChatApi {
  bodyOf(card: Card, options?: { ping?: string | undefined; deadline?: { remainingMs(): number } | undefined }): Promise<MattermostPostBody>;
}

/** ChatApi over Mattermost's REST API; every method rejects with ChatError. */
export function createMattermostChatApi(rest: MattermostRest, options: MattermostChatApiOptions): MattermostChatApi {
  const usernames = options.usernames ?? new Map<string, string>();
  const me = options.me ?? {};

  async function bodyOf(card: Card, bodyOptions: { ping?: string | undefined; deadline?: { remainingMs(): number } | undefined } = {}): Promise<MattermostPostBody> {
    const ids = mentionedIn(card).filter((id) => /^[a-z0-9]{26}$/.test(id) && !usernames.has(id));
    // A name that cannot be read is shown as the id, inert: the message still goes.
    await Promise.all(ids.map(async (id) => {
      const user = await rest.getUser(id, { deadline: bodyOptions.deadline }).catch(() => undefined);
      if (user) usernames.set(id, user.username);
    }));
    try {
      return renderCard(card, { signingKey: options.signingKey, now: options.now(), siteUrl: options.siteUrl, usernames, ping: bodyOptions.ping });
    } catch (error) {
      throw new ChatError("invalid_request", "mattermost", { cause: error });
    }
  }

  async function myId(): Promise<string> {
    return (me.id ??= (await rest.getMe().catch(rethrowAsChatError)).id);
  }

  const postedAt = (workspace: string, post: { id: string; channel_id: string }): Posted => ({
    place: { platform: "mattermost", workspace, conversation: post.channel_id, message: post.id },
    link: permalinkOf(options.serverUrl, post.id),
  });

  return {
    platform: "mattermost",
    bodyOf,
    // The server's own URL and the post's id: a task made from a reminder's button links back through it, and a dialog cannot be redrawn with a link found later.
    linkOf: (message) => (message.message === undefined ? undefined : permalinkOf(options.serverUrl, message.message)),
    async post(conversation, card) {
      const body = await bodyOf(card);
      return postedAt(conversation.workspace, await rest.createPost({ ...body, channel_id: conversation.conversation }).catch(rethrowAsChatError));
    },
    async reply(to, card, replyOptions = {}) {
      const body = await bodyOf(card, { ping: replyOptions.mention?.platform === "mattermost" ? replyOptions.mention.userId : undefined });
      // A thread's posts all name its root: a reply to a reply goes in the same thread.
      const root = to.thread ?? to.message;
      const posted = await rest.createPost({ ...body, channel_id: to.conversation, ...(root ? { root_id: root } : {}) }).catch(rethrowAsChatError);
      return { ...postedAt(to.workspace, posted), place: { platform: "mattermost", workspace: to.workspace, conversation: posted.channel_id, ...(root ? { thread: root } : {}), message: posted.id } };
    },
    // A post holds 16,383 runes: a card that can be shortened (the weekly review) asks before it is cut with "…".
    fits: cardFits,
    async update(message, card) {
      if (message.message === undefined) throw new ChatError("invalid_request", "mattermost", { cause: new Error("update: the place names no post") });
      const body = await bodyOf(card);
      await rest.patchPost(message.message, body).catch(rethrowAsChatError);
    },
    async tellPrivately(person, card) {
      const body = await bodyOf(card);
      const bot = await myId();
      const channel = await rest.createDirectChannel([bot, person.userId]).catch((error: unknown) => {
        const failure = toChatError(error);
        // The server may restrict direct messages (RestrictDirectMessage) or the person may be gone.
        throw failure.code === "forbidden" || failure.code === "not_found" || failure.code === "invalid_request" ? new ChatError("cannot_message_user", "mattermost", { cause: error, ...(failure.platformCode !== undefined ? { platformCode: failure.platformCode } : {}) }) : failure;
      });
      return postedAt(person.workspace, await rest.createPost({ ...body, channel_id: channel.id }).catch(rethrowAsChatError));
    },
    async displayNameOf(person: Pick<Person, "userId">) {
      const user = await rest.getUser(person.userId).catch(rethrowAsChatError);
      usernames.set(user.id, user.username);
      const full = [user.first_name, user.last_name].filter((part) => part).join(" ");
      return user.nickname || full || user.username;
    },
  };
}

/** The user ids a card mentions, anywhere in it. */
function mentionedIn(card: Card): string[] {
  const ids = [
    ...mentionedUserIds(card.summary),
    ...card.blocks.flatMap((block) => (block.kind === "text" || block.kind === "note" ? mentionedUserIds(block.text) : block.kind === "fields" ? block.fields.flatMap((field) => mentionedUserIds(field.value)) : block.kind === "lines" ? block.lines.flatMap(mentionedUserIds) : [])),
  ];
  return [...new Set(ids)];
}

function rethrowAsChatError(error: unknown): never {
  throw toChatError(error);
}

/**
 * Any failure of a Mattermost call as a ChatError (a ChatError passes through): 429 with its wait,
 * 404 not_found, 403 forbidden, an expired trigger_id (`interactive_message.decode_trigger_id.expired`)
 * expired, other 4xx invalid_request, 5xx http_error, and the transport's timeout or network error.
 * A response_url off MATTERMOST_URL's origin, never called, is invalid_request.
 */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  if (!(error instanceof MattermostApiError)) return new ChatError("network_error", "mattermost", { cause: error });
  const platformCode = error.id ?? error.status;
  if (error.status === "timeout" || error.status === "network_error") return new ChatError(error.status, "mattermost", { cause: error, platformCode });
  if (error.status === "off_server") return new ChatError("invalid_request", "mattermost", { cause: error, platformCode });
  if (error.status === 429) return new ChatError("rate_limited", "mattermost", { cause: error, platformCode, retryAfterMs: error.retryAfterMs ?? 0 });
  if (error.id !== undefined && /trigger_id.*expired/.test(error.id)) return new ChatError("expired", "mattermost", { cause: error, platformCode });
  if (error.status === 404) return new ChatError("not_found", "mattermost", { cause: error, platformCode });
  if (error.status === 403) return new ChatError("forbidden", "mattermost", { cause: error, platformCode });
  return new ChatError(error.status >= 500 ? "http_error" : "invalid_request", "mattermost", { cause: error, platformCode });
}

