/**
 * The confirmation and the announcement as Cards, for a status button's redraw on any platform.
 * A stand-in: task-request/messages.ts builds these messages, in Slack's Block Kit until it builds
 * Cards (the task request's move onto the port); then this file goes and move-task.ts imports its
 * builders, which take the same arguments. Its test holds both to the same Block Kit on Slack. Pure.
 */
import type { Card, CardBlock, LinkButton, Platform } from "../../chat/model.js";
import type { StatusGroup, StatusGroups } from "../../tasks/status.js";
import { OPEN_IN_NOTION_ACTION } from "../task-request/messages.js";
import { statusButtonRow, type StatusSurface } from "./status-buttons.js";

/** A person a message mentions: their platform and that platform's id. */
export type Mentioned = { platform: Platform; userId: string };

/** A task's status as a message about it shows it: its next buttons, and once pressed, its status line (and who moved it, when known). */
export interface TaskStatusView {
  pageId: string;
  group: StatusGroup | undefined;
  groups: StatusGroups;
  shown?: { status: string; by?: Mentioned | undefined } | undefined;
}

function openInNotion(url: string): LinkButton {
  return { kind: "link", label: "Open in Notion", url, action: OPEN_IN_NOTION_ACTION };
}

/** The requester's confirmation: the title, a button to the page, and the status line and buttons. */
export function buildConfirmation(task: { title: string; url: string; existing?: boolean }, status?: TaskStatusView): Card {
  const what = task.existing ? "was already on the board" : "is on the board";
  return {
    summary: [`${task.existing ? "Already on the board" : "Task created"}: `, task.title, " ", task.url],
    blocks: [{ kind: "text", text: [{ emoji: "white_check_mark" }, " ", { link: task.url, text: task.title, bold: true }, ` ${what}.`], button: openInNotion(task.url) }, ...statusBlocks(status, "confirmation")],
  };
}

/** The announcement in the tasks channel, with the status line and buttons. */
export function buildAnnouncement(task: { title: string; url: string }, requester: Mentioned, status?: TaskStatusView): Card {
  return {
    summary: ["New task from ", { mention: requester }, ": ", task.title],
    blocks: [{ kind: "text", text: [{ emoji: "new" }, " ", { mention: requester }, " asked for ", { link: task.url, text: task.title, bold: true }] }, ...statusBlocks(status, "announcement")],
  };
}

function statusBlocks(status: TaskStatusView | undefined, surface: StatusSurface): CardBlock[] {
  if (!status) return [];
  const by = status.shown?.by;
  const shown: CardBlock[] = status.shown ? [{ kind: "note", text: ["Status: ", { bold: status.shown.status }, ...(by === undefined ? [] : [", moved by ", { mention: by }])] }] : [];
  const row = statusButtonRow({ pageId: status.pageId, group: status.group }, status.groups, surface);
  return [...shown, ...(row ? [row] : [])];
}
