/**
 * The reminder posted in a thread: its text, its "Create task from this message" button, and the
 * button's value (encoder and parser) live together so they cannot drift. Pure builders.
 */
import * as z from "zod/mini";
import type { Card } from "../../chat/card.js";
import type { Person, Place } from "../../chat/model.js";
import { decodePlace, encodePlace, PLACE_SEGMENT_MAX } from "../../chat/place.js";
import { headWithinUnits } from "../../text.js";
import { reminderText, type ReminderTextInput } from "./reminder-text.js";

export { DEFAULT_REMINDER_TEXT, NO_AUTHOR } from "./reminder-text.js";

export const CREATE_TASK_FROM_REMINDER_ACTION = "create_task_from_reminder";

/**
 * A button value's most, in UTF-16 units: Slack refuses a value over 2,000 (Block Kit's button
 * element). Discord's custom_id holds 100 characters, so its adapter parks a longer value in the store.
 */
export const BUTTON_VALUE_MAX = 2_000;

/**
 * What the button's click needs. The click's payload carries the reminder, not the original
 * message, and reading the original back would need the *:history scopes (Slack) or the Message
 * Content intent (Discord), so the value carries a bounded plain-text excerpt of the message for the
 * prefill (the task's link points at the whole message). Everything else is fetched on click: the
 * permalink and the author's name.
 */
export interface ReminderButton {
  /** The message: its conversation, its thread when it is in one, and its id (encodePlace in the value). */
  message: Place;
  /** The message's human author, a user id on the message's platform. */
  authorId: string | undefined;
  /** The message as plain text; cut to fit the value when long. */
  excerpt: string;
}

/** Ids and places as the value holds them: no whitespace or control characters, and bounded. */
const ID = /^[^\s\u0000-\u001f\u007f-\u009f\u2028\u2029]{1,256}$/;

/** The value since the chat port (v2): the message's place and its author's id. */
const valueSchema = z.object({
  v: z.literal(2),
  p: z.string().check(z.maxLength(5 * (PLACE_SEGMENT_MAX * 3 + 1))),
  a: z.optional(z.string().check(z.regex(ID))),
  x: z.string().check(z.maxLength(BUTTON_VALUE_MAX)),
});

/**
 * The value before it (v1), which reminders already posted in Slack still carry: a Slack channel and
 * ts, the author's Slack id. It named no workspace: the click's own is the message's.
 */
const slackValueSchema = z.object({
  v: z.literal(1),
  c: z.string().check(z.regex(/^[CDG][A-Z0-9]{2,}$/)),
  t: z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/)),
  a: z.optional(z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/))),
  x: z.string().check(z.maxLength(BUTTON_VALUE_MAX)),
});

/**
 * The button's value: compact JSON of at most BUTTON_VALUE_MAX units, keeping the longest start of
 * the excerpt whose encoding fits. JSON escapes make a character cost up to six units (a `"` two, a
 * control character six), so the fit is searched on the encoded length, not guessed from the overflow.
 * Throws a RangeError for a place encodePlace refuses (a bug in the caller).
 */
export function encodeReminderButton(button: ReminderButton): string {
  const place = encodePlace(button.message);
  const encode = (excerpt: string) => JSON.stringify({ v: 2, p: place, ...(button.authorId ? { a: button.authorId } : {}), x: excerpt });
  const whole = encode(button.excerpt);
  if (whole.length <= BUTTON_VALUE_MAX) return whole;
  const cut = (units: number) => encode(`${headWithinUnits(button.excerpt, units).trimEnd()}…`);
  // The longest prefix, in units, whose encoded value fits: encoded length grows with the prefix.
  let fits = 0;
  let tooLong = button.excerpt.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (cut(middle).length <= BUTTON_VALUE_MAX) fits = middle;
    else tooLong = middle;
  }
  return cut(fits);
}

/**
 * The button's value, or undefined when it is not one this bot wrote (a forged click, a value from
 * a version before these two). `clickedIn` is the workspace the click came from: a v1 value (Slack's,
 * before the chat port) names none, and its message is in the clicker's own workspace.
 */
export function decodeReminderButton(value: string | undefined, clickedIn: Pick<Place, "platform" | "workspace">): ReminderButton | undefined {
  if (value === undefined || value.length > BUTTON_VALUE_MAX) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = valueSchema.safeParse(json);
  if (parsed.success) {
    const message = decodePlace(parsed.data.p);
    // A value names a message on the platform it was clicked on.
    if (!message?.message || message.platform !== clickedIn.platform) return undefined;
    return { message, authorId: parsed.data.a, excerpt: parsed.data.x };
  }
  const old = slackValueSchema.safeParse(json);
  if (!old.success || clickedIn.platform !== "slack") return undefined;
  return {
    message: { platform: "slack", workspace: clickedIn.workspace, conversation: old.data.c, message: old.data.t },
    authorId: old.data.a,
    excerpt: old.data.x,
  };
}

/** The button's author as a person: on the message's platform and in its workspace. */
export function authorOf(button: ReminderButton): Person | undefined {
  const { message, authorId } = button;
  return authorId === undefined ? undefined : { platform: message.platform, workspace: message.workspace, userId: authorId, displayName: undefined };
}

export interface ReminderInput extends Omit<ReminderTextInput, "author"> {
  button: ReminderButton;
}

/**
 * The reminder: the team's text with its placeholders filled (the author's mention is `{ mention }`,
 * the one person the reply may ping), and the "Create task from this message" button.
 */
export function buildReminder(input: ReminderInput): Card {
  const text = reminderText({ ...input, author: authorOf(input.button) });
  return {
    summary: text,
    blocks: [
      { kind: "text", text },
      { kind: "buttons", buttons: [{ kind: "action", action: CREATE_TASK_FROM_REMINDER_ACTION, label: "Create task from this message", style: "primary", value: encodeReminderButton(input.button) }] },
    ],
  };
}
