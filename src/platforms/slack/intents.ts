/**
 * Slack's payloads as the port's Intents (chat/intent.ts): what routes.ts's intentRoutes are keyed
 * by. Pure; the payloads are already validated (parse-slash-command.ts, parse-interaction.ts), so
 * nothing here throws. docs/chat-port.md, "The Slack adapter onto the port".
 */
import type { ChatMessage, Intent, IntentOf } from "../../chat/intent.js";
import type { Person, Place } from "../../chat/model.js";
import { encodePlace } from "../../chat/place.js";
import { parseJsonText, NOT_JSON } from "../../json-text.js";
import { conversationKind, humanAuthorOf, plainTextFrom } from "./message.js";
import type { BlockActions, MessageAction, SlackMessage, SlashCommand, ViewSubmission } from "./payloads.js";

/** The interactions' common fields a Person and a Place are read from. */
type InteractionPayload = MessageAction | BlockActions | ViewSubmission;

/**
 * `/task <text>` as an intent: a known one-word subcommand (`list`, any case) is `subcommand`;
 * anything else is `ask_for_task` with the text as a person reads it (plainTextFrom: entities
 * decoded, `<@U1>` as `@U1`), which is what the form is prefilled with.
 */
export function intentOfCommand(command: SlashCommand, subcommandNames: readonly string[]): IntentOf<"ask_for_task"> | IntentOf<"subcommand"> {
  const person: Person = { platform: "slack", workspace: command.team_id, userId: command.user_id, displayName: command.user_name || undefined };
  const place: Place = { platform: "slack", workspace: command.team_id, conversation: command.channel_id };
  const word = command.text.trim().toLowerCase();
  if (/^\S+$/.test(word) && subcommandNames.includes(word)) return { kind: "subcommand", person, place, name: word, rest: "" };
  return { kind: "ask_for_task", person, place, text: plainTextFrom(command.text) };
}

/**
 * A message shortcut (`message_action`): `shortcut` is its callback_id; the message's place is
 * `slack:<team>:<channel>:<thread_ts?>:<ts>`, its author a person only when a person wrote it
 * (humanAuthorOf), its text plain, and its link the archive URL Slack resolves to the message
 * (task-from-message.ts writes the same one), known without a call.
 */
export function intentOfMessageAction(payload: MessageAction): IntentOf<"message_shortcut"> {
  const person = personOf(payload);
  const place: Place = messagePlace(person.workspace, payload.channel.id, payload.message);
  const author = humanAuthorOf(payload.message);
  const message: ChatMessage = {
    place,
    conversationKind: conversationKind(payload.channel),
    author: author && { platform: "slack", workspace: person.workspace, userId: author.id, displayName: author.name },
    text: plainTextFrom(payload.message.text),
    link: archiveUrl(payload.channel.id, payload.message.ts, payload.message.thread_ts),
  };
  return { kind: "message_shortcut", person, place: { platform: "slack", workspace: person.workspace, conversation: payload.channel.id }, shortcut: payload.callback_id, message };
}

/**
 * A button click (`block_actions`, its first action: Slack sends one per click): `action` is its
 * action_id, `rowId` its block_id, `message` the message it was on (none on the Home tab or in a modal).
 */
export function intentOfBlockActions(payload: BlockActions): IntentOf<"button"> {
  const person = personOf(payload);
  const action = payload.actions[0]!;
  const channel = payload.channel?.id;
  const message = channel && payload.message ? messagePlace(person.workspace, channel, payload.message) : undefined;
  return {
    kind: "button",
    person,
    place: channel ? { platform: "slack", workspace: person.workspace, conversation: channel } : undefined,
    action: action.action_id,
    value: action.value,
    rowId: action.block_id,
    message,
  };
}

/**
 * A modal's submission (`view_submission`): `form` is its callback_id, `instance` the view's id
 * (the same for every resend of one open modal), `values` each input block's value by block_id
 * (typed text, a select's option value, a date picker's date; empty as undefined) and `context`
 * the string fields of private_metadata's JSON. The task modal's metadata nested the message's
 * author (`messageAuthor: { id, name }`) until the port: it comes out as `authorId`/`authorName`,
 * so a modal open across the deploy keeps its author. Metadata that is not a JSON object is no context.
 */
export function intentOfViewSubmission(payload: ViewSubmission): IntentOf<"submit_form"> {
  const values: Record<string, string | undefined> = {};
  for (const [blockId, elements] of Object.entries(payload.view.state.values)) {
    // One element per input block; the first that holds anything answers for the block.
    let value: string | undefined;
    for (const element of Object.values(elements)) {
      value = element.value ?? element.selected_option?.value ?? element.selected_date ?? undefined;
      if (value) break;
    }
    values[blockId] = value || undefined;
  }
  const person = personOf(payload);
  return {
    kind: "submit_form",
    person,
    place: undefined,
    form: payload.view.callback_id,
    instance: payload.view.id,
    values,
    context: contextOf(payload.view.private_metadata, person.workspace),
  };
}

/** The intent of a parsed interaction of a kind the port knows. */
export function intentOfInteraction(interaction: { kind: "view_submission"; payload: ViewSubmission } | { kind: "message_action"; payload: MessageAction } | { kind: "block_actions"; payload: BlockActions }): Intent {
  switch (interaction.kind) {
    case "view_submission":
      return intentOfViewSubmission(interaction.payload);
    case "message_action":
      return intentOfMessageAction(interaction.payload);
    case "block_actions":
      return intentOfBlockActions(interaction.payload);
  }
}

/**
 * Why the port cannot take an intent, or undefined: a place whose ids hold what no Slack id holds
 * (whitespace, control characters), which a task's record could not keep (chat/place.ts refuses it).
 * Slack never sends one; a forged or broken payload can, and its route must not throw on it.
 */
export function unusableIntent(intent: Intent): string | undefined {
  const places = [intent.place, intent.kind === "message_shortcut" ? intent.message.place : undefined, intent.kind === "button" ? intent.message : undefined];
  for (const place of places) {
    if (place === undefined) continue;
    try {
      encodePlace(place);
    } catch {
      return "an id holds a character no Slack id holds";
    }
  }
  return undefined;
}

/** Who acted: their workspace is the payload's team, else their own team (an org-wide install sends `team: null`), else the org. */
export function personOf(payload: InteractionPayload): Person {
  const workspace = payload.team?.id ?? payload.user.team_id ?? payload.enterprise?.id ?? "";
  return { platform: "slack", workspace, userId: payload.user.id, displayName: payload.user.name || payload.user.username || undefined };
}

/** A message's place: its thread when it is in one (a reply, or a root with replies), and its ts. */
function messagePlace(workspace: string, channel: string, message: Pick<SlackMessage, "ts" | "thread_ts">): Place {
  return { platform: "slack", workspace, conversation: channel, ...(message.thread_ts ? { thread: message.thread_ts } : {}), message: message.ts };
}

/**
 * The link Slack's clients open on a message, without a chat.getPermalink call: the archive URL
 * (`/archives/C1/p1700000000000100`, with `thread_ts` and `cid` for a reply), as task-from-message.ts
 * writes it into the task.
 */
export function archiveUrl(channelId: string, messageTs: string, threadTs: string | undefined): string {
  const base = `https://slack.com/archives/${encodeURIComponent(channelId)}/p${encodeURIComponent(messageTs.replace(".", ""))}`;
  return threadTs && threadTs !== messageTs ? `${base}?thread_ts=${encodeURIComponent(threadTs)}&cid=${encodeURIComponent(channelId)}` : base;
}

/**
 * private_metadata's string fields, with what a task modal opened before the port kept in Slack's
 * words read in the form's (features/task-request/modal.ts): the nested author flattened, `slackLink`
 * as `link`, `openedFrom` as `from`, and the thread (`channelId` with `threadTs`) as the message's
 * `place`; anything else is dropped.
 */
function contextOf(metadata: string | undefined, workspace: string): Record<string, string> {
  if (!metadata) return {};
  const json = parseJsonText(metadata);
  if (json === NOT_JSON || typeof json !== "object" || json === null || Array.isArray(json)) return {};
  // Entries, not assignment: a `__proto__` key in forged metadata stays a plain key.
  const entries = Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  const author = (json as { messageAuthor?: unknown }).messageAuthor;
  if (typeof author === "object" && author !== null) {
    const { id, name } = author as { id?: unknown; name?: unknown };
    if (typeof id === "string") entries.unshift(["authorId", id]);
    if (typeof name === "string") entries.unshift(["authorName", name]);
  }
  const { slackLink, openedFrom, channelId, threadTs } = json as Record<string, unknown>;
  if (typeof slackLink === "string") entries.unshift(["link", slackLink]);
  if (openedFrom === "home") entries.unshift(["from", "home"]);
  const thread = typeof channelId === "string" && typeof threadTs === "string" ? legacyThread(workspace, channelId, threadTs) : undefined;
  if (thread !== undefined) entries.unshift(["place", thread]);
  // A flat field written since the port wins over the legacy nested one (fromEntries keeps the last).
  const context = Object.fromEntries(entries);
  return context;
}

/** The thread a pre-port task modal answered in, as a Place's text; undefined when it is not a channel and a ts. */
function legacyThread(workspace: string, channel: string, threadTs: string): string | undefined {
  if (!/^[CDG][A-Z0-9]{2,}$/.test(channel) || !/^\d{1,12}\.\d{1,9}$/.test(threadTs)) return undefined;
  try {
    return encodePlace({ platform: "slack", workspace, conversation: channel, thread: threadTs });
  } catch {
    return undefined;
  }
}
