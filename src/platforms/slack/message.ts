/**
 * What the bot reads from a Slack message a shortcut or a button was used on: its author (if a
 * person wrote it), its thread, and its text as plain text. Pure functions.
 */
import * as z from "zod/mini";
import type { ConversationKind } from "../../chat/intent.js";
import { once } from "../../schema.js";
import { USER_ID } from "./payload-fields.js";
import type { SlackMessage } from "./payloads.js";

/** Subtypes a person still wrote; every other subtype (channel_join, bot_message, …) is a system or bot message. */
const HUMAN_SUBTYPES: ReadonlySet<string> = new Set(["thread_broadcast", "file_share", "me_message"]);

/** Slack attaches the author's profile to most user messages; absent on older clients and system messages. Built on first use. */
const userProfileSchema = /* @__PURE__ */ once(() =>
  z.object({
    display_name: z.optional(z.string()),
    real_name: z.optional(z.string()),
    name: z.optional(z.string()),
  }),
);

export interface MessageAuthor {
  id: string;
  /** From the message's user_profile when Slack sent one; otherwise resolved later with users.info. */
  name: string | undefined;
}

/** The person who wrote the message, or undefined for a bot, Slackbot or system message. */
export function humanAuthorOf(message: SlackMessage): MessageAuthor | undefined {
  const user = message.user;
  if (user === undefined || message.bot_id !== undefined || user === "USLACKBOT" || !USER_ID.test(user)) return undefined;
  if (message.subtype !== undefined && !HUMAN_SUBTYPES.has(message.subtype)) return undefined;
  const profile = userProfileSchema().safeParse(message["user_profile"]);
  const name = profile.success ? profile.data.display_name || profile.data.real_name || profile.data.name : undefined;
  return { id: user, name: name || undefined };
}

/** Where a reply to the message goes: its thread if it is in one (or starts one), else a new thread under it. */
export function threadOf(message: SlackMessage): string {
  return message.thread_ts || message.ts;
}

/**
 * Slack's message text as a person would read it, for plain-text inputs and the Notion page:
 * `<@U1>` -> `@U1`, `<#C1|general>` -> `#general`, `<!here>` -> `@here`, `<url|label>` -> `label (url)`,
 * then `&lt; &gt; &amp;` back to `< > &`. Nothing here is ever put back into mrkdwn unescaped.
 */
export function plainTextFrom(slackText: string | undefined): string {
  if (!slackText) return "";
  const decoded = slackText.replace(/<([^<>]*)>/g, (_sequence, inner: string) => readControlSequence(inner));
  return decoded.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

function readControlSequence(inner: string): string {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith("@")) return label ? `@${label.replace(/^@/, "")}` : target;
  if (target.startsWith("#")) return label ? `#${label}` : target;
  if (target.startsWith("!")) {
    // <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
    if (label) return label;
    const keyword = target.slice(1).split("^")[0] ?? "";
    return `@${keyword}`;
  }
  if (target.startsWith("mailto:")) return label ?? target.slice("mailto:".length);
  if (label && label !== target) return `${label} (${target})`;
  return target;
}

/**
 * What a mention says to the bot: its text without the bot's own mention (`<@U0BOT>`, or
 * `<@U0BOT|chatops>`); when the bot's id is unknown, without the mention that starts it.
 */
export function mentionedText(slackText: string, botUserId: string | undefined): string {
  const bot = botUserId && USER_ID.test(botUserId) ? botUserId : undefined;
  const withoutBot = bot ? slackText.replace(new RegExp(`<@${bot}(\\|[^>]*)?>`, "g"), " ") : slackText.replace(/^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/, " ");
  return withoutBot.replace(/[ \t]+/g, " ").trim();
}

/**
 * Which kind of conversation a payload's channel is. Slack sends `directmessage` as a DM's name and
 * `mpdm-…` for a group DM; private channels have G ids (older) or the name `privategroup`.
 */
export function conversationKind(channel: { id: string; name?: string | undefined }): ConversationKind {
  if (channel.id.startsWith("D") || channel.name === "directmessage") return "dm";
  if (channel.name?.startsWith("mpdm-")) return "group_dm";
  if (channel.id.startsWith("G") || channel.name === "privategroup") return "private";
  return "public";
}
