/**
 * What `npm run teams` shows, as Teams' client would: an Adaptive Card's text, facts and buttons, a
 * dialog's inputs (each with the flag that fills it), an invoke's answer, and a conversation's
 * messages by where they are and who wrote them.
 */
import type { TeamsSandboxMessage, TeamsSandboxState } from "./sandbox-control-teams.js";

export type AdaptiveElement = Record<string, unknown>;

const list = (value: unknown): AdaptiveElement[] => (Array.isArray(value) ? value.filter((item): item is AdaptiveElement => typeof item === "object" && item !== null) : []);

/** TextBlock markdown as the reader sees it: the backslash escapes and the zero-width spaces (render.ts) gone, a mention as `@name`. */
export function shownText(markdown: string): string {
  return markdown
    .replace(/<at>([^<]*)<\/at>/g, "@$1")
    .replace(/\\(.)/g, "$1")
    .replaceAll("\u200b", "");
}

/** The Adaptive Card of a message activity (its first card attachment), if it has one. */
export function cardOf(activity: Record<string, unknown> | undefined): AdaptiveElement | undefined {
  const attachment = list(activity?.["attachments"]).find((item) => item["contentType"] === "application/vnd.microsoft.card.adaptive");
  const content = attachment?.["content"];
  return typeof content === "object" && content !== null ? (content as AdaptiveElement) : undefined;
}

/** Every action of a card, those in its ActionSets and its own, in the order Teams draws them. */
export function actionsOf(card: AdaptiveElement | undefined): AdaptiveElement[] {
  if (card === undefined) return [];
  return [...list(card["body"]).flatMap((element) => (element["type"] === "ActionSet" ? list(element["actions"]) : [])), ...list(card["actions"])];
}

/** A card's text, facts and buttons, one line each; a dialog's inputs as `--<id>  Label (required): value`. */
export function cardLines(card: AdaptiveElement): string[] {
  const lines: string[] = [];
  for (const element of list(card["body"])) {
    const type = element["type"];
    if (type === "TextBlock" && typeof element["text"] === "string") lines.push(`${element["color"] === "Attention" ? "! " : ""}${shownText(element["text"])}`);
    else if (type === "FactSet") for (const fact of list(element["facts"])) lines.push(`${String(fact["title"])}: ${shownText(String(fact["value"]))}`);
    else if (type === "ActionSet") lines.push(buttonsLine(list(element["actions"])));
    else if (typeof type === "string" && type.startsWith("Input.")) lines.push(inputLine(element));
  }
  const own = list(card["actions"]);
  if (own.length > 0) lines.push(buttonsLine(own));
  return lines;
}

function buttonsLine(actions: AdaptiveElement[]): string {
  return actions.map((action) => (action["type"] === "Action.OpenUrl" ? `[${String(action["title"])} ↗ ${String(action["url"])}]` : `[${String(action["title"])}]`)).join(" ");
}

function inputLine(input: AdaptiveElement): string {
  const choices = list(input["choices"]);
  const options = choices.length > 0 ? ` (${choices.map((choice) => String(choice["title"])).join(", ")})` : "";
  const value = typeof input["value"] === "string" && input["value"] !== "" ? `: ${choices.find((choice) => choice["value"] === input["value"])?.["title"] ?? input["value"]}` : "";
  return `--${String(input["id"])}  ${String(input["label"])}${input["isRequired"] === true ? " (required)" : ""}${options}${value}`;
}

/** The inputs of a dialog's card. */
export function inputsOf(card: AdaptiveElement | undefined): AdaptiveElement[] {
  return list(card?.["body"]).filter((element) => typeof element["type"] === "string" && element["type"].startsWith("Input."));
}

/** A dialog's card, from an invoke answer's `task.value`. */
export function dialogCard(value: Record<string, unknown>): AdaptiveElement | undefined {
  const card = value["card"];
  const content = typeof card === "object" && card !== null ? (card as AdaptiveElement)["content"] : undefined;
  return typeof content === "object" && content !== null ? (content as AdaptiveElement) : undefined;
}

/** Where a message is, as Teams names it: the channel, or whose 1:1 chat with the bot. */
export function placeName(state: TeamsSandboxState, conversationId: string): string {
  const conversation = state.conversations.find((candidate) => candidate.id === conversationId.split(";messageid=")[0]);
  if (conversation === undefined) return conversationId;
  return conversation.type === "channel" ? conversation.name : `the 1:1 chat of ${conversation.name} with the bot`;
}

/** Who wrote a message: the bot, or a person's name. */
export function authorName(state: TeamsSandboxState, id: string): string {
  return id === state.botId ? "chatops" : (state.people.find((person) => person.id === id)?.name ?? id);
}

/** A message as Teams shows it, after `heading` ("New message", "Redrawn message", "Message"). */
export function messageLines(state: TeamsSandboxState, message: TeamsSandboxMessage, heading: string): string[] {
  const thread = message.replyTo === undefined ? "" : `, in the thread of ${message.replyTo}`;
  const lines = [`${heading} ${message.id} in ${placeName(state, message.conversationId)}${thread}, by ${authorName(state, message.from)}:`];
  const card = cardOf(message.activity);
  const body = card ? cardLines(card) : message.text.split("\n");
  for (const line of body.flatMap((text) => text.split("\n"))) lines.push(`  │ ${line}`);
  return lines;
}

/** A dialog Teams opens (a form, with the flag that fills each input, or a card shown in a dialog). */
export function dialogLines(value: Record<string, unknown>, person: string): string[] {
  const card = dialogCard(value);
  return [`Teams opens the dialog "${String(value["title"])}" for ${person}:`, ...(card ? cardLines(card) : []).flatMap((line) => line.split("\n")).map((line) => `  ${line}`)];
}
