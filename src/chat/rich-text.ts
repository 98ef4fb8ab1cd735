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
  if ("time" in inline) return timeFallback(inline);
  return "displayName" in inline.mention && inline.mention.displayName ? `@${inline.mention.displayName}` : `@${inline.mention.userId}`;
}

/** The people a text mentions (their user ids, once each, in order): what an adapter may let ping. */
export function mentionedUserIds(text: RichText): string[] {
  const ids = text.flatMap((inline) => (typeof inline === "object" && "mention" in inline ? [inline.mention.userId] : []));
  return [...new Set(ids)];
}

/**
 * A time piece as text in its own time zone, for where a platform cannot show each reader's:
 * "07:00 UTC", or "6 Jan, 07:00 UTC" with its day (what Slack's `<!date^…|fallback>` has always said).
 */
export function timeFallback(inline: Extract<Inline, { time: number }>): string {
  const { time, timeZone, day } = inline;
  const shown = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...(day ? { day: "numeric", month: "short" } : {}) }).format(new Date(time));
  return `${shown} ${timeZone}`;
}
