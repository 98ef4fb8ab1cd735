/** What the bot says about a task it saved, or could not save: Cards (chat/card.ts), each adapter draws them. Pure builders: plain data in, plain data out. */
import type { Card, CardBlock, LinkButton } from "../../chat/card.js";
import type { Platform } from "../../chat/model.js";
import type { Inline, RichText } from "../../chat/rich-text.js";
import type { StatusGroup, StatusGroups } from "../../tasks/status.js";
import { nameMover, type Mover } from "../task-status/mover.js";
import { statusButtonRow, type StatusSurface } from "../task-status/status-buttons.js";

/** The "Open in Notion" link button: Slack still sends its click, which needs nothing but an acknowledgement. */
export const OPEN_IN_NOTION_ACTION = "open_in_notion";

/** The button to the task's page, on every message and notice that names a saved task. */
export function openInNotionButton(url: string): LinkButton {
  return { kind: "link", label: "Open in Notion", url, action: OPEN_IN_NOTION_ACTION };
}

/** A person a message mentions: their platform and that platform's id. */
export type Mentioned = { platform: Platform; userId: string };

/**
 * A task's status as a message about it shows it: the status buttons for its next steps (when the
 * board has a status), and, once someone pressed one on the message, its status line: the status
 * and, when known, who moved it (a press that found it moved already does not know who did).
 */
export interface TaskStatusView {
  pageId: string;
  group: StatusGroup | undefined;
  groups: StatusGroups;
  /** `on`: the platform the message is on, where a mover from another is named in words (mover.ts); absent: `by`'s own. */
  shown?: { status: string; by?: Mover | undefined; on?: Platform | undefined } | undefined;
}

/** The requester's confirmation: the title, a button to the page, and the status buttons. */
export function buildConfirmation(task: { title: string; url: string; existing?: boolean }, status?: TaskStatusView): Card {
  const what = task.existing ? "was already on the board" : "is on the board";
  return {
    summary: [`${task.existing ? "Already on the board" : "Task created"}: `, task.title, " ", task.url],
    blocks: [
      { kind: "text", text: [{ emoji: "white_check_mark" }, " ", { link: task.url, text: task.title, bold: true }, ` ${what}.`], button: openInNotionButton(task.url) },
      ...statusBlocks(status, "confirmation"),
    ],
  };
}

/** The announcement in the requester's platform's tasks channel, with the status buttons. */
export function buildAnnouncement(task: { title: string; url: string }, requester: Mentioned, status?: TaskStatusView): Card {
  return {
    summary: ["New task from ", { mention: requester }, ": ", task.title],
    blocks: [{ kind: "text", text: [{ emoji: "new" }, " ", { mention: requester }, " asked for ", { link: task.url, text: task.title, bold: true }] }, ...statusBlocks(status, "announcement")],
  };
}

/** The status line (when shown) and the status buttons, in the row named after the message (status-buttons.ts). */
function statusBlocks(status: TaskStatusView | undefined, surface: StatusSurface): CardBlock[] {
  if (!status) return [];
  const by = status.shown?.by;
  const shown: CardBlock[] = status.shown ? [{ kind: "note", text: ["Status: ", { bold: status.shown.status }, ...(by === undefined ? [] : [", moved by ", ...nameMover(by, status.shown.on ?? by.platform)])] }] : [];
  const row = statusButtonRow(status, status.groups, surface);
  return [...shown, ...(row ? [row] : [])];
}

export interface SubmittedText {
  title: string;
  description: string;
  priority: string | undefined;
  due: string | undefined;
}

/**
 * Sent when a save finally fails after the modal closed: everything the person typed comes back,
 * so nothing is lost, and how to ask again (`command`: `/task` by default). All in the summary (Slack's plain `text`, 40,000 characters, rather than blocks of 3,000 each). `unconfirmed`:
 * Notion gave no answer and the board could not be checked, so the task may be there: the person is
 * told so, never "couldn't save", and to look before making it again.
 */
export function buildReturnedInput(input: SubmittedText, reason: string, options: { unconfirmed?: boolean; command?: string } = {}): Card {
  // As the person's platform names it (taskCommandOn): `/task`, or on Teams, a message starting `task`.
  const command: Inline = { code: options.command ?? "/task" };
  const head: RichText[] = options.unconfirmed
    ? [
        [{ emoji: "warning" }, " I couldn't tell whether your task was saved: Notion didn't answer, and the board couldn't be checked."],
        ["Look for it on the board before making it again. In case it isn't there, here is everything you typed, for ", command, ":"],
      ]
    : [
        [{ emoji: "warning" }, " I couldn't save your task to Notion: ", reason],
        ["Here is everything you typed, so you can try again with ", command, ":"],
      ];
  const lines: RichText[] = [
    ...head,
    [],
    [{ bold: "Title:" }, " ", input.title],
    ...(input.priority ? [[{ bold: "Priority:" }, " ", input.priority]] : []),
    ...(input.due ? [[{ bold: "Due:" }, " ", input.due]] : []),
    ...(input.description ? [[{ bold: "Description:" }], [input.description]] : []),
  ];
  return { summary: lines.flatMap((line, index) => (index === 0 ? line : ["\n", ...line])), blocks: [] };
}
