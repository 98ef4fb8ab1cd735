/** How `npm run slack` shows what happened: the functions' answers and what the bot did, as Slack and Notion would show them. */
import type { SlackAnswer } from "../../dev/signed-request.js";
import { propertyText, type PagePropertyValue } from "../notion/properties.js";
import { boxed, renderMessage, type Directory } from "./block-kit-text.js";
import { renderModal } from "./modal-form.js";
import type { SandboxHome, SandboxMessage, SandboxPage, SandboxResponse, SandboxState } from "./sandbox-control.js";
import { directoryOf, type Session } from "./slack-session.js";

/** A Home tab as the person sees it, boxed. */
export function printHome(session: Session, home: SandboxHome, directory: Directory): void {
  const blocks = Array.isArray(home.view.blocks) ? (home.view.blocks as unknown[]) : [];
  for (const line of boxed("Home", renderMessage({ text: "", blocks }, directory))) session.say(`  ${line}`);
}

/** The functions' answer to an event: Slack shows none, so an empty 200 is the expected one. */
export function printEventAnswer(session: Session, answer: SlackAnswer): void {
  if (answer.status === 200 && answer.text === "") session.say("← 200, empty: the event is acknowledged; the bot does its work after answering");
  else printAnswer(session, answer, { users: new Map(), channels: new Map() });
}

/** Whether Slack would show the answer's body (a text or blocks) to the person. */
export function hasVisibleAnswer(answer: SlackAnswer): boolean {
  return answer.json !== undefined && (typeof answer.json.text === "string" || Array.isArray(answer.json.blocks));
}

/** The functions' answer as Slack would show it, or its status with what a 401, 503 or 500 likely means. */
export function printAnswer(session: Session, answer: SlackAnswer, directory: Directory): void {
  if (answer.status === 200 && answer.text === "") {
    session.say("← 200, empty: Slack shows nothing; the bot carries on after answering");
    return;
  }
  if (answer.status === 200 && answer.json && hasVisibleAnswer(answer)) {
    const visibility = answer.json.response_type === "in_channel" ? "everyone in the channel sees" : "only you see";
    session.say(`← 200, ${visibility}:`);
    for (const line of renderMessage({ text: String(answer.json.text ?? ""), blocks: asBlocks(answer.json.blocks) }, directory)) session.say(`    ${line}`);
    return;
  }
  session.say(`← ${answer.status} ${answer.text.slice(0, 500)}`);
  if (answer.status === 401) session.say("  The functions refused the signature: is the sandbox you started the one in this directory?");
  if (answer.status === 503) session.say("  The functions are not configured: see the sandbox's output.");
  if (answer.status === 500 && answer.text.includes("functions-serve")) {
    // Each netlify dev start in a project deletes and rebuilds .netlify/functions-serve, which every
    // netlify dev running there serves from.
    session.say("  Another netlify dev started in this project (npm test, npm run dev?) is rebuilding the functions: try again in a moment.");
  }
}

/** What the bot did between two states: messages posted or edited, answers through a response_url, Home tabs, modals, Notion pages. */
export function printChanges(session: Session, before: SandboxState, after: SandboxState, options: { skipView?: string | undefined }): void {
  const directory = directoryOf(after);
  const known = new Map(before.messages.map((message) => [`${message.channel}/${message.ts}`, JSON.stringify(message)]));
  const messages = after.messages.filter((message) => known.get(`${message.channel}/${message.ts}`) !== JSON.stringify(message));
  const responses = after.responses.slice(before.responses.length);
  if (messages.length + responses.length > 0) {
    session.say();
    session.say("The bot posted:");
    // An answer through a response_url usually comes first (the confirmation, then the announcement).
    for (const response of responses) printResponse(session, response, directory);
    for (const message of messages) printMessage(session, message, directory, known.has(`${message.channel}/${message.ts}`));
  }
  const homes = new Map(before.homes.map((home) => [home.user, home.hash]));
  for (const home of after.homes) {
    if (homes.get(home.user) === home.hash) continue;
    session.say();
    session.say(`The bot published @${directory.users.get(home.user) ?? home.user}'s Home tab:`);
    printHome(session, home, directory);
  }
  const views = new Map(before.views.map((view) => [view.id, view.hash]));
  for (const view of after.views) {
    if (view.id === options.skipView || views.get(view.id) === view.hash) continue;
    session.say();
    session.say(`The bot ${views.has(view.id) ? "updated" : "opened"} a modal (${view.id}):`);
    for (const line of renderModal(view.view, { directory })) session.say(`  ${line}`);
  }
  const pages = new Map(before.pages.map((page) => [page.id, page.last_edited_time]));
  const changed = after.pages.filter((page) => pages.get(page.id) !== page.last_edited_time);
  if (changed.length > 0) {
    session.say();
    session.say("In Notion:");
    for (const page of changed) session.say(`  ${pages.has(page.id) ? "~ updated" : "+ created"} ${describePage(page)}`);
  }
}

/** A message with who wrote it and where (an ephemeral one says who sees it). */
export function printMessage(session: Session, message: SandboxMessage, directory: Directory, edited = false): void {
  const who = message.author ? `@${directory.users.get(message.author) ?? message.author}` : "the bot";
  const where = message.kind === "ephemeral" ? `only @${directory.users.get(message.user ?? "") ?? message.user} sees this in ${placeOf(message, directory)}` : placeOf(message, directory);
  session.say(`  ${edited ? "edited: " : ""}${who} in ${where} (ts ${message.ts}):`);
  for (const line of renderMessage(message, directory)) session.say(`    ${line}`);
}

/** An answer through a response_url, saying who sees it and what it replaces. */
export function printResponse(session: Session, response: SandboxResponse, directory: Directory): void {
  const body = response.body;
  const channel = response.channel ? `#${directory.channels.get(response.channel) ?? response.channel}` : "the conversation";
  const who = response.user ? `@${directory.users.get(response.user) ?? response.user}` : "the person";
  // A replacement without a response_type keeps the original's visibility: the clicked message's own.
  const keeps = body.replace_original === true && body.response_type === undefined;
  const where = body.response_type === "in_channel" ? `in ${channel}, for everyone` : keeps ? `in ${channel}, seen as the message was` : `only ${who} sees this in ${channel}`;
  const how = body.replace_original === true ? ", replacing the message it answers" : body.delete_original === true ? ", deleting the message it answers" : "";
  session.say(`  through the response_url: ${where}${how}:`);
  for (const line of renderMessage({ text: typeof body.text === "string" ? body.text : "", blocks: asBlocks(body.blocks) }, directory)) session.say(`    ${line}`);
}

/** Where a message is: #channel, a DM with @someone, or a thread in either. */
export function placeOf(message: { channel: string; thread_ts?: string | undefined; ts: string }, directory: Directory): string {
  const channel = message.channel.startsWith("D")
    ? `a DM with @${directory.users.get(`U${message.channel.slice(1)}`) ?? message.channel}`
    : `#${directory.channels.get(message.channel) ?? message.channel}`;
  return message.thread_ts && message.thread_ts !== message.ts ? `${channel}, in the thread of ${message.thread_ts}` : channel;
}

/** A page on one line: title, then each property that has a value, then its URL. */
export function describePage(page: SandboxPage): string {
  let title = "Untitled";
  const details: string[] = [];
  for (const [name, property] of Object.entries(page.properties)) {
    // The page comes from the Notion emulator, in Notion's own shapes.
    const value = propertyText(property as PagePropertyValue);
    if (property.type === "title") title = value || title;
    else if (value) details.push(name === "Status" || name === "Priority" ? value : `${name}: ${value}`);
  }
  return [`"${title}"`, ...details, page.url].join(" · ");
}

function asBlocks(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}
