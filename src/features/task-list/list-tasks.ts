/** `/task list`: the caller's own open tasks. */
import { describeError } from "../../log.js";
import type { SlashCommand } from "../../slack/payloads.js";
import { acknowledge, ephemeral } from "../../slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { describeBoardReadFailure } from "../notion-failure.js";
import { settleWithin } from "../settle-within.js";
import { TASK_COMMAND } from "../task-request/request-task.js";
import { buildTaskList } from "./task-list-message.js";

/** How many of the caller's open tasks `/task list` shows. */
export const LIST_LIMIT = 20;

/** Answered at once if Notion answers before the deadline, else through response_url when it does. */
export async function listTasks(command: SlashCommand, ctx: FeatureContext): Promise<Response> {
  const listing = ctx.tasks
    .tasksRequestedBy(
      { slackUserId: command.user_id, email: () => ctx.slack.getUser(command.user_id).then((user) => user.email) },
      LIST_LIMIT,
    )
    .then((tasks) => buildTaskList(tasks, { command: TASK_COMMAND, now: ctx.now(), timeZone: ctx.settings.reviewTimeZone }));
  const settled = await settleWithin(listing, ctx.deadline.remainingMs());
  if (settled.state === "fulfilled") return ephemeral(settled.value.text, settled.value.blocks);
  if (settled.state === "rejected") return ephemeral(failure(settled.error, ctx));
  const to = { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id };
  ctx.defer("finish task list", async () => {
    const message = await listing.catch((error: unknown) => ({ text: failure(error, ctx) }));
    await answerPrivately(ctx, to, message);
  });
  return acknowledge();
}

function failure(error: unknown, ctx: FeatureContext): string {
  ctx.log.warn("task.list_failed", describeError(error));
  return describeBoardReadFailure(error);
}
