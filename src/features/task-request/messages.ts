/** What the bot says about tasks. Pure builders: plain data in, plain data out. */
import type { KnownBlock } from "@slack/types";
import type { MessageContent } from "../../slack/client.js";
import { escapeMrkdwn, mrkdwnLink, truncate } from "../../slack/mrkdwn.js";
import type { NotionErrorCode } from "../../notion/client.js";
import type { Task } from "../../tasks/task.js";

/** Every user-facing text is cut well inside Slack's 3,000-character limit for a text object. */
const SECTION_MAX = 2_900;

export const OPEN_IN_NOTION_ACTION = "open_in_notion";

/** The requester's confirmation: the title and a button to the page. */
export function buildConfirmation(task: { title: string; url: string; existing?: boolean }): MessageContent {
  const what = task.existing ? "was already on the board" : "is on the board";
  return {
    text: `Task created: ${escapeMrkdwn(task.title)} ${task.url}`,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: truncate(`:white_check_mark: *${mrkdwnLink(task.url, task.title)}* ${what}.`, SECTION_MAX) },
        accessory: { type: "button", action_id: OPEN_IN_NOTION_ACTION, text: { type: "plain_text", text: "Open in Notion" }, url: task.url },
      },
    ],
  };
}

/** The announcement in SLACK_TASKS_CHANNEL_ID. */
export function buildAnnouncement(task: { title: string; url: string }, requesterId: string): MessageContent {
  return {
    text: `New task from <@${requesterId}>: ${escapeMrkdwn(task.title)}`,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: truncate(`:new: <@${requesterId}> asked for *${mrkdwnLink(task.url, task.title)}*`, SECTION_MAX) },
      },
    ],
  };
}

export interface SubmittedText {
  title: string;
  description: string;
  priority: string | undefined;
  due: string | undefined;
}

/**
 * Sent when a save finally fails after the modal closed: everything the person typed comes back,
 * so nothing is lost. Plain `text` (40,000 characters) rather than blocks (3,000 each).
 */
export function buildReturnedInput(input: SubmittedText, reason: string): MessageContent {
  const lines = [
    `:warning: I couldn't save your task to Notion: ${reason}`,
    "Here is everything you typed, so you can try again with `/task`:",
    "",
    `*Title:* ${escapeMrkdwn(input.title)}`,
    ...(input.priority ? [`*Priority:* ${escapeMrkdwn(input.priority)}`] : []),
    ...(input.due ? [`*Due:* ${input.due}`] : []),
    ...(input.description ? ["*Description:*", escapeMrkdwn(input.description)] : []),
  ];
  return { text: lines.join("\n") };
}

/** A failure in words a person can act on; no codes, no stack traces. */
export function explainNotionError(code: NotionErrorCode | undefined): string {
  switch (code) {
    case "not_found":
      return "the bot can't see the board. Ask an admin to share the Notion database with the integration.";
    case "unauthorized":
      return "Notion refused the bot's token. Ask an admin to update NOTION_TOKEN.";
    case "invalid_request":
      return "Notion refused the task; the board's properties may have changed (an admin can run npm run doctor).";
    case "rate_limited":
      return "Notion is rate-limiting the bot right now.";
    case "timeout":
      return "Notion took too long to answer.";
    default:
      return "Notion is unavailable right now.";
  }
}

/** What to do about a failure that passes by itself: nothing for an admin to fix, so try again later. */
export function retryAdvice(code: NotionErrorCode | undefined): string {
  return code === "not_found" || code === "unauthorized" || code === "invalid_request" ? "" : " Please try again in a minute.";
}

export function buildHelp(command: string): MessageContent {
  const text = [
    `*${command}* puts a request on the team's Notion board.`,
    `• \`${command}\` opens a form; \`${command} Fix the login page\` fills in the title.`,
    `• \`${command} list\` shows your open tasks.`,
    `• \`${command} review\` shows this week's review of open tasks.`,
    `• \`${command} help\` shows this.`,
    "On any message, *More actions* (⋮) offers *Create task* (turn it into a task) and *Remind of process* (ask its author, in the thread, to use this command).",
  ].join("\n");
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The caller's open tasks, newest first, each linked. */
export function buildTaskList(tasks: readonly Task[], command: string): MessageContent {
  if (tasks.length === 0) {
    const text = `You have no open tasks. Create one with \`${command}\`.`;
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
  }
  const lines = tasks.map((task) => {
    const details = [task.status, task.priority, task.due ? `due ${task.due}` : undefined].filter(Boolean).map((d) => escapeMrkdwn(d!));
    return `• ${mrkdwnLink(task.url, truncate(task.title, 150))}${details.length > 0 ? ` · ${details.join(" · ")}` : ""}`;
  });
  const heading = `*Your open tasks (${tasks.length})*`;
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: heading } }];
  // Several sections rather than one long text: each stays under the 3,000-character limit.
  let current = "";
  for (const line of lines) {
    if (current.length + line.length + 1 > SECTION_MAX) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: current } });
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push({ type: "section", text: { type: "mrkdwn", text: current } });
  return { text: `Your open tasks (${tasks.length})`, blocks };
}
