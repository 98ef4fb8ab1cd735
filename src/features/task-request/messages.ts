/** What the bot says about a task it saved, or could not save. Pure builders: plain data in, plain data out. */
import type { KnownBlock } from "@slack/types";
import { button, context, section } from "../../platforms/slack/blocks.js";
import type { MessageContent } from "../../platforms/slack/client.js";
import { escapeMrkdwn, linkedTitle } from "../../platforms/slack/mrkdwn.js";
import type { StatusGroup, StatusGroups } from "../../tasks/status.js";
import { statusActions, type StatusSurface } from "../task-status/status-buttons.js";

/** The "Open in Notion" link button: Slack still sends its click, which needs nothing but an acknowledgement. */
export const OPEN_IN_NOTION_ACTION = "open_in_notion";

/** The button to the task's page, on every message and view that names a saved task. */
export function openInNotionButton(url: string) {
  return button({ actionId: OPEN_IN_NOTION_ACTION, text: "Open in Notion", url });
}

/**
 * A task's status as a message about it shows it: the status buttons for its next steps (when the
 * board has a status), and, once someone pressed one on the message, its status line: the status
 * and, when known, who moved it (a press that found it moved already does not know who did).
 */
export interface TaskStatusView {
  pageId: string;
  group: StatusGroup | undefined;
  groups: StatusGroups;
  shown?: { status: string; bySlackUserId?: string | undefined } | undefined;
}

/** The requester's confirmation: the title, a button to the page, and the status buttons. */
export function buildConfirmation(task: { title: string; url: string; existing?: boolean }, status?: TaskStatusView): MessageContent {
  const what = task.existing ? "was already on the board" : "is on the board";
  return {
    text: `${task.existing ? "Already on the board" : "Task created"}: ${escapeMrkdwn(task.title)} ${task.url}`,
    blocks: [section(`:white_check_mark: ${linkedTitle(task.url, task.title, { bold: true })} ${what}.`, openInNotionButton(task.url)), ...statusBlocks(status, "confirmation")],
  };
}

/** The announcement in SLACK_TASKS_CHANNEL_ID, with the status buttons. */
export function buildAnnouncement(task: { title: string; url: string }, requesterId: string, status?: TaskStatusView): MessageContent {
  return {
    text: `New task from <@${requesterId}>: ${escapeMrkdwn(task.title)}`,
    blocks: [section(`:new: <@${requesterId}> asked for ${linkedTitle(task.url, task.title, { bold: true })}`), ...statusBlocks(status, "announcement")],
  };
}

function statusBlocks(status: TaskStatusView | undefined, surface: StatusSurface): KnownBlock[] {
  if (!status) return [];
  const mover = status.shown?.bySlackUserId === undefined ? "" : `, moved by <@${status.shown.bySlackUserId}>`;
  const shown = status.shown ? [context(`Status: *${escapeMrkdwn(status.shown.status)}*${mover}`)] : [];
  const buttons = statusActions({ pageId: status.pageId, group: status.group }, status.groups, surface);
  return [...shown, ...(buttons ? [buttons] : [])];
}

export interface SubmittedText {
  title: string;
  description: string;
  priority: string | undefined;
  due: string | undefined;
}

/**
 * Sent when a save finally fails after the modal closed: everything the person typed comes back,
 * so nothing is lost. Plain `text` (40,000 characters) rather than blocks (3,000 each). `unconfirmed`:
 * Notion gave no answer and the board could not be checked, so the task may be there: the person is
 * told so, never "couldn't save", and to look before making it again.
 */
export function buildReturnedInput(input: SubmittedText, reason: string, options: { unconfirmed?: boolean } = {}): MessageContent {
  const head = options.unconfirmed
    ? [
        ":warning: I couldn't tell whether your task was saved: Notion didn't answer, and the board couldn't be checked.",
        "Look for it on the board before making it again. In case it isn't there, here is everything you typed, for `/task`:",
      ]
    : [`:warning: I couldn't save your task to Notion: ${reason}`, "Here is everything you typed, so you can try again with `/task`:"];
  const lines = [
    ...head,
    "",
    `*Title:* ${escapeMrkdwn(input.title)}`,
    ...(input.priority ? [`*Priority:* ${escapeMrkdwn(input.priority)}`] : []),
    ...(input.due ? [`*Due:* ${input.due}`] : []),
    ...(input.description ? ["*Description:*", escapeMrkdwn(input.description)] : []),
  ];
  return { text: lines.join("\n") };
}
