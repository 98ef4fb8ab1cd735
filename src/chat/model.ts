/**
 * The chat port: what a feature sees of any chat platform. Derived from what the Slack features do
 * today (src/features, src/platforms/slack/client.ts): who asked, where, what they asked for, and the five ways
 * the bot answers (open a form, post, reply in a thread, redraw a message, tell one person privately).
 * No platform's words here: a Slack block, a Discord component or a Teams card is an adapter's
 * rendering of a Card or a Form. Pure types; docs/chat-port.md says how each platform maps onto them.
 *
 * This file holds who and where (Platform, Person, Place); the rest of the port is beside it, a file
 * a word: rich-text.ts (RichText), card.ts (Card), form.ts (Form), intent.ts (Intent, what comes in),
 * reply.ts (Reply, answering the interaction in hand), chat-api.ts (ChatApi, the platform's API) and
 * chat-error.ts (ChatError, why a call failed).
 */

/** The platforms an adapter exists (or is planned) for: the first segment of every Place id. */
export const PLATFORMS = ["slack", "discord", "teams", "mattermost"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A person on one platform. Ids are the platform's own (Slack U…/W…, Discord snowflakes). */
export interface Person {
  platform: Platform;
  /** Slack team (or Enterprise Grid org) id, Discord guild id ("@me" in a DM), Teams tenant. */
  workspace: string;
  userId: string;
  /** What the platform shows for them; undefined when the payload did not say (resolved later, or the id is shown). */
  displayName: string | undefined;
}

/**
 * Where something is or happened: a conversation, and a thread or one message within it. It is
 * plain data and has a stable text form (place.ts), so a task's record can keep it and another
 * function (the status loop, the weekly review) can reply there later.
 *
 * Slack: conversation C…/D…/G…, thread = the root's ts, message = a message's ts.
 * Discord: conversation = the channel (a thread is a channel of its own, so `thread` is unused),
 * message = the message's snowflake (a reply is a message_reference to it).
 * Teams: workspace = the tenant, conversation = the conversation id (a channel's `19:…@thread.tacv2`,
 * a chat's), thread = a channel thread's root message id, message = the activity's id.
 */
export interface Place {
  platform: Platform;
  workspace: string;
  conversation: string;
  thread?: string | undefined;
  message?: string | undefined;
}
