/**
 * How old the board shown is: the Home tab, the lists and `/task review` are built from the shared
 * snapshot (notion/shared-board.ts), which may be the last one Notion gave while it cannot be read.
 * Past SNAPSHOT_SAY_AGE_MS each says when Notion showed it (docs/failures.md).
 */
import type { RichText } from "../chat/rich-text.js";
import { SNAPSHOT_SAY_AGE_MS } from "../notion/shared-board.js";

/** When Notion showed the board (`asOf`, ms since the epoch), if that is worth saying at `now`: older than SNAPSHOT_SAY_AGE_MS. */
export function boardAsOfToSay(asOf: number | undefined, now: Date): Date | undefined {
  return asOf !== undefined && Number.isFinite(asOf) && now.getTime() - asOf > SNAPSHOT_SAY_AGE_MS ? new Date(asOf) : undefined;
}

/** The line a list or a review ends with when its board is old. */
export function boardAgeText(asOf: Date, timeZone: string): RichText {
  return [{ emoji: "hourglass" }, " The board as Notion showed it ", { time: asOf.getTime(), timeZone, day: true }, "."];
}
