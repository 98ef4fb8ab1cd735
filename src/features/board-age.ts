/**
 * How old the board shown is: the Home tab, the lists and `/task review` are built from the shared
 * snapshot (notion/shared-board.ts), which may be the last one Notion gave while it cannot be read.
 * Past SNAPSHOT_SAY_AGE_MS each says when Notion showed it (docs/failures.md).
 */
import type { RichText } from "../chat/model.js";
import { SNAPSHOT_SAY_AGE_MS } from "../notion/shared-board.js";

/** When Notion showed the board (`asOf`, ms since the epoch), if that is worth saying at `now`: older than SNAPSHOT_SAY_AGE_MS. */
export function boardAsOfToSay(asOf: number | undefined, now: Date): Date | undefined {
  return asOf !== undefined && Number.isFinite(asOf) && now.getTime() - asOf > SNAPSHOT_SAY_AGE_MS ? new Date(asOf) : undefined;
}

/** A time as Slack shows it in each reader's own zone, with `timeZone`'s for clients that cannot. */
export function slackTime(at: Date, timeZone: string, format = "{time}"): string {
  const fallback = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...(format === "{time}" ? {} : { day: "numeric", month: "short" }) }).format(at);
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${fallback} ${timeZone}>`;
}

/** The line a list or a review ends with when its board is old. */
export function boardAgeText(asOf: Date, timeZone: string): RichText {
  return [{ emoji: "hourglass" }, " The board as Notion showed it ", { time: asOf.getTime(), timeZone, day: true }, "."];
}

/** The line a list or a review ends with when its board is old: mrkdwn (the review, until it builds a Card). */
export function boardAgeNote(asOf: Date, timeZone: string): string {
  return `:hourglass: The board as Notion showed it ${slackTime(asOf, timeZone, "{date_short_pretty} at {time}")}.`;
}
