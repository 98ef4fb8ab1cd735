/**
 * The status buttons: *Start* and *Done* on any message that shows a task, their actions, and the
 * reading of a click (a `button` intent). Pure; the click is handled in move-task.ts.
 *
 * On a message of the bot's own, put `statusButtonRow(task, groups, surface)` among its Card's
 * blocks: the row's id names the message (STATUS_ROW_IDS), and a click on it redraws that message in
 * place. A surface of its own (the Slack Home tab) draws `nextStatusButtons` in a row without one of
 * those ids, and redraws itself.
 */
import type { ActionButton, CardBlock } from "../../chat/card.js";
import { nextGroups, type StatusGroup, type StatusGroups } from "../../tasks/status.js";

/** *Start*: moves the task into the board's In progress group. */
export const START_TASK_ACTION = "task_status_start";
/** *Done*: moves the task into the board's Complete group. */
export const COMPLETE_TASK_ACTION = "task_status_done";

/** Each status button's action and the group it moves a task to. */
export const STATUS_ACTIONS: Readonly<Record<string, StatusGroup>> = Object.freeze({
  [START_TASK_ACTION]: "in_progress",
  [COMPLETE_TASK_ACTION]: "complete",
});

/**
 * The messages that show the buttons and that a click redraws in place, by the id of their button
 * row (a Slack actions block's block_id, the row in a Discord custom_id): Slack's messages posted
 * before the port carry these block ids, so they stay what they were.
 */
export const STATUS_ROW_IDS = Object.freeze({
  confirmation: "task_status/confirmation",
  announcement: "task_status/announcement",
});
export type StatusSurface = keyof typeof STATUS_ROW_IDS;

/** A task as the buttons need it: its page id and the group its status is in (undefined reads as To-do). */
export interface StatusButtonTask {
  pageId: string;
  group: StatusGroup | undefined;
}

const LABELS: Readonly<Record<Exclude<StatusGroup, "to_do">, { action: string; label: string; style?: "primary" }>> = {
  in_progress: { action: START_TASK_ACTION, label: "Start" },
  complete: { action: COMPLETE_TASK_ACTION, label: "Done", style: "primary" },
};

/**
 * The buttons for the next steps of the board's status groups: *Start* and *Done* from To-do, *Done*
 * from In progress, none once complete (or when the board has no option for a step). Each button's
 * value is the page id (36 characters: it fits a Discord custom_id with the action and the row).
 */
export function nextStatusButtons(task: StatusButtonTask, groups: StatusGroups): ActionButton[] {
  return nextGroups(groups, task.group ?? "to_do").map((group) => {
    const label = LABELS[group as Exclude<StatusGroup, "to_do">];
    return { kind: "action", action: label.action, label: label.label, value: task.pageId, ...(label.style ? { style: label.style } : {}) };
  });
}

/** The button row of one of the bot's own messages, named after it; undefined when there is no next step. */
export function statusButtonRow(task: StatusButtonTask, groups: StatusGroups, surface: StatusSurface): CardBlock | undefined {
  const buttons = nextStatusButtons(task, groups);
  return buttons.length > 0 ? { kind: "buttons", id: STATUS_ROW_IDS[surface], buttons } : undefined;
}

/** A click, read: the page, where it should go, and which message it came from (when it is one of ours). */
export interface StatusClick {
  pageId: string;
  to: StatusGroup;
  surface: StatusSurface | undefined;
}

const PAGE_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The click (a `button` intent's action, value and row), or undefined when it is not one of these buttons as this bot writes them (an old message, a forged value). */
export function readStatusClick(click: { action: string; value?: string | undefined; rowId?: string | undefined }): StatusClick | undefined {
  const to = Object.hasOwn(STATUS_ACTIONS, click.action) ? STATUS_ACTIONS[click.action] : undefined;
  if (to === undefined || click.value === undefined || !PAGE_ID.test(click.value)) return undefined;
  const surface = (Object.keys(STATUS_ROW_IDS) as StatusSurface[]).find((key) => STATUS_ROW_IDS[key] === click.rowId);
  return { pageId: click.value, to, surface };
}
