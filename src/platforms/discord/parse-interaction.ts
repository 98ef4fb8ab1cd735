/**
 * A verified interaction's body, read into the port's Intents (chat/intent.ts). The names Discord is
 * configured with (the `task` command, the message commands "Remind of process" and "Create task")
 * map here onto the routing table's names, so no feature ever sees them. Never throws.
 */
import type { FormValues } from "../../chat/form.js";
import type { ChatMessage, Intent } from "../../chat/intent.js";
import type { Person, Place } from "../../chat/model.js";
import { NOT_JSON, parseJsonText } from "../../json-text.js";
import { describeIssue } from "../../schema.js";
import { unpackButtonId, unpackFormId } from "./custom-id.js";
import {
  applicationCommandSchema,
  CommandType,
  ComponentType,
  InteractionType,
  messageComponentSchema,
  modalSubmitSchema,
  OPTION_STRING,
  pingSchema,
  type ApplicationCommand,
  type DiscordMessage,
  type DiscordUser,
  type ModalSubmit,
  type SubmittedInput,
} from "./interaction-payloads.js";

/** The CHAT_INPUT command, and its one optional STRING option (what Slack's `/task` text means). */
export const TASK_COMMAND_NAME = "task";
export const TASK_TEXT_OPTION = "text";

/** MESSAGE commands (their names are what people see in the Apps menu) and the shortcut each is. */
export const MESSAGE_COMMANDS = /* @__PURE__ */ Object.freeze({
  "Remind of process": "remind_process",
  "Create task": "create_task",
} as const);

/** The form context's key for the id of the interaction that opened the modal (Intent submit_form's `instance`). */
export const OPENED_BY = "o";

/** What the answer to the interaction needs besides the intent: its id (to claim it once) and its token (15 minutes). */
export interface InteractionHandle {
  id: string;
  applicationId: string;
  token: string;
}

export type ParsedInteraction =
  | { kind: "ping" }
  | { kind: "intent"; intent: Intent; interaction: InteractionHandle }
  /** A button's value or a form's context that is parked in the store: the adapter reads it, then routes. */
  | { kind: "parked"; key: string; intent: Intent; interaction: InteractionHandle }
  /** Well formed, but nothing the bot offers (an autocomplete, an unknown command): answered with a short notice. */
  | { kind: "other"; what: string; interaction: InteractionHandle | undefined }
  | { kind: "invalid"; problem: string };

/** Parses the body (its text) of a verified request; `subcommands` are the routing table's `/task` words. */
export function parseDiscordInteraction(body: string, subcommands: ReadonlySet<string>): ParsedInteraction {
  const json = parseJsonText(body);
  if (json === NOT_JSON) return { kind: "invalid", problem: "body is not JSON" };
  const type = typeof json === "object" && json !== null && "type" in json ? json.type : undefined;
  switch (type) {
    case InteractionType.Ping: {
      const parsed = pingSchema().safeParse(json);
      return parsed.success ? { kind: "ping" } : { kind: "invalid", problem: describeIssue(parsed.error.issues[0]) };
    }
    case InteractionType.ApplicationCommand: {
      const parsed = applicationCommandSchema().safeParse(json);
      if (!parsed.success) return { kind: "invalid", problem: describeIssue(parsed.error.issues[0]) };
      return actorOf(parsed.data) ? readCommand(parsed.data, subcommands) : NO_ACTOR;
    }
    case InteractionType.MessageComponent: {
      const parsed = messageComponentSchema().safeParse(json);
      if (!parsed.success) return { kind: "invalid", problem: describeIssue(parsed.error.issues[0]) };
      const payload = parsed.data;
      if (!actorOf(payload)) return NO_ACTOR;
      const handle = handleOf(payload);
      const button = payload.data.component_type === ComponentType.Button ? unpackButtonId(payload.data.custom_id) : undefined;
      if (button === undefined) return { kind: "other", what: "component", interaction: handle };
      const intent: Intent = {
        kind: "button",
        person: personOf(payload),
        place: placeOf(payload),
        action: button.action,
        value: button.value,
        rowId: button.rowId,
        message: { platform: "discord", workspace: workspaceOf(payload), conversation: payload.message.channel_id, message: payload.message.id },
      };
      return button.parkedKey ? { kind: "parked", key: button.parkedKey, intent, interaction: handle } : { kind: "intent", intent, interaction: handle };
    }
    case InteractionType.ModalSubmit: {
      const parsed = modalSubmitSchema().safeParse(json);
      if (!parsed.success) return { kind: "invalid", problem: describeIssue(parsed.error.issues[0]) };
      const payload = parsed.data;
      if (!actorOf(payload)) return NO_ACTOR;
      const form = unpackFormId(payload.data.custom_id);
      if (form === undefined) return { kind: "other", what: "modal", interaction: handleOf(payload) };
      const intent: Intent = { kind: "submit_form", person: personOf(payload), place: placeOf(payload), form: form.formId, instance: form.context[OPENED_BY] ?? payload.id, values: readModalValues(payload), context: form.context };
      return form.parkedKey ? { kind: "parked", key: form.parkedKey, intent, interaction: handleOf(payload) } : { kind: "intent", intent, interaction: handleOf(payload) };
    }
    case InteractionType.Autocomplete:
      return { kind: "other", what: "autocomplete", interaction: undefined };
    default:
      return { kind: "invalid", problem: "type is not an interaction type" };
  }
}

function readCommand(payload: ApplicationCommand, subcommands: ReadonlySet<string>): ParsedInteraction {
  const handle = handleOf(payload);
  const person = personOf(payload);
  const place = placeOf(payload);
  const { data } = payload;
  if (data.type === CommandType.ChatInput && data.name === TASK_COMMAND_NAME) {
    const option = data.options?.find((candidate) => candidate.name === TASK_TEXT_OPTION && candidate.type === OPTION_STRING);
    const text = typeof option?.value === "string" ? option.value.trim() : "";
    // As on Slack: a first word that is a subcommand is one (`list`, `review`, `help`); any other text is a title.
    const [word = "", ...rest] = text.split(/\s+/);
    if (subcommands.has(word.toLowerCase())) return { kind: "intent", intent: { kind: "subcommand", person, place, name: word.toLowerCase(), rest: rest.join(" ") }, interaction: handle };
    return { kind: "intent", intent: { kind: "ask_for_task", person, place, text }, interaction: handle };
  }
  if (data.type === CommandType.Message && Object.hasOwn(MESSAGE_COMMANDS, data.name)) {
    const target = data.target_id === undefined ? undefined : data.resolved?.messages?.[data.target_id];
    if (target === undefined) return { kind: "invalid", problem: "data.resolved.messages: no target message" };
    const shortcut = MESSAGE_COMMANDS[data.name as keyof typeof MESSAGE_COMMANDS];
    return { kind: "intent", intent: { kind: "message_shortcut", person, place, shortcut, message: chatMessageOf(target, workspaceOf(payload)) }, interaction: handle };
  }
  return { kind: "other", what: "command", interaction: handle };
}

type Common = { id: string; application_id: string; token: string; guild_id?: string | undefined; channel_id?: string | undefined; member?: { user: DiscordUser; nick?: string | null | undefined } | undefined; user?: DiscordUser | undefined };

function handleOf(payload: Common): InteractionHandle {
  return { id: payload.id, applicationId: payload.application_id, token: payload.token };
}

/** A DM has no guild: Discord's own links and vercel/chat's ids say "@me" there. */
function workspaceOf(payload: Pick<Common, "guild_id">): string {
  return payload.guild_id ?? "@me";
}

/** Who acted: the member's user in a guild, `user` in a DM. Discord sends one of them on every interaction but PING. */
function actorOf(payload: Common): DiscordUser | undefined {
  return payload.member?.user ?? payload.user;
}

const NO_ACTOR: ParsedInteraction = { kind: "invalid", problem: "member.user: no user" };

/** Who acted (checked present by the caller), with their name as that guild shows it. */
function personOf(payload: Common): Person {
  const user = actorOf(payload);
  return { platform: "discord", workspace: workspaceOf(payload), userId: user?.id ?? "", displayName: payload.member?.nick || user?.global_name || user?.username || undefined };
}

function placeOf(payload: Common): Place | undefined {
  return payload.channel_id === undefined ? undefined : { platform: "discord", workspace: workspaceOf(payload), conversation: payload.channel_id };
}

/** Message types a person writes: DEFAULT and REPLY (every other type is a system message). */
const PERSON_MESSAGE_TYPES: ReadonlySet<number> = new Set([0, 19]);

/** A message as the port sees it; no author for a bot's, a webhook's or a system message. */
export function chatMessageOf(message: DiscordMessage, workspace: string): ChatMessage {
  const byPerson = message.author.bot !== true && message.webhook_id === undefined && PERSON_MESSAGE_TYPES.has(message.type);
  return {
    place: { platform: "discord", workspace, conversation: message.channel_id, message: message.id },
    author: byPerson ? { platform: "discord", workspace, userId: message.author.id, displayName: message.author.global_name || message.author.username } : undefined,
    text: plainTextFromDiscord(message.content, message.mentions ?? []),
    link: `https://discord.com/channels/${workspace}/${message.channel_id}/${message.id}`,
  };
}

/**
 * Discord content as a person reads it: `<@id>` -> `@name` (from the message's mentions, else the
 * id), `<#id>` -> `#id`, `<@&id>` -> `@role`, `<t:…>` and custom emoji `<:name:id>` -> their name.
 * Markdown is left as typed: this text goes to a plain-text input and the Notion page.
 */
export function plainTextFromDiscord(content: string, mentions: readonly DiscordUser[]): string {
  const names = new Map(mentions.map((user) => [user.id, user.global_name || user.username]));
  return content.replace(/<(@!?|@&|#|a?:\w+:|t:)(\d+)(?::[tTdDfFR])?>/g, (_all, kind: string, id: string) => {
    if (kind === "@" || kind === "@!") return `@${names.get(id) ?? id}`;
    if (kind === "@&") return "@role";
    if (kind === "#") return `#${id}`;
    if (kind === "t:") return new Date(Number(id) * 1000).toISOString().slice(0, 10);
    return `:${kind.split(":")[1] ?? ""}:`;
  });
}

/** A submitted modal's values by input id: a text input's value, a select's first value; empty reads as undefined. */
export function readModalValues(payload: ModalSubmit): FormValues {
  const inputs: SubmittedInput[] = payload.data.components.flatMap((component) => (component.component ? [component.component] : component.components ?? []));
  // A Map, then own properties: a custom_id of "__proto__" must be a key, not the object's prototype.
  const values = new Map<string, string | undefined>();
  for (const input of inputs) {
    const value = typeof input.value === "string" ? input.value : input.values?.[0];
    if (!values.has(input.custom_id)) values.set(input.custom_id, value === undefined || value.trim() === "" ? undefined : value);
  }
  return Object.fromEntries(values);
}
