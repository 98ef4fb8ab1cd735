/** `/task review` (and `@chatops review`): the weekly digest any day, for the asker. */
import type { Card } from "../../chat/card.js";
import { describeError } from "../../log.js";
import { boardAsOfToSay } from "../board-age.js";
import type { FeatureContext } from "../context.js";
import { describeBoardReadFailure } from "../notion-failure.js";
import type { Asker } from "../subcommand.js";
import { buildWeeklyReview } from "./build-weekly-review.js";
import { REVIEW_MAX_PAGES, REVIEW_PAGE_SIZE } from "./post-weekly-review.js";

/** The review, or why it cannot be shown, as the asker's platform shows it in one message. Never rejects. */
export async function showWeeklyReview(asker: Asker, ctx: FeatureContext): Promise<Card> {
  const misconfigured = ctx.settings.problems.REVIEW_TIMEZONE;
  if (misconfigured) {
    ctx.log.warn("weekly_review.misconfigured", { problem: misconfigured });
    return { summary: [{ emoji: "warning" }, " The weekly review is misconfigured (its time zone setting, REVIEW_TIMEZONE, is not one I know), so I can't show it. Please tell whoever runs the bot."], blocks: [] };
  }
  const now = ctx.now();
  try {
    const result = await ctx.tasks.openTasks({ maxPages: REVIEW_MAX_PAGES, pageSize: REVIEW_PAGE_SIZE });
    const chat = ctx.chats[asker.platform];
    return buildWeeklyReview(result, { now, timeZone: ctx.settings.reviewTimeZone, boardUrl: ctx.tasks.peekBoard()?.url, asOf: boardAsOfToSay(result.asOf, now), fits: chat?.fits?.bind(chat) });
  } catch (error) {
    ctx.log.warn("weekly_review.show_failed", describeError(error));
    return { summary: [describeBoardReadFailure(error)], blocks: [] };
  }
}
