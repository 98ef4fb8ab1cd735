/**
 * The platform's API as the port sees it (ChatApi): posting, replying, redrawing and telling one
 * person, for work that answers no interaction. Pure types, part of the port (model.ts).
 */
import type { Card } from "./card.js";
import type { Person, Place, Platform } from "./model.js";

/** A message the bot posted: where it is, so it can be redrawn or replied to later. */
export interface Posted {
  place: Place;
  link: string | undefined;
}

/** The platform's API, for work that is not an answer to an interaction (deferred work, schedules). */
export interface ChatApi {
  readonly platform: Platform;
  /** Posts to a conversation (a channel, the review channel). */
  post(conversation: Place, card: Card): Promise<Posted>;
  /**
   * Replies to a message or in a thread (Slack thread_ts; Discord message_reference). `mention`
   * is the one person the reply may ping; every other mention in it is inert.
   */
  reply(to: Place, card: Card, options?: { mention?: Person | undefined }): Promise<Posted>;
  /** Redraws a message the bot posted. */
  update(message: Place, card: Card): Promise<void>;
  /**
   * Whether `post` shows the card as one message (Slack: at most 50 blocks once its lines are
   * packed). A card that can be shortened (the weekly review drops tasks) asks before posting.
   * Undefined where any card is posted whole: Discord sends a long one as several messages.
   */
  fits?(card: Card): boolean;
  /** A direct message; rejects with ChatError "cannot_message_user" when the person refuses them (Discord 50007, 50278). */
  tellPrivately(person: Pick<Person, "platform" | "workspace" | "userId">, card: Card): Promise<Posted>;
  /**
   * A link a browser opens on a message, where the platform has a call for it (Slack
   * chat.getPermalink, a workspace's own URL); absent where ChatMessage.link already is the link
   * (Discord's is built from the ids). Rejects with ChatError.
   */
  permalinkOf?(message: Place): Promise<string>;
  /**
   * A link a browser opens on a message, built from its ids without a call, where the platform's
   * links need what a Place does not carry: Mattermost's is the server's URL and `/_redirect/pl/<post>`.
   * Absent on Slack, Discord and Teams, whose links chat/web-link.ts `webLinkOf` builds from the Place alone.
   */
  linkOf?(message: Place): string | undefined;
  /**
   * A person's email, where the platform shares it (Slack users.info with users:read.email): what
   * links them to a Notion person for a board whose requester is a people property. Absent where
   * the bot cannot know it (Discord); resolves undefined when this person's is not shared.
   */
  emailOf?(person: Pick<Person, "platform" | "workspace" | "userId">): Promise<string | undefined>;
  /** A person's display name, for the Notion requester text. */
  displayNameOf(person: Pick<Person, "platform" | "workspace" | "userId">): Promise<string>;
}
