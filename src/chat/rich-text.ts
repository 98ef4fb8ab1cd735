/**
 * The port's neutral text (RichText), and builders and a plain reading of it. Each adapter escapes and
 * marks it up in its own syntax; the functions here are pure.
 */
import { EMOJI, type EmojiName } from "./emoji.js";
import type { Person, Platform } from "./model.js";

/**
 * Text in a neutral form: pieces the adapter escapes and marks up in its own syntax (Slack mrkdwn,
 * Discord markdown). A feature never writes `*bold*` or `<url|label>` itself, so user text can never
 * be read as markup on any platform.
 */
export type Inline =
  | string
  | { bold: string }
  | { italic: string }
  | { code: string }
  /** A link; `bold` for a task's title (Slack `*<url|title>*`, Discord `**[title](url)**`). */
  | { link: string; text: string; bold?: boolean | undefined }
  /** Slack's shortcode name (`:warning:`), drawn as the character where a platform needs it (emoji.ts). */
  | { emoji: EmojiName }
  /** A mention that pings: only the people a message names this way are ever notified. */
  | { mention: Person | { platform: Platform; userId: string } }
  /**
   * A link to a channel, which pings no one (Slack `<#C…>`, Discord `<#id>`); `name` is what is shown
   * where the platform cannot link it (another platform's channel: `#name`). From admin-written text.
   */
  | { channel: { platform: Platform; conversation: string; name?: string | undefined } }
  /**
   * A moment (`at`, ms since the epoch), shown in each reader's own time zone where the platform
   * can (Slack `<!date^…>`, Discord `<t:…>`), else as `timeZone`'s clock; with `day`, the date too.
   */
  | { time: number; timeZone: string; day?: boolean | undefined };
export type RichText = readonly Inline[];

/** The text as a person reads it with no markup: for a notification's summary, a log's length, a test. */
export function plainTextOf(text: RichText): string {
  return text.map(plainInline).join("");
}

function plainInline(inline: Inline): string {
  if (typeof inline === "string") return inline;
  // A link first: it may be bold too.
  if ("link" in inline) return inline.text;
  if ("bold" in inline) return inline.bold;
  if ("italic" in inline) return inline.italic;
  if ("code" in inline) return inline.code;
  if ("emoji" in inline) return EMOJI[inline.emoji];
  if ("channel" in inline) return `#${inline.channel.name || inline.channel.conversation}`;
  if ("time" in inline) return clockTime(inline);
  return "displayName" in inline.mention && inline.mention.displayName ? `@${inline.mention.displayName}` : `@${inline.mention.userId}`;
}

/** The people a text mentions (their user ids, once each, in order): what an adapter may let ping. */
export function mentionedUserIds(text: RichText): string[] {
  const ids = text.flatMap((inline) => (typeof inline === "object" && "mention" in inline ? [inline.mention.userId] : []));
  return [...new Set(ids)];
}

/**
 * A time inline as `timeZone`'s clock reads it, `14:05 Europe/Paris` (`6 Jan, 14:05 UTC` with
 * `day`): what a platform that cannot show each reader's own zone shows, and the plain text.
 */
export function clockTime(time: { time: number; timeZone: string; day?: boolean | undefined }): string {
  const format = new Intl.DateTimeFormat("en-GB", { timeZone: time.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...(time.day ? { day: "numeric", month: "short" } : {}) });
  return `${format.format(new Date(time.time))} ${time.timeZone}`;
}
