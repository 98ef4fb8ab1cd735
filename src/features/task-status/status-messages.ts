/** What the bot says when a task moves, and to the person who pressed a status button. Pure builders. */
import { button, section } from "../../platforms/slack/blocks.js";
import type { MessageContent } from "../../platforms/slack/client.js";
import { escapeMrkdwn, linkedTitle } from "../../platforms/slack/mrkdwn.js";
import { GROUP_LABELS, type StatusGroup } from "../../tasks/status.js";
import { OPEN_IN_NOTION_ACTION } from "../task-request/messages.js";

/** Who moved a task, as far as anyone knows: a Notion person by name, or a Slack user (from a button). */
export type MovedBy = { notionName: string } | { slackUserId: string } | undefined;

export interface StatusNotification {
  task: { title: string; url: string };
  /** The board's own option, such as "Done" or "In review". */
  status: string | undefined;
  group: StatusGroup;
  requesterId: string;
  by: MovedBy;
  /** In the thread of the message the task came from (the requester is mentioned), else a direct message. */
  inThread: boolean;
}

const EMOJI: Readonly<Record<StatusGroup, string>> = { to_do: ":white_circle:", in_progress: ":arrow_forward:", complete: ":white_check_mark:" };

/** "moved by Dana in Notion" / "moved by <@U123>", or nothing when Notion did not say who. */
function describeMover(by: MovedBy): string {
  if (by === undefined) return "";
  return "notionName" in by ? `, moved by ${escapeMrkdwn(by.notionName)} in Notion` : `, moved by <@${by.slackUserId}>`;
}

/** The one short message a requester gets when their task changes status group. */
export function buildStatusNotification(input: StatusNotification): MessageContent {
  const status = escapeMrkdwn(input.status ?? GROUP_LABELS[input.group]);
  const title = linkedTitle(input.task.url, input.task.title, { bold: true });
  const whose = input.inThread ? `<@${input.requesterId}>, your task` : "Your task";
  const mrkdwn = `${EMOJI[input.group]} ${whose} ${title} is now *${status}*${describeMover(input.by)}.`;
  return {
    text: `${input.inThread ? `<@${input.requesterId}>, your` : "Your"} task ${escapeMrkdwn(input.task.title)} is now ${status}${describeMover(input.by)}.`,
    blocks: [section(mrkdwn, button({ actionId: OPEN_IN_NOTION_ACTION, text: "Open in Notion", url: input.task.url }))],
  };
}

/** Why a status button could not move the task, in words the person can act on. */
export type MoveRefusal =
  | { kind: "not_found" }
  | { kind: "trashed" }
  | { kind: "outside" }
  | { kind: "no_status" }
  | { kind: "failed"; reason: string; advice: string; title?: string }
  | { kind: "unreadable" };

/** What the person who pressed the button is told when the task could not be moved. */
export function buildMoveRefusal(refusal: MoveRefusal, title?: string): MessageContent {
  const task = title ? `*${escapeMrkdwn(title)}*` : "This task";
  switch (refusal.kind) {
    case "not_found":
      return { text: `:warning: ${task} isn't on the board any more: it was deleted in Notion, or the bot can no longer see it. Nothing was changed.` };
    case "trashed":
      return { text: `:wastebasket: ${task} was moved to the trash in Notion, so it can't be moved from here. Restore it in Notion first.` };
    case "outside":
      return { text: `:warning: ${task} was moved out of the task board in Notion, so the bot no longer follows it. Nothing was changed.` };
    case "no_status":
      return { text: ":warning: The board has no status property the bot can write, so it can't move tasks. An admin can run npm run doctor." };
    case "failed":
      return { text: `:warning: I couldn't move ${task}: ${refusal.reason}${refusal.advice}` };
    case "unreadable":
      return { text: ":warning: This button is from an older version of the bot. Open the task in Notion to change its status." };
  }
}
