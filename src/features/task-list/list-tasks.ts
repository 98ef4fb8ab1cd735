/** `/task list` (and `@chatops list`): the asker's own open tasks. */
import { describeError } from "../../log.js";
import type { Card } from "../../chat/card.js";
import { boardAsOfToSay } from "../board-age.js";
import type { FeatureContext } from "../context.js";
import { describeBoardReadFailure } from "../notion-failure.js";
import type { Asker } from "../subcommand.js";
import { TASK_COMMAND } from "../task-request/request-task.js";
import { taskCommandOn } from "../../chat/platform-name.js";
import { buildTaskList } from "./task-list-message.js";

/** How many of the caller's open tasks `/task list` shows. */
export const LIST_LIMIT = 20;

/** The list, or why the board could not be read. Never rejects. */
export async function listTasks(asker: Asker, ctx: FeatureContext): Promise<Card> {
  try {
    const { tasks, asOf } = await ctx.tasks.tasksRequestedBy({ platform: asker.platform, userId: asker.userId, email: async () => ctx.chats[asker.platform]?.emailOf?.(asker) }, LIST_LIMIT);
    const now = ctx.now();
    return buildTaskList(tasks, { command: taskCommandOn(asker.platform, TASK_COMMAND), now, timeZone: ctx.settings.reviewTimeZone, asOf: boardAsOfToSay(asOf, now) });
  } catch (error) {
    ctx.log.warn("task.list_failed", describeError(error));
    return { summary: [describeBoardReadFailure(error)], blocks: [] };
  }
}
