/**
 * The buttons under each task on the Home tab: the status buttons (src/features/task-status/), for the
 * next steps of the board's status groups. A press on one comes as block_actions with `view.type`
 * "home" (isFromHomeTab); its route (task-status/move-task.ts) refreshes the tab through ctx.personalViews
 * (refreshHome, "changed") once the status is saved.
 */
import type { ActionsBlock } from "@slack/types";
import type { Board } from "../../../notion/board.js";
import { groupOf } from "../../../tasks/status.js";
import type { Task } from "../../../tasks/task.js";
import { nextStatusButtons } from "../../../features/task-status/status-buttons.js";
import { renderSlackButton } from "../render-card.js";

/** *Start* and *Done* as far as the task can go; none on a board without a status property. */
export function homeTaskActions(task: Task, board: Board): ActionsBlock["elements"] {
  if (!board.status) return [];
  return nextStatusButtons({ pageId: task.id, group: groupOf(board.status.groups, task.status) }, board.status.groups).map(renderSlackButton);
}
