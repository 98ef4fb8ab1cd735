/** `/task review`: the weekly digest any day, only for the caller. */
import { describeError } from "../../log.js";
import type { SlashCommand } from "../../slack/payloads.js";
import { acknowledge, ephemeral } from "../../slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { describeBoardReadFailure } from "../notion-failure.js";
import { settleWithin } from "../settle-within.js";
import { buildWeeklyReview } from "./build-weekly-review.js";
import { REVIEW_MAX_PAGES, REVIEW_PAGE_SIZE } from "./post-weekly-review.js";

/** Answered at once if Notion answers before the deadline, else through response_url when it does. */
export async function showWeeklyReview(command: SlashCommand, ctx: FeatureContext): Promise<Response> {
  const misconfigured = ctx.settings.problems.REVIEW_TIMEZONE;
  if (misconfigured) {
    ctx.log.warn("weekly_review.misconfigured", { problem: misconfigured });
    return ephemeral(":warning: The weekly review is misconfigured (its time zone setting, REVIEW_TIMEZONE, is not one I know), so I can't show it. Please tell whoever runs the bot.");
  }
  const now = ctx.now();
  const building = ctx.tasks
    .openTasks({ maxPages: REVIEW_MAX_PAGES, pageSize: REVIEW_PAGE_SIZE })
    .then((result) => buildWeeklyReview(result, { now, timeZone: ctx.settings.reviewTimeZone, boardUrl: ctx.tasks.peekBoard()?.url }));
  const settled = await settleWithin(building, ctx.deadline.remainingMs());
  if (settled.state === "fulfilled") return ephemeral(settled.value.text, settled.value.blocks);
  if (settled.state === "rejected") return ephemeral(failure(settled.error, ctx));
  const to = { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id };
  ctx.defer("finish weekly review", async () => {
    const message = await building.catch((error: unknown) => ({ text: failure(error, ctx) }));
    await answerPrivately(ctx, to, message);
  });
  return acknowledge();
}

function failure(error: unknown, ctx: FeatureContext): string {
  ctx.log.warn("weekly_review.show_failed", describeError(error));
  return describeBoardReadFailure(error);
}
