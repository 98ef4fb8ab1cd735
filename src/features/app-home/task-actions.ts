/**
 * The buttons under each task on the Home tab. THE integration point for the status buttons (issue
 * 14, src/features/task-status/): return that feature's buttons for `task` here, and every Home tab
 * shows them. A press on one comes as block_actions with `view.type` "home" (isFromHomeTab); its
 * route refreshes the tab with `refreshHome(userId, ctx, "changed")` once the status is saved.
 */
import type { ActionsBlock } from "@slack/types";
import type { Board } from "../../notion/board.js";
import type { Task } from "../../tasks/task.js";

/** None yet: the status buttons are being built on another branch. */
export function homeTaskActions(_task: Task, _board: Board): ActionsBlock["elements"] {
  return [];
}
