/**
 * The requester as a board with a Text "Requested by" property holds it: "Bob (U0BOB)", and ", from
 * a message by Alice (U0ALICE)" when someone else wrote the message. The Slack ids make the text
 * searchable (a person's own tasks) and let the bot find whom to tell; people read the names. The
 * one place this text is written, searched and read.
 */
import type { NewTask, Person } from "../tasks/task.js";

/** Writes the requester text for a new task. */
export function describeRequester(task: Pick<NewTask, "requester" | "messageAuthor">): string {
  const person = (p: Person) => `${p.name} (${p.slackUserId})`;
  const author = task.messageAuthor;
  const from = author && author.slackUserId !== task.requester.slackUserId ? `, from a message by ${person(author)}` : "";
  return `${person(task.requester)}${from}`;
}

/** What a `rich_text contains` filter looks for to find a person's tasks. */
export function requesterSearchTerm(slackUserId: string): string {
  return `(${slackUserId})`;
}

const SLACK_ID = /\s*\(([UW][A-Z0-9]{2,})\)/g;

/** Every Slack id in requester text, in order: the requester's, then a message author's ("Bob (U0BOB), from a message by Alice (U0ALICE)"). */
export function requesterSlackIds(text: string): string[] {
  return [...text.matchAll(SLACK_ID)].map((match) => match[1]!);
}

/** Reads requester text back: the names as people read them, and the requester's Slack id (the first one) if any. */
export function readRequesterText(text: string): { names: string; slackUserId: string | undefined } {
  const first = [...text.matchAll(SLACK_ID)][0]?.[1];
  return { names: text.replace(SLACK_ID, "").trim(), slackUserId: first };
}
