/**
 * The task form: its ids, its builder, its context and its reader live together so they cannot
 * drift. A Form (chat/form.ts): Slack draws it as the task modal, Discord as a modal of Labels.
 */
import type { Card } from "../../chat/card.js";
import type { Form, FormErrors, FormValues } from "../../chat/form.js";
import type { Place, Platform } from "../../chat/model.js";
import type { FormNotice } from "../../chat/reply.js";
import { decodePlace, encodePlace } from "../../chat/place.js";
import { isChatWebUrl } from "../../chat/web-link.js";
import { cutToUnits } from "../../text.js";
import { openInNotionButton } from "./messages.js";
import { DEFAULT_PRIORITIES, DESCRIPTION_MAX, TITLE_MAX, type TaskField, type TaskInput } from "../../tasks/task.js";

/** The form's id: what its submission is routed by (Slack's callback_id since the first release). */
export const TASK_FORM_ID = "task_modal";

/** Each field's input id (Slack block_id, Discord custom_id): values and errors are keyed by these. */
export const TASK_INPUTS = {
  title: "title",
  description: "description",
  priority: "priority",
  due: "due",
} as const satisfies Record<TaskField, string>;

/** Notion refuses a url property longer than 2,000 characters: a longer link is no link to keep. */
const LINK_MAX = 2_000;

/** What travels with the form and comes back with its submission: where the task came from. */
export interface TaskFormContext {
  /** The conversation the request was made in (the channel of `/task`, of the message). */
  asked?: Place | undefined;
  /** The message the task was made from: the requester hears back there (a reply, or in its Slack thread). */
  message?: Place | undefined;
  /** The task's link back into the chat: the message, or the channel. */
  link?: string | undefined;
  /** The author of the message the task was made from (on the requester's platform). */
  author?: { userId: string; name: string } | undefined;
  /** Opened from the Slack Home tab's *New task*: the tab is published again once the task is saved. */
  from?: "home" | undefined;
}

export interface TaskFormInput {
  title?: string | undefined;
  description?: string | undefined;
  /** What a form shown again (after a refused submission) keeps of what was picked. */
  priority?: string | undefined;
  due?: string | undefined;
  priorities?: readonly string[] | undefined;
  context: TaskFormContext;
}

/**
 * Builds the form; prefilled values are cut to the inputs' limits (Slack refuses longer ones), the
 * priorities are the board's (else High, Medium, Low). Labels "Title", "Description", "Priority",
 * "Due date" on every platform; Discord draws the date as a text input saying its format.
 */
export function buildTaskForm(input: TaskFormInput): Form {
  const priorities = input.priorities && input.priorities.length > 0 ? input.priorities : DEFAULT_PRIORITIES;
  const title = input.title?.trim() ? cutToUnits(input.title.trim(), TITLE_MAX) : undefined;
  const description = input.description?.trim() ? cutToUnits(input.description.trim(), DESCRIPTION_MAX) : undefined;
  return {
    id: TASK_FORM_ID,
    title: "New task",
    submitLabel: "Create task",
    closeLabel: "Cancel",
    note: "The task goes on the team's Notion board, and you get a link to it.",
    inputs: [
      { kind: "text", id: TASK_INPUTS.title, label: "Title", maxLength: TITLE_MAX, placeholder: "What needs doing? e.g. Fix the login page on Safari", value: title },
      { kind: "text", id: TASK_INPUTS.description, label: "Description", optional: true, multiline: true, maxLength: DESCRIPTION_MAX, placeholder: "Context, links, what done looks like", value: description },
      { kind: "choice", id: TASK_INPUTS.priority, label: "Priority", optional: true, placeholder: "Pick a priority", options: priorities.map((name) => ({ label: name, value: name })), value: input.priority },
      { kind: "date", id: TASK_INPUTS.due, label: "Due date", optional: true, hint: "Leave empty if there is no deadline.", placeholder: "Pick a date", value: input.due },
    ],
    context: encodeTaskContext(input.context),
  };
}

/** Reads what the person entered; absent or cleared inputs read as undefined. */
export function readTaskForm(values: FormValues): TaskInput {
  const field = (key: TaskField) => (Object.hasOwn(values, TASK_INPUTS[key]) ? values[TASK_INPUTS[key]] : undefined);
  return { title: field("title"), description: field("description"), priority: field("priority"), due: field("due") };
}

/** Field errors keyed by the form's input ids, for Reply.refuseForm. */
export function toFormErrors(errors: Partial<Record<TaskField, string>>): FormErrors {
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [TASK_INPUTS[key as TaskField], message]));
}

/** The context as the form's flat strings. A link that no chat's web app serves, or too long for Notion, is left out. */
export function encodeTaskContext(context: TaskFormContext): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ["asked", context.asked && placeText(context.asked)],
    ["place", context.message && placeText(context.message)],
    ["link", context.link !== undefined && keepableLink(context.link) ? context.link : undefined],
    ["authorId", context.author?.userId],
    ["authorName", context.author?.name],
    ["from", context.from],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The context a submission brought back, for a person on `platform`. Whatever is not ours is
 * dropped (a forged field, a place on another platform, a link outside the chats), the rest still
 * stands. (A Slack modal opened before the port is read in these words by the Slack adapter.)
 */
export function decodeTaskContext(raw: Readonly<Record<string, string>>, person: { platform: Platform }): TaskFormContext {
  const get = (key: string) => (Object.hasOwn(raw, key) ? raw[key] : undefined);
  const ours = (text: string | undefined) => {
    const place = text === undefined ? undefined : decodePlace(text);
    return place && place.platform === person.platform ? place : undefined;
  };
  const link = get("link");
  const authorId = get("authorId");
  return {
    asked: ours(get("asked")),
    message: ours(get("place")),
    link: link !== undefined && keepableLink(link) ? link : undefined,
    author: authorId ? { userId: authorId, name: get("authorName") || authorId } : undefined,
    from: get("from") === "home" ? "home" : undefined,
  };
}

/** A place's text, or undefined for one no platform produces (a hostile channel id in a signed payload): the form still opens, without it. */
function placeText(place: Place): string | undefined {
  try {
    return encodePlace(place);
  } catch {
    return undefined;
  }
}

function keepableLink(link: string): boolean {
  return link.length <= LINK_MAX && isChatWebUrl(link);
}

/** A title as a notice shows it: 200 units at most, since a notice is a line, not the task. */
function shortTitle(title: string): string {
  return cutToUnits(title, 200);
}

/** Shown in place of the form when Notion is slow: the save goes on and the link follows. */
export function buildSavingNotice(title: string): FormNotice {
  const text = [{ emoji: "hourglass_flowing_sand" }, " Saving ", { bold: shortTitle(title) }, " to Notion. It's taking a moment, so you can close this: I'll message you the link."] as const;
  const card: Card = { summary: text, blocks: [{ kind: "text", text }] };
  return { title: "New task", closeLabel: "Close", card };
}

/** Shown once a slow save lands (if the person kept the form open), or when the task was saved by an earlier submission. */
export function buildSavedNotice(title: string, url: string, options: { existing?: boolean } = {}): FormNotice {
  const text = [{ emoji: "white_check_mark" }, " ", { bold: shortTitle(title) }, options.existing ? " was already on the board." : " is on the board."] as const;
  const card: Card = { summary: [...text, " ", url], blocks: [{ kind: "text", text, button: openInNotionButton(url) }] };
  return { title: options.existing ? "Already saved" : "Task created", closeLabel: "Done", card };
}
