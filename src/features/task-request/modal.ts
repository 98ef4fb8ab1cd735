/**
 * The task modal: its ids, its builder and its parser live together so they cannot drift.
 */
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import * as z from "zod/mini";
import type { ViewStateValues } from "../../platforms/slack/payloads.js";
import { LIMITS, section } from "../../platforms/slack/blocks.js";
import { escapeMrkdwn } from "../../platforms/slack/mrkdwn.js";
import { isSlackWebUrl } from "../../platforms/slack/outbound.js";
import { cutToUnits } from "../../text.js";
import { openInNotionButton } from "./messages.js";
import { DEFAULT_PRIORITIES, DESCRIPTION_MAX, TITLE_MAX, type TaskField, type TaskInput } from "../../tasks/task.js";

export const TASK_MODAL_CALLBACK_ID = "task_modal";

/** block_id per field: `response_action: "errors"` is keyed by these. */
export const TASK_BLOCKS = {
  title: { block: "title", action: "title_input" },
  description: { block: "description", action: "description_input" },
  priority: { block: "priority", action: "priority_input" },
  due: { block: "due", action: "due_input" },
} as const satisfies Record<TaskField, { block: string; action: string }>;

/** What travels with the modal (private_metadata, at most 3,000 characters). */
export interface TaskModalMetadata {
  /** The channel the request came from: where the confirmation goes. */
  channelId?: string | undefined;
  /** The slash command's response_url: it can answer ephemerally even where the bot is not a member. */
  responseUrl?: string | undefined;
  /** Where the task's "Slack link" points: the message it was made from, or the channel. */
  slackLink?: string | undefined;
  /** The author of the message the task was made from. */
  messageAuthor?: { id: string; name: string } | undefined;
  /**
   * For a task made from a message: the thread (in `channelId`) the requester hears back in when the
   * task moves: the message's own thread, or the message itself.
   */
  threadTs?: string | undefined;
  /** Opened from the Home tab's *New task*: the tab is published again once the task is saved. */
  openedFrom?: "home" | undefined;
}

const metadataSchema = z.object({
  channelId: z.optional(z.string()),
  responseUrl: z.optional(z.url({ protocol: /^https?$/ })),
  // A link into Slack only; anything else is dropped (the rest of the metadata still stands).
  slackLink: z.optional(z.catch(z.pipe(z.string(), z.transform((value) => (isSlackWebUrl(value) ? value : undefined))), undefined)),
  messageAuthor: z.optional(z.object({ id: z.string(), name: z.string() })),
  threadTs: z.optional(z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/))),
  openedFrom: z.optional(z.literal("home")),
});

export interface TaskModalInput {
  title?: string | undefined;
  description?: string | undefined;
  priorities?: readonly string[] | undefined;
  metadata: TaskModalMetadata;
}

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

/** Builds the modal; prefilled values are cut to the inputs' limits, since Slack refuses longer ones. */
export function buildTaskModal(input: TaskModalInput): ModalView {
  const priorities = input.priorities && input.priorities.length > 0 ? input.priorities : DEFAULT_PRIORITIES;
  const options: PlainTextOption[] = priorities.slice(0, LIMITS.options).map((name) => ({ text: plain(cutToUnits(name, LIMITS.optionText)), value: cutToUnits(name, LIMITS.optionValue) }));
  const title = input.title?.trim() ? cutToUnits(input.title.trim(), TITLE_MAX) : undefined;
  const description = input.description?.trim() ? cutToUnits(input.description.trim(), DESCRIPTION_MAX) : undefined;
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: TASK_BLOCKS.title.block,
      label: plain("Title"),
      element: {
        type: "plain_text_input",
        action_id: TASK_BLOCKS.title.action,
        max_length: TITLE_MAX,
        placeholder: plain("What needs doing? e.g. Fix the login page on Safari"),
        ...(title ? { initial_value: title } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_BLOCKS.description.block,
      label: plain("Description"),
      optional: true,
      element: {
        type: "plain_text_input",
        action_id: TASK_BLOCKS.description.action,
        multiline: true,
        max_length: DESCRIPTION_MAX,
        placeholder: plain("Context, links, what done looks like"),
        ...(description ? { initial_value: description } : {}),
      },
    },
    {
      type: "input",
      block_id: TASK_BLOCKS.priority.block,
      label: plain("Priority"),
      optional: true,
      element: { type: "static_select", action_id: TASK_BLOCKS.priority.action, placeholder: plain("Pick a priority"), options },
    },
    {
      type: "input",
      block_id: TASK_BLOCKS.due.block,
      label: plain("Due date"),
      optional: true,
      hint: plain("Leave empty if there is no deadline."),
      element: { type: "datepicker", action_id: TASK_BLOCKS.due.action, placeholder: plain("Pick a date") },
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: "The task goes on the team's Notion board, and you get a link to it." }],
    },
  ];
  return {
    type: "modal",
    callback_id: TASK_MODAL_CALLBACK_ID,
    title: plain("New task"),
    submit: plain("Create task"),
    close: plain("Cancel"),
    private_metadata: encodeMetadata(input.metadata),
    blocks,
  };
}

/** Reads what the person entered; absent or cleared inputs read as undefined. */
export function readTaskModal(values: ViewStateValues): TaskInput {
  const field = (key: TaskField) => values[TASK_BLOCKS[key].block]?.[TASK_BLOCKS[key].action];
  return {
    title: field("title")?.value ?? undefined,
    description: field("description")?.value ?? undefined,
    priority: field("priority")?.selected_option?.value ?? undefined,
    due: field("due")?.selected_date ?? undefined,
  };
}

/** Maps field errors onto the modal's block ids, for `response_action: "errors"`. */
export function toBlockErrors(errors: Partial<Record<TaskField, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [TASK_BLOCKS[key as TaskField].block, message]));
}

/** The metadata as private_metadata JSON, within Slack's 3,000 units (the link and response_url are dropped when they would not fit). */
export function encodeMetadata(metadata: TaskModalMetadata): string {
  const json = JSON.stringify(metadata);
  // The link and the URL are the only long parts.
  return json.length <= LIMITS.privateMetadata ? json : JSON.stringify({ ...metadata, slackLink: undefined, responseUrl: undefined });
}

/** The metadata, or an empty one when it is absent or not ours (an old modal, a forged field). */
export function decodeMetadata(raw: string | undefined): TaskModalMetadata {
  if (!raw) return {};
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Shown in place of the form when Notion is slow: the save goes on and the link follows. */
export function buildSavingView(title: string): ModalView {
  return {
    type: "modal",
    title: plain("New task"),
    close: plain("Close"),
    blocks: [
      section(`:hourglass_flowing_sand: Saving *${escapeMrkdwn(cutToUnits(title, 200))}* to Notion. It's taking a moment, so you can close this: I'll message you the link.`),
    ],
  };
}

/** Shown once a slow save lands (if the person kept the modal open), or when the task was saved by an earlier submission. */
export function buildSavedView(title: string, url: string, options: { existing?: boolean } = {}): ModalView {
  return {
    type: "modal",
    title: plain(options.existing ? "Already saved" : "Task created"),
    close: plain("Done"),
    blocks: [
      section(`:white_check_mark: *${escapeMrkdwn(cutToUnits(title, 200))}* ${options.existing ? "was already on the board" : "is on the board"}.`, openInNotionButton(url)),
    ],
  };
}
