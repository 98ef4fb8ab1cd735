/**
 * The status buttons: *Start* and *Done* on any message or view that shows a task, their action ids,
 * and the reading of a click. Pure; the click is handled in move-task.ts.
 *
 * For other surfaces (the App Home tab, a list): put `statusButtons(task, board.status.groups)` in an
 * actions block. A click on them is routed here by action id (routes.ts) and moves the task; the
 * message it came from is redrawn in place only when its block id is one of STATUS_BLOCK_IDS, so a
 * surface of its own redraws itself (a Home tab publishes its view again).
 */
import type { ActionsBlock, Button } from "@slack/types";
import { actions, button } from "../../platforms/slack/blocks.js";
import { nextGroups, type StatusGroup, type StatusGroups } from "../../tasks/status.js";

/** *Start*: moves the task into the board's In progress group. */
export const START_TASK_ACTION = "task_status_start";
/** *Done*: moves the task into the board's Complete group. */
export const COMPLETE_TASK_ACTION = "task_status_done";

/** Each status button's action id and the group it moves a task to. */
export const STATUS_ACTIONS: Readonly<Record<string, StatusGroup>> = Object.freeze({
  [START_TASK_ACTION]: "in_progress",
  [COMPLETE_TASK_ACTION]: "complete",
});

/** The messages that show the buttons and that a click redraws in place (block ids of their actions block). */
export const STATUS_BLOCK_IDS = Object.freeze({
  confirmation: "task_status/confirmation",
  announcement: "task_status/announcement",
});
export type StatusSurface = keyof typeof STATUS_BLOCK_IDS;

/** A task as the buttons need it: its page id and the group its status is in (undefined reads as To-do). */
export interface StatusButtonTask {
  pageId: string;
  group: StatusGroup | undefined;
}

const LABELS: Readonly<Record<Exclude<StatusGroup, "to_do">, { actionId: string; text: string; style?: "primary" }>> = {
  in_progress: { actionId: START_TASK_ACTION, text: "Start" },
  complete: { actionId: COMPLETE_TASK_ACTION, text: "Done", style: "primary" },
};

/**
 * The buttons for the next steps of the board's status groups: *Start* and *Done* from To-do, *Done*
 * from In progress, none once complete (or when the board has no option for a step). Each button's
 * value is the page id. Stable: the App Home reuses it.
 */
export function statusButtons(task: StatusButtonTask, groups: StatusGroups): Button[] {
  return nextGroups(groups, task.group ?? "to_do").map((group) => {
    const label = LABELS[group as Exclude<StatusGroup, "to_do">];
    return button({ actionId: label.actionId, text: label.text, value: task.pageId, style: label.style });
  });
}

/** The buttons in an actions block of one of the bot's own messages; undefined when there is no next step. */
export function statusActions(task: StatusButtonTask, groups: StatusGroups, surface: StatusSurface): ActionsBlock | undefined {
  const buttons = statusButtons(task, groups);
  return buttons.length > 0 ? actions(buttons, STATUS_BLOCK_IDS[surface]) : undefined;
}

/** A click, read: the page, where it should go, and which message it came from (when it is one of ours). */
export interface StatusClick {
  pageId: string;
  to: StatusGroup;
  surface: StatusSurface | undefined;
}

const PAGE_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The click, or undefined when it is not one of these buttons as this bot writes them (an old message, a forged value). */
export function readStatusClick(action: { action_id: string; value?: string | undefined; block_id?: string | undefined }): StatusClick | undefined {
  const to = Object.hasOwn(STATUS_ACTIONS, action.action_id) ? STATUS_ACTIONS[action.action_id] : undefined;
  if (to === undefined || action.value === undefined || !PAGE_ID.test(action.value)) return undefined;
  const surface = (Object.keys(STATUS_BLOCK_IDS) as StatusSurface[]).find((key) => STATUS_BLOCK_IDS[key] === action.block_id);
  return { pageId: action.value, to, surface };
}
