/**
 * How `npm run discord` shows what happened, as Discord's client would show it: a message's content
 * with its buttons (who sees an ephemeral one, what it replies to), a modal with its inputs, and the
 * bot's answer to an interaction. Also what a modal holds and what its submission sends. Pure.
 */
import { isRecord } from "../../dev/is-record.js";
import { boxed } from "./block-kit-text.js";
import { discordLength } from "../platforms/discord/limits.js";

/** A person or a channel, by id and name. */
export interface Named {
  id: string;
  name: string;
}

/** A message in the sandbox's guild, as the sandbox's control server lists it. */
export interface GuildMessage {
  id: string;
  channel: string;
  author: string;
  content: string;
  components: unknown[];
  flags: number;
  replyTo?: string | undefined;
  edited: boolean;
  /** The interaction whose response or follow-up it is (its person alone sees an ephemeral one). */
  interaction?: string | undefined;
}

/** An interaction the sandbox minted, with the bot's first response once there is one. */
export interface GuildInteraction {
  id: string;
  token: string;
  type: number;
  channel: string;
  user: string;
  message?: string | undefined;
  name?: string | undefined;
  response?: Record<string, unknown> | undefined;
  at: number;
}

/** The guild as the CLI reads it. */
export interface GuildState {
  botId: string;
  channels: Named[];
  people: Named[];
  dms: { user: string; channel: string }[];
  messages: GuildMessage[];
  interactions: GuildInteraction[];
}

/** A button on a message: an action (custom_id) or a link (url). */
export interface MessageButton {
  label: string;
  customId: string | undefined;
  url: string | undefined;
}

/** The buttons of a message's action rows, in order. */
export function buttonsOf(components: readonly unknown[]): MessageButton[] {
  return components.flatMap((row) =>
    isRecord(row) && Array.isArray(row["components"])
      ? row["components"].flatMap((item): MessageButton[] =>
          isRecord(item) && item["type"] === 2
            ? [{ label: typeof item["label"] === "string" ? item["label"] : "", customId: typeof item["custom_id"] === "string" ? item["custom_id"] : undefined, url: typeof item["url"] === "string" ? item["url"] : undefined }]
            : [],
        )
      : [],
  );
}

/** The interaction's person, when the message is ephemeral (flags 64): the only one who sees it. */
export function ephemeralFor(message: GuildMessage, state: Pick<GuildState, "interactions">): string | undefined {
  if ((message.flags & 64) === 0) return undefined;
  return state.interactions.find((interaction) => interaction.id === message.interaction)?.user;
}

/** Whether `userId` sees the message: not someone else's ephemeral one, nor the bot's DM with someone else. */
export function seenBy(message: GuildMessage, userId: string, state: Pick<GuildState, "interactions" | "dms">): boolean {
  const only = ephemeralFor(message, state);
  if (only !== undefined) return only === userId;
  const dm = state.dms.find((entry) => entry.channel === message.channel);
  return dm === undefined || dm.user === userId;
}

/** Where a message is: #channel, or a DM with @someone. */
export function whereOf(channelId: string, state: Pick<GuildState, "channels" | "dms" | "people">): string {
  const channel = state.channels.find((candidate) => candidate.id === channelId);
  if (channel) return `#${channel.name}`;
  const dm = state.dms.find((entry) => entry.channel === channelId);
  return dm ? `a DM with @${nameOf(dm.user, state)}` : `channel ${channelId}`;
}

/** A person's name, or "the bot", or the id. */
export function nameOf(userId: string, state: Pick<GuildState, "people"> & { botId?: string }): string {
  if (userId === state.botId) return "chatops";
  return state.people.find((person) => person.id === userId)?.name ?? userId;
}

/** A message's content and buttons, as lines: `[Start] [Done] [Open in Notion ↗ https://…]`. */
export function messageLines(body: { content?: unknown; components?: unknown }): string[] {
  const content = typeof body.content === "string" ? body.content : "";
  const buttons = buttonsOf(Array.isArray(body.components) ? body.components : []);
  const lines = content === "" ? [] : content.split("\n");
  if (buttons.length > 0) lines.push(buttons.map((button) => (button.url ? `[${button.label} ↗ ${button.url}]` : `[${button.label}]`)).join(" "));
  return lines.length > 0 ? lines : ["(empty)"];
}

/** A message with who wrote it, where, who sees it and what it replies to; its lines indented. */
export function describeMessage(message: GuildMessage, state: GuildState, edited = false): string[] {
  const only = ephemeralFor(message, state);
  const reply = message.replyTo ? state.messages.find((candidate) => candidate.id === message.replyTo) : undefined;
  const replying = message.replyTo ? `, replying to ${reply ? `@${nameOf(reply.author, state)}'s ${quote(reply.content)}` : `message ${message.replyTo}`}` : "";
  const who = message.author === state.botId ? "the bot" : `@${nameOf(message.author, state)}`;
  const seen = only === undefined ? "" : `, only @${nameOf(only, state)} sees this`;
  // A mention shows as the name Discord's client shows for it.
  const lines = messageLines(message).map((line) => line.replace(/<@!?(\d+)>/g, (_, id: string) => `@${nameOf(id, state)}`));
  return [`  ${edited ? "edited: " : ""}${who} in ${whereOf(message.channel, state)}${seen}${replying} (id ${message.id}):`, ...lines.map((line) => `    ${line}`)];
}

function quote(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return `"${discordLength(line) > 40 ? `${[...line].slice(0, 39).join("")}…` : line}"`;
}

// ---------------------------------------------------------------------------------------------
// Modals
// ---------------------------------------------------------------------------------------------

/** One input of a modal (a Label's text input or string select) and what it holds now. */
export type ModalField =
  | { kind: "text"; id: string; label: string; description: string | undefined; required: boolean; maxLength: number | undefined; minLength: number | undefined; placeholder: string | undefined; multiline: boolean; value: string }
  | { kind: "select"; id: string; label: string; description: string | undefined; required: boolean; options: { label: string; value: string }[]; value: string | undefined };

/** A modal response's data, read: its title, custom_id, inputs and the Text Displays' content. */
export interface ReadModal {
  title: string;
  customId: string;
  fields: ModalField[];
  notes: string[];
}

/** The modal in a type 9 response's `data`; undefined when it is none. */
export function readModal(data: unknown): ReadModal | undefined {
  if (!isRecord(data) || typeof data["custom_id"] !== "string" || !Array.isArray(data["components"])) return undefined;
  const fields: ModalField[] = [];
  const notes: string[] = [];
  for (const component of data["components"]) {
    if (!isRecord(component)) continue;
    if (component["type"] === 10 && typeof component["content"] === "string") notes.push(component["content"]);
    const input = component["type"] === 18 && isRecord(component["component"]) ? component["component"] : undefined;
    if (input === undefined || typeof input["custom_id"] !== "string") continue;
    const common = {
      id: input["custom_id"],
      label: typeof component["label"] === "string" ? component["label"] : input["custom_id"],
      description: typeof component["description"] === "string" ? component["description"] : undefined,
      required: input["required"] !== false,
    };
    if (input["type"] === 4) {
      fields.push({
        kind: "text",
        ...common,
        maxLength: typeof input["max_length"] === "number" ? input["max_length"] : undefined,
        minLength: typeof input["min_length"] === "number" ? input["min_length"] : undefined,
        placeholder: typeof input["placeholder"] === "string" ? input["placeholder"] : undefined,
        multiline: input["style"] === 2,
        value: typeof input["value"] === "string" ? input["value"] : "",
      });
    } else if (input["type"] === 3 && Array.isArray(input["options"])) {
      const options = input["options"].filter(isRecord).map((option) => ({ label: String(option["label"] ?? ""), value: String(option["value"] ?? ""), chosen: option["default"] === true }));
      fields.push({ kind: "select", ...common, options: options.map(({ label, value }) => ({ label, value })), value: options.find((option) => option.chosen)?.value });
    }
  }
  return { title: typeof data["title"] === "string" ? data["title"] : "Modal", customId: data["custom_id"], fields, notes };
}

/** The modal as lines, boxed: each input with what it holds, a select's choices, the notes. */
export function modalLines(modal: ReadModal): string[] {
  const lines = modal.fields.flatMap((field) => {
    const optional = field.required ? "" : " (optional)";
    const shown =
      field.kind === "text"
        ? `${field.label}${optional}: ${field.value === "" ? (field.placeholder ? `[${field.placeholder}]` : "[ ]") : JSON.stringify(field.value)}`
        : `${field.label}${optional}: ${field.options.map((option) => (option.value === field.value ? `(•) ${option.label}` : `( ) ${option.label}`)).join("  ")}`;
    return [shown, ...(field.description ? [`  ${field.description}`] : [])];
  });
  return boxed(modal.title, [...lines, ...modal.notes, "[Submit]"]);
}

/** Puts `text` in the field: a select takes an option's label or value (case aside). Returns the problem when it cannot. */
export function fillField(field: ModalField, text: string): { ok: true; field: ModalField } | { ok: false; problem: string } {
  if (field.kind === "text") return { ok: true, field: { ...field, value: text } };
  if (text === "") return { ok: true, field: { ...field, value: undefined } };
  const option = field.options.find((candidate) => candidate.value.toLowerCase() === text.toLowerCase() || candidate.label.toLowerCase() === text.toLowerCase());
  if (!option) return { ok: false, problem: `${field.label}: "${text}" is not one of ${field.options.map((candidate) => candidate.label).join(", ")}` };
  return { ok: true, field: { ...field, value: option.value } };
}

/** What Discord's client refuses to submit: a required input left empty, a text shorter or longer than its limits (in code points, as Discord counts). */
export function checkFields(fields: readonly ModalField[]): string[] {
  return fields.flatMap((field) => {
    const empty = field.kind === "text" ? field.value === "" : field.value === undefined;
    if (empty) return field.required ? [`${field.label} is required`] : [];
    if (field.kind !== "text") return [];
    const length = discordLength(field.value);
    if (field.maxLength !== undefined && length > field.maxLength) return [`${field.label} is ${length} characters, over its ${field.maxLength}`];
    if (field.minLength !== undefined && length < field.minLength) return [`${field.label} must be at least ${field.minLength} characters`];
    return [];
  });
}

/** What the submission carries for each input, by custom_id: a text input's value, a select's values. */
export function submittedValues(fields: readonly ModalField[]): Record<string, string | string[]> {
  return Object.fromEntries(fields.map((field) => [field.id, field.kind === "text" ? field.value : field.value === undefined ? [] : [field.value]]));
}

/** The bot's answer to an interaction as Discord's client shows it; `ephemeral` says who alone sees a message. */
export function answerLines(answer: Record<string, unknown>, who: string): string[] {
  const type = answer["type"];
  const data = isRecord(answer["data"]) ? answer["data"] : {};
  const flags = typeof data["flags"] === "number" ? data["flags"] : 0;
  const seen = (flags & 64) !== 0 ? `only @${who} sees` : "everyone in the channel sees";
  switch (type) {
    case 4:
      return [`← 200, a message ${seen}:`, ...messageLines(data).map((line) => `    ${line}`)];
    case 5:
      return [`← 200, deferred: "chatops is thinking…" (${seen} it); the bot edits it when done`];
    case 6:
      return ["← 200, deferred: the message stays as it is until the bot edits it"];
    case 7:
      return ["← 200, the message is redrawn:", ...messageLines(data).map((line) => `    ${line}`)];
    case 9: {
      const modal = readModal(data);
      return modal ? ["← 200, a modal opens:", ...modalLines(modal).map((line) => `  ${line}`)] : ["← 200, a modal that is not one"];
    }
    default:
      return [`← 200, a response of type ${String(type)}`];
  }
}
