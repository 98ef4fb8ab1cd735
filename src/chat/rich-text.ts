/** Builders and a plain reading of the port's neutral text (model.ts `RichText`). Pure. */
import { EMOJI } from "./emoji.js";
import type { Inline, RichText } from "./model.js";

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
