/** The domain: what a task is and which input makes one. Knows neither Slack nor Notion. */
import * as z from "zod/mini";
import type { Platform } from "../chat/model.js";
import { headWithinUnits } from "../text.js";

/** Long enough for a real title, short enough to read in a list and a Slack message. UTF-16 units, as Slack's max_length counts. */
export const TITLE_MAX = 150;
/** Slack's multiline input holds at most 3,000 UTF-16 units. */
export const DESCRIPTION_MAX = 3000;
/** Used when the board has no priority property with options of its own. */
export const DEFAULT_PRIORITIES = ["High", "Medium", "Low"] as const;

/** Who asked for a task, or wrote the message it came from: a person on one chat platform, by that platform's id. */
export interface Person {
  platform: Platform;
  userId: string;
  name: string;
}

/** A task about to be saved. `requestKey` makes saving idempotent: the same key never makes two tasks. */
export interface NewTask {
  title: string;
  description: string;
  priority: string | undefined;
  /** YYYY-MM-DD */
  due: string | undefined;
  requester: Person;
  /** The author of the message the task was made from, when that is not the requester. */
  messageAuthor: Person | undefined;
  /** A link into the chat the task came from (a message, or the channel): the board's link property (NOTION_SLACK_LINK_PROPERTY). */
  link: string | undefined;
  requestKey: string;
}

/** A task as the board holds it. Any field but id, url and title may be unknown. */
export interface Task {
  id: string;
  url: string;
  title: string;
  status: string | undefined;
  priority: string | undefined;
  due: string | undefined;
  /** The requester's name as people read it (names, for a board that lists several). */
  requester: string | undefined;
  /** Who asked, as a person on their platform, when the board keeps it (a text requester property). */
  requesterId: Pick<Person, "platform" | "userId"> | undefined;
  createdTime: string;
}

export type TaskField = "title" | "description" | "priority" | "due";

export interface TaskInput {
  title: string | undefined;
  description: string | undefined;
  priority: string | undefined;
  due: string | undefined;
}

export type TaskInputResult =
  | { ok: true; task: Pick<NewTask, "title" | "description" | "priority" | "due"> }
  | { ok: false; errors: Partial<Record<TaskField, string>> };

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, "Pick a date from the calendar."));

/** Under the priority input, for a value the board does not offer (forged by a client, or an option removed while the form was open). */
export const UNOFFERED_PRIORITY = "That priority is not one the board offers now. Pick one of the listed priorities.";
/** Under the priority input, when the board could not be read and the value is not one the bot last knew it to offer. */
export const UNCHECKED_PRIORITY = "I couldn't check that priority against the board just now. Try again in a moment, or leave the priority empty.";

/**
 * Checks what a person typed. `today` is the date nowhere on Earth is still before (UTC-12), so a
 * due date is refused only once it is in the past for everyone, whatever their time zone. A priority
 * must be one of `priorities.offered` (exactly, once trimmed): every platform but Slack passes on the
 * client's value as it is, and Notion makes a select option it does not know, so an unchecked value
 * would add it to the board (and to every platform's form). `priorities.unread` says the board could
 * not be read and `offered` is only what the bot last knew: a value outside it gets UNCHECKED_PRIORITY.
 */
export function validateTaskInput(input: TaskInput, options: { now: Date; priorities?: { offered: readonly string[]; unread?: boolean } | undefined }): TaskInputResult {
  const errors: Partial<Record<TaskField, string>> = {};
  const title = collapseWhitespace(input.title ?? "");
  if (title.length === 0) errors.title = "Give the task a title.";
  else if (title.length > TITLE_MAX) errors.title = `Keep the title under ${TITLE_MAX} characters${emojiNote(title)}; put details in the description.`;

  const description = (input.description ?? "").trim();
  if (description.length > DESCRIPTION_MAX) errors.description = `Keep the description under ${DESCRIPTION_MAX} characters${emojiNote(description)}.`;

  const priority = input.priority?.trim() || undefined;
  // The bound answers a long value before any lookup; the lookup refuses what the board does not offer (a forged or outdated value).
  if (priority !== undefined && priority.length > 100) errors.priority = "Pick one of the listed priorities.";
  else if (priority !== undefined && options.priorities && !options.priorities.offered.includes(priority)) errors.priority = options.priorities.unread ? UNCHECKED_PRIORITY : UNOFFERED_PRIORITY;

  const due = input.due?.trim() || undefined;
  if (due !== undefined) {
    const parsed = isoDate.safeParse(due);
    if (!parsed.success || Number.isNaN(Date.parse(`${due}T00:00:00Z`))) errors.due = "Pick a date from the calendar.";
    else if (due < earliestToday(options.now)) errors.due = "That date has passed. Pick today or a later date.";
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, task: { title, description, priority, due } };
}

/** Slack and Notion count an emoji (any character outside the BMP) as two: say so where it changes the count. */
function emojiNote(text: string): string {
  return /[\ud800-\udbff]/.test(text) ? " (an emoji counts as two)" : "";
}

/** Today's date (YYYY-MM-DD) in the last time zone to reach it, UTC-12. */
export function earliestToday(now: Date): string {
  return new Date(now.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
}

/** A title is one line: newlines and runs of spaces (as in a pasted message) become single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A title from a longer text: its first non-empty line, cut at a word boundary to fit `max` UTF-16 units (with its "…"). */
export function titleFrom(text: string, max = TITLE_MAX): string {
  const firstLine = text.split("\n").map(collapseWhitespace).find((line) => line.length > 0) ?? "";
  if (firstLine.length <= max) return firstLine;
  const cut = headWithinUnits(firstLine, max - 1);
  // Drop the last, partial word, unless the cut fell exactly between two words.
  const atWord = /\s/.test(firstLine.charAt(cut.length)) ? cut.trimEnd() : cut.replace(/\s+\S*$/, "");
  return `${atWord.length > max / 2 ? atWord : cut}…`;
}
