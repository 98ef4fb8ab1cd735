/** What the bot tells the person who used a shortcut or the button, privately. Pure builders of Cards. */
import type { Card } from "../../chat/card.js";
import type { ChatErrorCode } from "../../chat/chat-error.js";
import type { ConversationKind } from "../../chat/intent.js";
import type { Person, Place, Platform } from "../../chat/model.js";
import type { Inline, RichText } from "../../chat/rich-text.js";
import { cutToUnits } from "../../text.js";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "./reminder-message.js";

/** A short, one-line quote of the message's plain text for answers to the clicker: its first line with text, spaces collapsed, cut to `max` units. */
export function quoteOf(text: string, max = 80): string {
  const firstLine = text.split("\n").map((line) => line.replace(/\s+/g, " ").trim()).find((line) => line.length > 0) ?? "";
  return cutToUnits(firstLine, max);
}

/** How the bot names each platform to a person ("Slack is rate-limiting me"). */
const PLATFORM_NAMES: Readonly<Record<Platform, string>> = { slack: "Slack", discord: "Discord", teams: "Teams", mattermost: "Mattermost" };

/** How to let the bot post on Mattermost: a member adds it to the channel. */
const MATTERMOST_ADD_ME: RichText = [". To add me, type ", { code: "/invite @" }, " followed by my name in the channel, then use ", { code: "/task remind" }, " again."];

/** Where the reminder was to go: the message's place, and what kind of conversation it is (as the adapter read it). */
export interface ReminderWhere {
  place: Place;
  kind: ConversationKind;
}

/** Why a post failed, in the port's words (ChatError): its code, the platform's own and any Retry-After. */
export interface PostFailure {
  code: ChatErrorCode;
  /** Slack's error word or Discord's number: named when nothing better can be said, and Slack's `is_archived` read. */
  platformCode?: string | number | undefined;
  retryAfterSeconds?: number | undefined;
}

const card = (text: RichText): Card => ({ summary: text, blocks: [] });

/** Slack's two roads to add an app to a conversation. */
const SLACK_INVITE_HOW: RichText = ["type ", { code: "/invite @" }, " followed by my name in the conversation, or open its details → ", { bold: "Integrations" }, " → ", { bold: "Add apps" }];
const SLACK_ADD_ME: RichText = [". To add me, ", ...SLACK_INVITE_HOW, ". Then use the shortcut again."];
/** Discord has no invitation: a server's managers give the bot's role the channel's permissions. */
const DISCORD_LET_ME: RichText = [
  ". To let me, ask someone who manages this server to let me ",
  { bold: "View Channel" },
  " and ",
  { bold: "Send Messages" },
  " there (",
  { bold: "Send Messages in Threads" },
  " in a thread). Then use ",
  { bold: "Remind of process" },
  " again.",
];

/** The reminder could not be posted: why, and what the person can do about it. */
export function explainReminderFailure(failure: PostFailure, where: ReminderWhere, quote: string): Card {
  const platform = where.place.platform;
  const name = PLATFORM_NAMES[platform];
  const what: RichText = quote ? ["the reminder about “", quote, "”"] : ["the reminder"];
  const here: Inline = where.kind === "public" ? { channel: { platform, conversation: where.place.conversation } } : "this conversation";
  const warning = (...text: RichText[]): Card => card([{ emoji: "warning" }, " ", ...text.flat()]);
  // Slack says more than the port's codes about two refusals: an archived channel, and one the bot is not in
  // (its other `forbidden`, such as restricted_action, is passed on with its word, as before the port).
  if (failure.platformCode === "is_archived") return warning(["This channel is archived, so I couldn't post "], what, ["."]);
  const slackNotMember = platform === "slack" && failure.platformCode === "not_in_channel";
  switch (slackNotMember ? "not_member" : failure.code) {
    case "not_member":
      return warning(["I'm not a member of ", here, ", so I couldn't post "], what, SLACK_ADD_ME);
    case "forbidden":
      // Mattermost answers 403 for a channel the bot is not in, or one where it may not post.
      if (platform === "mattermost") return warning(["I'm not a member of ", here, ", or may not post there, so I couldn't post "], what, MATTERMOST_ADD_ME);
      if (platform !== "discord") break;
      return warning(["I'm not allowed to post in ", here, ", so I couldn't post "], what, DISCORD_LET_ME);
    case "not_found":
      if (platform === "discord") return warning(["I can't see ", here, ", so I couldn't post "], what, DISCORD_LET_ME);
      // Slack hides what the bot is not in: a private channel, or a DM or group DM between people.
      if (where.kind === "dm") {
        return warning(["I can't post in a direct message between other people, so I couldn't post "], what, [". You can put it on the board yourself with the ", { bold: "Create task" }, " shortcut on the message."]);
      }
      if (where.kind === "group_dm") {
        return warning(["I'm not part of this group message, so I couldn't post "], what, [". Add me to it ("], SLACK_INVITE_HOW, ["), or put it on the board yourself with the ", { bold: "Create task" }, " shortcut."]);
      }
      return warning(["This is a private channel I'm not in, so I couldn't post "], what, SLACK_ADD_ME);
    case "rate_limited": {
      const wait = failure.retryAfterSeconds && failure.retryAfterSeconds > 0 ? `in ${failure.retryAfterSeconds} seconds` : "in a minute";
      return card([{ emoji: "hourglass" }, ` ${name} is rate-limiting me right now, so I couldn't post `, ...what, `. Please try again ${wait}.`]);
    }
    case "timeout":
      return card([{ emoji: "hourglass" }, ` ${name} didn't answer in time, so `, ...what, ` may not have been posted. ${checkWhere(platform)} before trying again.`]);
    case "http_error":
    case "network_error":
      // A 5xx or a dropped connection can follow a post that landed (send-patiently.ts).
      return warning([`${name} had a problem when I posted `], what, [`, so it may not have been posted. ${checkWhere(platform)} before trying again.`]);
  }
  return warning([`${name} refused `], what, [" (", { code: String(failure.platformCode ?? failure.code) }, "). Please try again; if it keeps failing, tell whoever runs the bot."]);
}

/** Where a person looks for the reminder: Slack posts it in the message's thread, Discord as a reply to the message. */
function checkWhere(platform: Platform): string {
  return platform === "discord" ? "Check the replies to the message" : "Check the thread";
}

/**
 * The private word to the person who used "Remind of process", where the platform waits for one
 * (Reply.acknowledge: Discord): it was posted, and the same "Create task from this message" button
 * (`value`: the reminder's), for putting it on the board at once. Mentions the author without pinging.
 */
export function buildReminded(input: { author: Person | undefined; value: string; platform: Platform }): Card {
  const who: RichText = input.author ? [{ mention: input.author }] : ["the team"];
  const where = input.platform === "discord" ? "in a reply to the message" : "in the message's thread";
  const text: RichText = [{ emoji: "white_check_mark" }, " I reminded ", ...who, ` of the process ${where}. You can put it on the board yourself now:`];
  return {
    summary: text,
    blocks: [
      { kind: "text", text },
      { kind: "buttons", buttons: [{ kind: "action", action: CREATE_TASK_FROM_REMINDER_ACTION, label: "Create task from this message", style: "primary", value: input.value }] },
    ],
  };
}

/** The same nudge was posted already: it is not posted again. */
export function buildAlreadyReminded(input: { remindedAt: number; now: number; quote: string; platform: Platform }): Card {
  const minutes = Math.max(0, Math.floor((input.now - input.remindedAt) / 60_000));
  const when = minutes < 1 ? "less than a minute ago" : minutes === 1 ? "a minute ago" : `${minutes} minutes ago`;
  const what: RichText = input.quote ? [" about “", input.quote, "”"] : [];
  const where = input.platform === "discord" ? "It's a reply to the message." : "It's in the message's thread.";
  return card([{ emoji: "information_source" }, " I already posted this reminder", ...what, ` ${when}, so I didn't post it again. ${where}`]);
}

/** A click on a button this bot did not write as it is now (a forged value, or one from before the v1 value). */
export function buildUnreadableButton(platform: Platform): Card {
  const menu = platform === "discord" ? "Apps menu" : "⋮ menu";
  return card([{ emoji: "warning" }, " This button is from an older version of the bot and can't open the form any more. Use ", { bold: "Create task" }, ` from the original message's ${menu} instead.`]);
}
