import { describeError } from "../../log.js";
import { NotionStoreError } from "../../notion/client.js";
import type { SlashCommand } from "../../slack/payloads.js";
import { acknowledge, ephemeral } from "../../slack/responses.js";
import type { FeatureContext } from "../context.js";
import { settleWithin } from "../settle-within.js";
import { buildTaskList, explainNotionError, retryAdvice } from "./messages.js";

/** How many of the caller's open tasks `/task list` shows. */
export const LIST_LIMIT = 20;

/** `/task list`: the caller's open tasks, answered at once if Notion is quick, else through response_url. */
export async function listTasks(command: SlashCommand, ctx: FeatureContext): Promise<Response> {
  const listing = ctx.tasks
    .tasksRequestedBy(
      { slackUserId: command.user_id, email: () => ctx.slack.getUser(command.user_id).then((user) => user.email) },
      LIST_LIMIT,
    )
    .then((tasks) => buildTaskList(tasks, ctx.settings.command));
  const settled = await settleWithin(listing, ctx.ackBudgetMs);
  if (settled.state === "fulfilled") return ephemeral(settled.value.text, settled.value.blocks);
  if (settled.state === "rejected") return ephemeral(failure(settled.error, ctx));
  ctx.defer("finish task list", async () => {
    const message = await listing.catch((error: unknown) => ({ text: failure(error, ctx) }));
    await ctx.slack.respond(command.response_url, message);
  });
  return acknowledge();
}

function failure(error: unknown, ctx: FeatureContext): string {
  ctx.log.warn("task.list_failed", describeError(error));
  const code = error instanceof NotionStoreError ? error.code : undefined;
  return `I couldn't read the board: ${explainNotionError(code)}${retryAdvice(code)}`;
}
