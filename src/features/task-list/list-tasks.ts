/** `/task list` (and `@chatops list`): the asker's own open tasks. */
import { describeError } from "../../log.js";
import type { MessageContent } from "../../slack/client.js";
import type { FeatureContext } from "../context.js";
import { describeBoardReadFailure } from "../notion-failure.js";
import type { Asker } from "../subcommand.js";
import { TASK_COMMAND } from "../task-request/request-task.js";
import { buildTaskList } from "./task-list-message.js";

/** How many of the caller's open tasks `/task list` shows. */
export const LIST_LIMIT = 20;

/** The list, or why the board could not be read. Never rejects. */
export async function listTasks(asker: Asker, ctx: FeatureContext): Promise<MessageContent> {
  try {
    const tasks = await ctx.tasks.tasksRequestedBy({ slackUserId: asker.userId, email: () => ctx.slack.getUser(asker.userId).then((user) => user.email) }, LIST_LIMIT);
    return buildTaskList(tasks, { command: TASK_COMMAND, now: ctx.now(), timeZone: ctx.settings.reviewTimeZone });
  } catch (error) {
    ctx.log.warn("task.list_failed", describeError(error));
    return { text: describeBoardReadFailure(error) };
  }
}
