/**
 * Discord's markdown as the bot writes it: user text escaped so nothing in it is markup, a mention,
 * or a broadcast, and the port's RichText rendered with it. Discord's parser (simple-markdown) reads
 * a backslash before any character that is not a letter, digit or space as "this character,
 * literally" (its `escape` rule), so escaping only adds backslashes: the text reads as it was typed.
 * Pings are governed by allowed_mentions, not by text (noPings / onlyPing below); escaping `<` and
 * breaking `@everyone` keeps the text from even looking like a mention.
 */
import { EMOJI } from "../../chat/emoji.js";
import type { Inline, RichText } from "../../chat/rich-text.js";

/** Inline markup anywhere in a line: bold/italic/underline (`* _`), strike `~`, spoiler `|`, code, masked links, `<…>` mentions and timestamps. */
const ANYWHERE = /[\\*_~`|[\]()<]/g;

/**
 * Markup that counts only at the start of a line (after spaces): a quote `>`, a heading `#` or subtext
 * `-#`, a list `-`, `+` or `1.`. Escaping these anywhere would cost a backslash on every hyphen.
 */
const LINE_START = /^([ \t]*)(?:([>#+-])|(\d+)\.)/gm;

/** A broadcast: Discord shows `@everyone`/`@here` as one (allowed_mentions still decides who is pinged). */
const BROADCAST = /@(everyone|here)/g;

/**
 * `text` as Discord markdown that shows exactly `text`: every markup character escaped, and a
 * zero-width space after the `@` of `@everyone` and `@here` (what discord.js's cleanContent does),
 * since an escaped `@` still renders as a broadcast.
 */
export function escapeDiscordMarkdown(text: string): string {
  return text
    .replace(ANYWHERE, (char) => `\\${char}`)
    .replace(LINE_START, (_all, indent: string, mark: string | undefined, digits: string | undefined) => (mark ? `${indent}\\${mark}` : `${indent}${digits}\\.`))
    .replace(BROADCAST, "@\u200b$1");
}

/** A masked link's URL: `)` and spaces would end it early, `<>` would suppress or break it. */
function linkTarget(url: string): string {
  return url.replace(/[()<> ]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** One piece of RichText as Discord markdown; a mention of someone on another platform is their id, as text. */
export function renderInline(inline: Inline): string {
  if (typeof inline === "string") return escapeDiscordMarkdown(inline);
  // A link first: it may be bold too.
  if ("link" in inline) {
    const link = `[${escapeDiscordMarkdown(inline.text || inline.link)}](${linkTarget(inline.link)})`;
    return inline.bold ? `**${link}**` : link;
  }
  if ("bold" in inline) return inline.bold ? `**${escapeDiscordMarkdown(inline.bold)}**` : "";
  if ("italic" in inline) return inline.italic ? `*${escapeDiscordMarkdown(inline.italic)}*` : "";
  // Inside code nothing is markup, but a backtick would end it: shown as ˋ (U+02CB), which reads the same.
  if ("code" in inline) return inline.code ? `\`${inline.code.replaceAll("`", "\u02cb")}\`` : "";
  // Discord shows a bot's `:name:` as typed: the character itself.
  if ("emoji" in inline) return EMOJI[inline.emoji];
  // A channel link pings no one; another platform's channel is its name, as text.
  if ("channel" in inline) {
    const { platform, conversation, name } = inline.channel;
    return platform === "discord" && /^\d{1,20}$/.test(conversation) ? `<#${conversation}>` : escapeDiscordMarkdown(`#${name || conversation}`);
  }
  // Discord draws a timestamp in each reader's own zone: short time (t), or short date and time (f).
  if ("time" in inline) return `<t:${Math.floor(inline.time / 1000)}:${inline.day ? "f" : "t"}>`;
  const { mention } = inline;
  return mention.platform === "discord" && /^\d{1,20}$/.test(mention.userId) ? `<@${mention.userId}>` : escapeDiscordMarkdown(`@${mention.userId}`);
}

/** RichText as Discord markdown. */
export function renderRichText(text: RichText): string {
  return text.map(renderInline).join("");
}

/** What Discord's allowed_mentions takes (resources/message, "Allowed Mentions Object"). */
export interface AllowedMentions {
  parse: ("users" | "roles" | "everyone")[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** Nobody is pinged, whatever the content says: every message the bot sends carries this unless it means to ping. */
export function noPings(): AllowedMentions {
  return { parse: [], replied_user: false };
}

/**
 * Only these users are pinged (at most 100, Discord's limit), never a role, @everyone or @here; a
 * reply pings the replied-to author only if they are one of them.
 */
export function onlyPing(userIds: readonly string[]): AllowedMentions {
  const users = [...new Set(userIds.filter((id) => /^\d{1,20}$/.test(id)))].slice(0, 100);
  return users.length === 0 ? noPings() : { parse: [], users, replied_user: false };
}
