/**
 * `npm run teams`'s acts: each one an activity as Teams sends it (a message to the bot, a card's
 * button, a dialog submitted, a message extension's command), built from what the bot sent (the
 * card's data, the dialog's hidden data) and sent signed (sandbox-teams.ts); then what Teams would
 * show: the invoke's answer, and what the bot posted or redrew once its work is done.
 */
import { didYouMean } from "./closest.js";
import type { SandboxPage } from "./sandbox-control-shapes.js";
import type { TeamsSandboxDialog, TeamsSandboxMessage, TeamsSandboxState } from "./sandbox-control-teams.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";
import { sendTeamsActivity, teamsActivity, type TeamsOutcome, type TeamsPerson } from "./sandbox-teams.js";
import { UsageError } from "./slack-arguments.js";
import { checkTaskFlags, submitOpened } from "./task-flags.js";
import { describePage } from "./slack-print.js";
import { SETTLE_MAX_MS, settle } from "./slack-settle.js";
import { actionsOf, authorName, cardLines, cardOf, dialogCard, dialogLines, inputsOf, messageLines, placeName, shownText } from "./teams-print.js";

export const TEAMS_FIELD_FLAGS = ["title", "description", "priority", "due"] as const;

/** One run of the CLI: the sandbox, who acts, and the flags read. */
export interface TeamsRun {
  file: SandboxFile;
  control: SandboxControlClient;
  user: TeamsPerson;
  /** `task` in General as a mention, not in the 1:1 chat. */
  inChannel: boolean;
  fields: Partial<Record<(typeof TEAMS_FIELD_FLAGS)[number], string>>;
  /** The message whose button `click` presses. */
  message: string | undefined;
  quietMs: number;
  say: (text?: string) => void;
}

/** The message extension's commands, by the CLI's words (the app manifest's command ids). */
export const EXTENSION_COMMANDS = { remind: "remindProcess", "create-task": "createTask" } as const;

const general = (run: TeamsRun) => run.file.teams.conversations.find((conversation) => conversation.type === "channel")!;
const personal = (run: TeamsRun) => run.file.teams.conversations.find((conversation) => conversation.type === "personal" && conversation.name === run.user.name)!;
/** Where a bot's message can be acted on from: a channel message's thread is its own id (or its root's). */
const threadOf = (conversation: { id: string; type: string }, message: Pick<TeamsSandboxMessage, "id" | "replyTo">) => (conversation.type === "channel" ? `${conversation.id};messageid=${message.replyTo ?? message.id}` : conversation.id);

/** `task <text>` to the bot: in --as's 1:1 chat, or with --channel as `@chatops task …` in General. With field flags, the form it offers is opened and submitted. */
export async function sendTask(run: TeamsRun, text: string): Promise<number> {
  // What the dialog's choice set and date input would not take is refused before the message goes.
  if (Object.keys(run.fields).length > 0) await checkTaskFlags(run.control, run.file.env, run.fields, { dueIsDate: true });
  const conversation = run.inChannel ? general(run) : personal(run);
  const typed = `task ${text}`.trim();
  const before = await snapshot(run);
  const written = await run.control.teams.postMessage({ conversation: conversation.id, author: run.user.id, text: run.inChannel ? `@chatops ${typed}` : typed });
  const mention = "<at>chatops</at>";
  const activity = teamsActivity(run.file.teams, run.user, run.inChannel ? { id: `${conversation.id};messageid=${written.id}`, type: "channel" } : conversation, {
    type: "message",
    id: written.id,
    text: run.inChannel ? `${mention} ${typed}` : typed,
    textFormat: "plain",
    ...(run.inChannel ? { entities: [{ type: "mention", text: mention, mentioned: { id: `28:${run.file.teams.appId}`, name: "chatops" } }] } : {}),
  });
  run.say(`→ ${run.user.name} in ${placeName(before.state, conversation.id)}: ${run.inChannel ? "@chatops " : ""}${typed}`);
  const outcome = await sendTeamsActivity(run.file.teams, activity);
  if (outcome.status !== 200) run.say(`Teams shows nothing: the functions answered ${outcome.status} (${outcome.text.slice(0, 200)}). The function log says why.`);
  const after = await printChanges(run, before);
  if (outcome.status !== 200) return 1;
  if (Object.keys(run.fields).length > 0 && findOpener(run, after.state) !== undefined) {
    const opened = await openForm(run);
    return opened === 0 ? submitOpened(run, () => submitDialog(run), "npm run teams -- submit") : opened;
  }
  return 0;
}

/** The newest card --as sees with a button that opens a form (task/fetch), and that button. */
function findOpener(run: TeamsRun, state: TeamsSandboxState): { message: TeamsSandboxMessage; action: Record<string, unknown> } | undefined {
  for (const message of visible(run, state).reverse()) {
    const action = actionsOf(cardOf(message.activity)).find((candidate) => candidate["type"] === "Action.Submit" && JSON.stringify(candidate["data"]).includes('"type":"task/fetch"'));
    if (action) return { message, action };
  }
  return undefined;
}

/** `open`: the newest card's form button (task/fetch); the dialog it answers with is kept for `submit`. */
export async function openForm(run: TeamsRun): Promise<number> {
  const before = await snapshot(run);
  const found = findOpener(run, before.state);
  if (!found) throw new UsageError(`No card shows ${run.user.name} a button that opens a form: task "<title>" asks for one.`);
  const conversation = conversationOf(run, found.message.conversationId);
  const title = String(found.action["title"]);
  run.say(`→ ${run.user.name} presses [${title}] on message ${found.message.id}`);
  const value = { data: found.action["data"], context: { theme: "default" } };
  const outcome = await sendTeamsActivity(run.file.teams, teamsActivity(run.file.teams, run.user, { id: threadOf(conversation, found.message), type: conversation.type }, { type: "invoke", name: "task/fetch", value, replyToId: found.message.id }));
  await answered(run, outcome, { user: run.user.id, conversation: threadOf(conversation, found.message), invoke: "task/fetch", replyToId: found.message.id });
  await printChanges(run, before);
  return outcome.status === 200 ? 0 : 1;
}

/** `submit`: the dialog last opened for --as, its inputs as the bot filled them, changed by the field flags. */
export async function submitDialog(run: TeamsRun): Promise<number> {
  const before = await snapshot(run);
  const index = before.state.dialogs.findLastIndex((candidate) => candidate.user === run.user.id && !candidate.closed);
  const dialog = before.state.dialogs[index];
  if (!dialog) throw new UsageError(`No dialog is open for ${run.user.name}: open (a card's button) or create-task <message> opens one.`);
  const card = dialogCard(dialog.dialog);
  const inputs = inputsOf(card);
  const unknown = Object.keys(run.fields).filter((name) => !inputs.some((input) => input["id"] === name));
  if (unknown.length > 0) throw new UsageError(`The dialog has no input ${unknown.join(", ")}.`);
  const values: Record<string, string> = {};
  for (const input of inputs) {
    const id = String(input["id"]);
    const typed = run.fields[id as keyof TeamsRun["fields"]];
    const choices = Array.isArray(input["choices"]) ? (input["choices"] as { title: string; value: string }[]) : undefined;
    if (typed !== undefined && choices) {
      const choice = choices.find((candidate) => candidate.title.toLowerCase() === typed.toLowerCase() || candidate.value.toLowerCase() === typed.toLowerCase());
      if (!choice) throw new UsageError(`No ${String(input["label"])} ${typed} in the dialog.${didYouMean(typed, choices.map((candidate) => candidate.title))}`);
      values[id] = choice.value;
    } else values[id] = typed ?? (typeof input["value"] === "string" ? input["value"] : "");
  }
  const submit = (Array.isArray(card?.["actions"]) ? (card["actions"] as Record<string, unknown>[]) : []).find((action) => action["type"] === "Action.Submit");
  // Teams merges the inputs' values into the submit button's data: its hidden fields come back as the bot wrote them.
  const data = { ...(submit?.["data"] as Record<string, unknown> | undefined), ...values };
  const extension = dialog.invoke === "composeExtension/fetchTask";
  const name = extension ? "composeExtension/submitAction" : "task/submit";
  const value = extension ? { commandId: dialog.commandId, commandContext: "message", data, context: { theme: "default" } } : { data, context: { theme: "default" } };
  run.say(`→ ${run.user.name} presses [${String(submit?.["title"] ?? "Submit")}] in the dialog "${String(dialog.dialog["title"])}" with ${Object.entries(values).filter(([, typed]) => typed !== "").map(([id, typed]) => `${id} = "${typed}"`).join(", ") || "nothing filled in"}`);
  const outcome = await sendTeamsActivity(run.file.teams, teamsActivity(run.file.teams, run.user, { id: dialog.conversation, type: conversationOf(run, dialog.conversation).type }, { type: "invoke", name, value, ...(dialog.replyToId ? { replyToId: dialog.replyToId } : {}) }));
  const { dialog: _shown, closed: _closed, ...opening } = dialog;
  // Answered, the dialog closes, or the bot's next card (its errors) takes its place, as on the page: never sent twice.
  if (outcome.status === 200) await run.control.teams.closeDialog(index);
  await answered(run, outcome, opening, true);
  await printChanges(run, before);
  return outcome.status === 200 ? 0 : 1;
}

/** `remind` and `create-task`: the message extension's command on a message in General (by id, or the newest a person wrote). */
export async function extensionCommand(run: TeamsRun, command: keyof typeof EXTENSION_COMMANDS, which: string): Promise<number> {
  const before = await snapshot(run);
  const channel = general(run);
  const inChannel = before.state.messages.filter((message) => message.conversationId === channel.id);
  const message = which === "last" ? inChannel.filter((candidate) => candidate.from !== before.state.botId).at(-1) : inChannel.find((candidate) => candidate.id === which);
  if (!message) throw new UsageError(which === "last" ? `Nobody has written in ${channel.name} yet: say "<text>" writes a message there.` : `No message ${which} in ${channel.name}.${didYouMean(which, inChannel.map((candidate) => candidate.id))}`);
  const commandId = EXTENSION_COMMANDS[command];
  const person = run.file.teams.people.find((candidate) => candidate.id === message.from);
  const teams = run.file.teams;
  // messagePayload as Teams gives it: the author by their Entra object id, the body as HTML, and the message's link.
  const messagePayload = {
    id: message.id,
    ...(message.replyTo ? { replyToId: message.replyTo } : {}),
    messageType: "message",
    createdDateTime: new Date(message.at).toISOString(),
    from: person ? { user: { id: person.aadObjectId, displayName: person.displayName, userIdentityType: "aadUser" } } : { application: { id: teams.appId, displayName: "chatops", applicationIdentityType: "bot" } },
    body: { contentType: "html", content: `<p>${escapeHtml(message.text)}</p>` },
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(channel.id)}/${message.id}?tenantId=${teams.tenantId}&parentMessageId=${message.replyTo ?? message.id}`,
  };
  run.say(`→ ${run.user.name} uses "${command === "remind" ? "Remind of process" : "Create task"}" (${commandId}) on message ${message.id} by ${authorName(before.state, message.from)} in ${channel.name}`);
  const conversation = threadOf(channel, message);
  const outcome = await sendTeamsActivity(teams, teamsActivity(teams, run.user, { id: conversation, type: "channel" }, { type: "invoke", name: "composeExtension/fetchTask", value: { commandId, commandContext: "message", messagePayload, context: { theme: "default" } } }));
  await answered(run, outcome, { user: run.user.id, conversation, invoke: "composeExtension/fetchTask", commandId });
  await printChanges(run, before);
  return outcome.status === 200 ? 0 : 1;
}

/** `click <label>`: an Action.Execute (adaptiveCard/action) on --message, else on the newest card --as sees with that button. */
export async function click(run: TeamsRun, label: string): Promise<number> {
  if (label === "") throw new UsageError("click needs the button's label, e.g. click Start.");
  const before = await snapshot(run);
  const candidates = visible(run, before.state).filter((message) => run.message === undefined || message.id === run.message);
  const executes = (message: TeamsSandboxMessage) => actionsOf(cardOf(message.activity)).filter((action) => action["type"] === "Action.Execute");
  const message = [...candidates].reverse().find((candidate) => executes(candidate).some((action) => String(action["title"]).toLowerCase() === label.toLowerCase()));
  if (!message) throw new UsageError(`No card ${run.message === undefined ? "" : `${run.message} `}shows ${run.user.name} a button "${label}".${didYouMean(label, new Set(candidates.flatMap((candidate) => executes(candidate).map((action) => String(action["title"])))))}`);
  const action = executes(message).find((candidate) => String(candidate["title"]).toLowerCase() === label.toLowerCase())!;
  const conversation = conversationOf(run, message.conversationId);
  run.say(`→ ${run.user.name} presses [${String(action["title"])}] on message ${message.id} in ${placeName(before.state, message.conversationId)}`);
  const value = { action: { type: "Action.Execute", verb: action["verb"], data: action["data"] ?? {} }, trigger: "manual" };
  const outcome = await sendTeamsActivity(run.file.teams, teamsActivity(run.file.teams, run.user, { id: threadOf(conversation, message), type: conversation.type }, { type: "invoke", name: "adaptiveCard/action", value, replyToId: message.id }));
  await answered(run, outcome, undefined);
  await printChanges(run, before);
  return outcome.status === 200 ? 0 : 1;
}

/** `say <text>`: --as writes in General, mentioning nobody: the bot does not hear it, but its message extension can act on it. */
export async function say(run: TeamsRun, text: string): Promise<number> {
  if (text === "") throw new UsageError("say needs the message's text.");
  const channel = general(run);
  const written = await run.control.teams.postMessage({ conversation: channel.id, author: run.user.id, text });
  run.say(`${run.user.name} wrote in ${channel.name}: message ${written.id} (remind ${written.id}, or remind last)`);
  return 0;
}

/** `state`: the latest messages --as sees, and the dialogs open for them (on the page too). */
export async function showState(run: TeamsRun): Promise<number> {
  const state = await run.control.teams.state();
  for (const message of visible(run, state).slice(-10)) for (const line of messageLines(state, message, "Message")) run.say(line);
  for (const [index, dialog] of state.dialogs.entries()) if (dialog.user === run.user.id && !dialog.closed) run.say(`dialog ${index + 1}: "${String(dialog.dialog["title"])}" opened for ${run.user.name} by ${dialog.invoke}${dialog.commandId ? ` (${dialog.commandId})` : ""}`);
  return 0;
}

/** The messages --as can see: General's and their own 1:1 chat's. */
function visible(run: TeamsRun, state: TeamsSandboxState): TeamsSandboxMessage[] {
  const mine = new Set([general(run).id, personal(run).id]);
  return state.messages.filter((message) => mine.has(message.conversationId.split(";messageid=")[0]!));
}

function conversationOf(run: TeamsRun, id: string): { id: string; type: string } {
  return run.file.teams.conversations.find((conversation) => conversation.id === id.split(";messageid=")[0]) ?? { id, type: "personal" };
}

/** An invoke's answer as Teams' client shows it; a dialog it opens is kept (for `submit`) as `opening` says. */
async function answered(run: TeamsRun, outcome: TeamsOutcome, opening: Omit<TeamsSandboxDialog, "dialog"> | undefined, submitting = false): Promise<void> {
  const { say } = run;
  if (outcome.status !== 200) return void say(`Teams shows "Unable to reach app": the functions answered ${outcome.status} (${outcome.text.slice(0, 200)}). The function log says why.`);
  const answer = outcome.answer ?? {};
  const task = typeof answer["task"] === "object" && answer["task"] !== null ? (answer["task"] as Record<string, unknown>) : undefined;
  const shown = task?.["value"];
  if (task?.["type"] === "continue" && typeof shown === "object" && shown !== null) {
    const dialog = shown as Record<string, unknown>;
    const lines = dialogLines(dialog, run.user.name);
    // A form (it has inputs) is kept for `submit`; a card shown in a dialog (a notice) only closes.
    if (inputsOf(dialogCard(dialog)).length === 0) {
      for (const line of lines) say(line);
      return;
    }
    if (opening) await run.control.teams.keepDialog({ ...opening, dialog });
    if (submitting) say("The dialog stays open, what was typed kept:");
    for (const line of submitting ? lines.slice(1) : lines) say(line);
    if (!submitting && Object.keys(run.fields).length === 0) say("Fill it in: npm run teams -- submit --title … --description … --priority … --due YYYY-MM-DD");
    return;
  }
  if (task?.["type"] === "message") return void say(`Teams shows in a small dialog: ${String(shown)}`);
  const value = answer["value"];
  if (answer["type"] === "application/vnd.microsoft.card.adaptive" && typeof value === "object" && value !== null) {
    // Universal Actions: the answer's card replaces the card for the person who pressed; the others' is the bot's to redraw.
    say(`Teams redraws the card for ${run.user.name}:`);
    for (const line of cardLines(value as Record<string, unknown>).flatMap((text) => text.split("\n"))) say(`  │ ${line}`);
    return;
  }
  if (answer["type"] === "application/vnd.microsoft.activity.message") return void say(`Teams shows ${run.user.name}: ${shownText(String(value))}`);
  if (submitting && Object.keys(answer).length === 0) return void say("The dialog closes.");
}

interface Snapshot {
  state: TeamsSandboxState;
  pages: SandboxPage[];
}

async function snapshot(run: TeamsRun): Promise<Snapshot> {
  return { state: await run.control.teams.state(), pages: (await run.control.state()).pages };
}

/** Waits for the bot to be done, then shows what it posted or redrew since `before`, and what changed in Notion. */
async function printChanges(run: TeamsRun, before: Snapshot): Promise<Snapshot> {
  await settle({ control: run.control, quietMs: run.quietMs }, { maxMs: SETTLE_MAX_MS });
  const after = await snapshot(run);
  const known = new Map(before.state.messages.map((message) => [message.id, message]));
  for (const message of after.state.messages) {
    const was = known.get(message.id);
    if (message.from !== after.state.botId) continue;
    if (was === undefined) for (const line of messageLines(after.state, message, "New message")) run.say(line);
    else if (JSON.stringify(was.activity) !== JSON.stringify(message.activity)) for (const line of messageLines(after.state, message, "Redrawn message")) run.say(line);
  }
  for (const page of after.pages) {
    const was = before.pages.find((candidate) => candidate.id === page.id);
    if (!was) run.say(`Notion: a new task ${describePage(page)}`);
    else if (was.last_edited_time !== page.last_edited_time || JSON.stringify(was.properties) !== JSON.stringify(page.properties)) run.say(`Notion: ${describePage(page)}`);
  }
  return after;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[char]!);
}
