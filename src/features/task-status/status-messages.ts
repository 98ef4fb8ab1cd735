/** What the bot says when a task moves, and to the person who pressed a status button. Pure builders of Cards (chat/card.ts). */
import type { Card, LinkButton } from "../../chat/card.js";
import type { Platform } from "../../chat/model.js";
import type { Inline, RichText } from "../../chat/rich-text.js";
import type { EmojiName } from "../../chat/emoji.js";
import { GROUP_LABELS, type StatusGroup } from "../../tasks/status.js";
import { OPEN_IN_NOTION_ACTION } from "../task-request/messages.js";
import { nameMover, type Mover } from "./mover.js";

/** A person by platform and id: enough to mention them; their name where a platform's mention shows one (Teams). */
export interface PersonRef {
  platform: Platform;
  userId: string;
  displayName?: string | undefined;
}

/** Who moved a task, as far as anyone knows: a Notion person by name, or a chat user (from a button). */
export type MovedBy = { notionName: string } | { person: Mover } | undefined;

export interface StatusNotification {
  task: { title: string; url: string };
  /** The board's own option, such as "Done" or "In review". */
  status: string | undefined;
  group: StatusGroup;
  requester: PersonRef;
  by: MovedBy;
  /** Where the task came from (the requester is mentioned there), else a direct message. */
  inThread: boolean;
}

const EMOJI: Readonly<Record<StatusGroup, EmojiName>> = { to_do: "white_circle", in_progress: "arrow_forward", complete: "white_check_mark" };

/** The "Open in Notion" link button (Slack still sends its click, acknowledged by OPEN_IN_NOTION_ACTION's route). */
function openInNotion(url: string): LinkButton {
  return { kind: "link", label: "Open in Notion", url, action: OPEN_IN_NOTION_ACTION };
}

/**
 * ", moved by Dana in Notion", ", moved by @someone" (a mover on the requester's platform), ", moved by
 * Alice on Slack" (on another: mover.ts), or nothing when Notion did not say who.
 */
function describeMover(by: MovedBy, requester: Platform): RichText {
  if (by === undefined) return [];
  return "notionName" in by ? [", moved by ", by.notionName, " in Notion"] : [", moved by ", ...nameMover(by.person, requester)];
}

/** The one short message a requester gets when their task changes status group. */
export function buildStatusNotification(input: StatusNotification): Card {
  const status = input.status ?? GROUP_LABELS[input.group];
  const mention: Inline = { mention: input.requester };
  const mover = describeMover(input.by, input.requester.platform);
  return {
    summary: [...(input.inThread ? [mention, ", your task "] : ["Your task "]), input.task.title, " is now ", status, ...mover, "."],
    blocks: [
      {
        kind: "text",
        text: [{ emoji: EMOJI[input.group] }, " ", ...(input.inThread ? [mention, ", your task "] : ["Your task "]), { link: input.task.url, text: input.task.title, bold: true }, " is now ", { bold: status }, ...mover, "."],
        button: openInNotion(input.task.url),
      },
    ],
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

/** A text-only card: the summary is the whole message. */
function says(...text: Inline[]): Card {
  return { summary: text, blocks: [] };
}

/** What the person who pressed the button is told when the task could not be moved. */
export function buildMoveRefusal(refusal: MoveRefusal, title?: string): Card {
  const task: Inline = title ? { bold: title } : "This task";
  switch (refusal.kind) {
    case "not_found":
      return says({ emoji: "warning" }, " ", task, " isn't on the board any more: it was deleted in Notion, or the bot can no longer see it. Nothing was changed.");
    case "trashed":
      return says({ emoji: "wastebasket" }, " ", task, " was moved to the trash in Notion, so it can't be moved from here. Restore it in Notion first.");
    case "outside":
      return says({ emoji: "warning" }, " ", task, " was moved out of the task board in Notion, so the bot no longer follows it. Nothing was changed.");
    case "no_status":
      return says({ emoji: "warning" }, " The board has no status property the bot can write, so it can't move tasks. An admin can run npm run doctor.");
    case "failed":
      return says({ emoji: "warning" }, " I couldn't move ", task, ": ", refusal.reason, refusal.advice);
    case "unreadable":
      return says({ emoji: "warning" }, " This button is from an older version of the bot. Open the task in Notion to change its status.");
  }
}

/** Said to the presser when the task moved but its message was not redrawn (a surface the bot does not redraw, or the redraw failed). */
export function buildMovedNote(status: string): Card {
  return says({ emoji: "white_check_mark" }, " Moved to ", { bold: status }, ".");
}
