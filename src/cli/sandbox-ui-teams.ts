/**
 * Teams on the sandbox's page: what the page draws of the tenant (built from the Teams emulator
 * through the control server, which also keeps which dialogs are open on whose screen, and from
 * what only Teams' client knows: the card an Action.Execute's answer put in place for the person who pressed),
 * and the page's Teams actions, each an activity as Teams sends it, signed here on the server with
 * the emulator's key (sandbox-teams.ts), never in the page: a message to the bot, a card's button
 * (`adaptiveCard/action`, or `task/fetch` for one that opens a form), a dialog's `task/submit`, a
 * message extension's `composeExtension/fetchTask` and `submitAction`.
 */
import * as z from "zod/mini";
import type { UiActions, UiResult, UiTeams, UiTeamsMessage } from "../../sandbox-ui/shapes.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import type { TeamsSandboxDialog, TeamsSandboxMessage, TeamsSandboxState } from "./sandbox-control-teams.js";
import type { SandboxFile } from "./sandbox-file.js";
import { sendTeamsActivity, teamsActivity, type TeamsOutcome, type TeamsPerson } from "./sandbox-teams.js";
import { actionsOf, cardOf, dialogCard, inputsOf } from "./teams-print.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** What Teams' client knows that the emulator does not keep. */
export class TeamsClientState {
  /**
   * `<person>/<message>` → the card an Action.Execute's answer drew for that person only (Universal
   * Actions), with the bot's activity it replaced: when the bot redraws the message, the bot's wins.
   */
  readonly refreshed = new Map<string, { card: Json; over: string }>();
}

/** The message extension's commands (the app manifest's ids) by the page's names. */
export const TEAMS_EXTENSION_COMMANDS = { remind: "remindProcess", create: "createTask" } as const;

/** The tenant as its people see it: each message with its card, per person where an Action.Execute redrew it; the dialogs open. */
export function teamsSnapshot(state: TeamsSandboxState, client: TeamsClientState, botName: string): UiTeams {
  const messages = state.messages.map((message): UiTeamsMessage => {
    const card = cardOf(message.activity);
    const over = JSON.stringify(message.activity ?? null);
    const personal = Object.fromEntries(
      state.people.flatMap((person) => {
        const mine = client.refreshed.get(`${person.id}/${message.id}`);
        return mine && mine.over === over ? [[person.id, mine.card]] : [];
      }),
    );
    return {
      id: message.id,
      conversation: message.conversationId.split(";messageid=")[0]!,
      ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
      from: message.from,
      text: message.text,
      ...(card === undefined ? {} : { card }),
      ...(Object.keys(personal).length === 0 ? {} : { cardFor: personal }),
      updated: message.updated,
      at: message.at,
    };
  });
  return {
    botId: state.botId,
    botName,
    people: state.people.map(({ id, name, displayName }) => ({ id, name, displayName })),
    conversations: state.conversations,
    messages,
    // Which are open the control server keeps: `npm run teams -- submit` closes one as the page does.
    dialogs: state.dialogs.flatMap((dialog, index) => (dialog.closed ? [] : [{ id: index, user: dialog.user, title: String(dialog.dialog["title"] ?? ""), card: dialogCard(dialog.dialog) ?? {} }])),
  };
}

/** What the page's Teams actions need: the control server, the sandbox file (the key, the functions' URL), and what Teams' client keeps. */
export interface TeamsActionContext {
  control: SandboxControlClient;
  file: SandboxFile;
  teams: TeamsClientState;
}

class Refused extends Error {}

function person(context: TeamsActionContext, id: string): TeamsPerson {
  const found = context.file.teams.people.find((candidate) => candidate.id === id);
  if (!found) throw new Refused(`No person ${id} in the sandbox's tenant.`);
  return found;
}

function conversationOf(context: TeamsActionContext, id: string): { id: string; name: string; type: string } {
  const found = context.file.teams.conversations.find((candidate) => candidate.id === id.split(";messageid=")[0]);
  if (!found) throw new Refused(`No conversation ${id} in the sandbox's tenant.`);
  return found;
}

/** Where an act on a message comes from: in a channel, the message's thread (its root's id). */
function threadOf(conversation: { id: string; type: string }, message: Pick<TeamsSandboxMessage, "id" | "replyTo">): string {
  return conversation.type === "channel" ? `${conversation.id};messageid=${message.replyTo ?? message.id}` : conversation.id;
}

/** The card a person sees on a message: their own refreshed one, else the bot's. */
function cardSeen(context: TeamsActionContext, message: TeamsSandboxMessage, user: string): Json | undefined {
  const mine = context.teams.refreshed.get(`${user}/${message.id}`);
  return mine && mine.over === JSON.stringify(message.activity ?? null) ? mine.card : cardOf(message.activity);
}

async function send(context: TeamsActionContext, from: TeamsPerson, conversation: { id: string; type: string }, fields: Json): Promise<TeamsOutcome> {
  return sendTeamsActivity(context.file.teams, teamsActivity(context.file.teams, from, conversation, fields));
}

/**
 * An invoke's answer as Teams' client shows it: a form in a dialog (kept open, `opening` says
 * where it came from), a card or a line in a small dialog (a notice), a card that replaces the
 * pressed one for the presser, or a line. A dialog being submitted (`submitting`) closes unless the
 * answer is another dialog, which takes its place.
 */
async function answered(context: TeamsActionContext, outcome: TeamsOutcome, options: { opening?: Omit<TeamsSandboxDialog, "dialog"> | undefined; submitting?: number | undefined; pressed?: { user: string; message: TeamsSandboxMessage } | undefined }): Promise<UiResult> {
  if (outcome.status !== 200) return { ok: false, notice: `Unable to reach app: the functions answered ${outcome.status}${outcome.text ? ` (${outcome.text.slice(0, 200)})` : ""}. The function log says why.` };
  const answer = outcome.answer ?? {};
  const task = isJson(answer["task"]) ? answer["task"] : undefined;
  const value = task?.["value"];
  if (options.submitting !== undefined) await context.control.teams.closeDialog(options.submitting);
  if (task?.["type"] === "continue" && isJson(value) && options.opening) {
    await context.control.teams.keepDialog({ ...options.opening, dialog: value });
    return { ok: true };
  }
  if (task?.["type"] === "message") return { ok: true, notice: String(value) };
  if (answer["type"] === "application/vnd.microsoft.card.adaptive" && isJson(answer["value"]) && options.pressed) {
    // Universal Actions: the answer's card replaces the card for the person who pressed only.
    const { user, message } = options.pressed;
    context.teams.refreshed.set(`${user}/${message.id}`, { card: answer["value"], over: JSON.stringify(message.activity ?? null) });
    return { ok: true };
  }
  if (answer["type"] === "application/vnd.microsoft.activity.message") return { ok: true, notice: String(answer["value"]) };
  return { ok: true };
}

/**
 * A line typed in a conversation. In a 1:1 chat with the bot every message reaches it; in a
 * channel only one that @mentions it (`@chatops …`, sent with its mention entity), the others stay
 * between people. A channel post starts a thread; a reply names its root.
 */
async function teamsSend(context: TeamsActionContext, input: UiActions["teams_send"]): Promise<UiResult> {
  const text = input.text.trim();
  if (text === "") return { ok: true };
  const from = person(context, input.user);
  const conversation = conversationOf(context, input.conversation);
  const written = await context.control.teams.postMessage({ conversation: conversation.id, author: from.id, text, ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }) });
  const mentioned = /^@chatops\b\s*/i.exec(text);
  if (conversation.type === "channel" && !mentioned) return { ok: true };
  const mention = "<at>chatops</at>";
  const where = conversation.type === "channel" ? { id: `${conversation.id};messageid=${input.replyTo ?? written.id}`, type: "channel" } : conversation;
  const outcome = await send(context, from, where, {
    type: "message",
    id: written.id,
    text: mentioned ? `${mention} ${text.slice(mentioned[0].length)}` : text,
    textFormat: "plain",
    ...(input.replyTo === undefined ? {} : { replyToId: input.replyTo }),
    ...(mentioned ? { entities: [{ type: "mention", text: mention, mentioned: { id: `28:${context.file.teams.appId}`, name: "chatops" } }] } : {}),
  });
  return outcome.status === 200 ? { ok: true } : { ok: false, notice: `The bot did not take the message: the functions answered ${outcome.status}. The function log says why.` };
}

/** A card's button, by its place among the card's actions (and its title, checked): Action.Execute is `adaptiveCard/action`; an Action.Submit of type task/fetch opens a form. */
async function teamsClick(context: TeamsActionContext, input: UiActions["teams_click"]): Promise<UiResult> {
  const from = person(context, input.user);
  const state = await context.control.teams.state();
  const message = state.messages.find((candidate) => candidate.id === input.message);
  const action = message && actionsOf(cardSeen(context, message, from.id))[input.index];
  if (!message || !action || action["title"] !== input.title) throw new Refused("That button is no longer there.");
  const conversation = conversationOf(context, message.conversationId);
  const where = { id: threadOf(conversation, message), type: conversation.type };
  const data = isJson(action["data"]) ? action["data"] : {};
  if (action["type"] === "Action.Execute") {
    const outcome = await send(context, from, where, { type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: action["verb"], data }, trigger: "manual" }, replyToId: message.id });
    return answered(context, outcome, { pressed: { user: from.id, message } });
  }
  if (action["type"] === "Action.Submit" && isJson(data["msteams"]) && data["msteams"]["type"] === "task/fetch") {
    const outcome = await send(context, from, where, { type: "invoke", name: "task/fetch", value: { data, context: { theme: "default" } }, replyToId: message.id });
    return answered(context, outcome, { opening: { user: from.id, conversation: where.id, invoke: "task/fetch", replyToId: message.id } });
  }
  throw new Refused(`The sandbox does not play a ${String(action["type"])} button.`);
}

/** A dialog's form submitted: Teams merges the inputs' values into the submit button's data, its hidden fields coming back as the bot wrote them. */
async function teamsSubmit(context: TeamsActionContext, input: UiActions["teams_submit"]): Promise<UiResult> {
  const from = person(context, input.user);
  const state = await context.control.teams.state();
  const dialog = state.dialogs[input.dialog];
  if (!dialog || dialog.user !== from.id || dialog.closed) throw new Refused("That dialog is closed.");
  const card = dialogCard(dialog.dialog);
  const submit = (Array.isArray(card?.["actions"]) ? card["actions"] : []).find((action): action is Json => isJson(action) && action["type"] === "Action.Submit");
  const known = new Set(inputsOf(card).map((element) => String(element["id"])));
  const values = Object.fromEntries(Object.entries(input.values).filter(([id]) => known.has(id)));
  const data = { ...(isJson(submit?.["data"]) ? submit["data"] : {}), ...values };
  const extension = dialog.invoke === "composeExtension/fetchTask";
  const name = extension ? "composeExtension/submitAction" : "task/submit";
  const value = extension ? { commandId: dialog.commandId, commandContext: "message", data, context: { theme: "default" } } : { data, context: { theme: "default" } };
  const outcome = await send(context, from, { id: dialog.conversation, type: conversationOf(context, dialog.conversation).type }, { type: "invoke", name, value, ...(dialog.replyToId ? { replyToId: dialog.replyToId } : {}) });
  const { dialog: _shown, ...opening } = dialog;
  // A failed submit leaves the dialog as it was, as Teams' client does.
  if (outcome.status !== 200) return answered(context, outcome, {});
  return answered(context, outcome, { opening, submitting: input.dialog });
}

/** The message extension's command on a person's message in a channel, with its messagePayload as Teams gives it. */
async function teamsExtension(context: TeamsActionContext, input: UiActions["teams_extension"]): Promise<UiResult> {
  const from = person(context, input.user);
  const state = await context.control.teams.state();
  const message = state.messages.find((candidate) => candidate.id === input.message);
  if (!message) throw new Refused("That message is gone.");
  const conversation = conversationOf(context, message.conversationId);
  const author = context.file.teams.people.find((candidate) => candidate.id === message.from);
  const { teams } = context.file;
  const messagePayload = {
    id: message.id,
    ...(message.replyTo ? { replyToId: message.replyTo } : {}),
    messageType: "message",
    createdDateTime: new Date(message.at).toISOString(),
    from: author ? { user: { id: author.aadObjectId, displayName: author.displayName, userIdentityType: "aadUser" } } : { application: { id: teams.appId, displayName: "chatops", applicationIdentityType: "bot" } },
    body: { contentType: "html", content: `<p>${escapeHtml(message.text)}</p>` },
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(conversation.id)}/${message.id}?tenantId=${teams.tenantId}${conversation.type === "channel" ? `&parentMessageId=${message.replyTo ?? message.id}` : ""}`,
  };
  const commandId = TEAMS_EXTENSION_COMMANDS[input.command];
  const where = threadOf(conversation, message);
  const outcome = await send(context, from, { id: where, type: conversation.type }, { type: "invoke", name: "composeExtension/fetchTask", value: { commandId, commandContext: "message", messagePayload, context: { theme: "default" } } });
  return answered(context, outcome, { opening: { user: from.id, conversation: where, invoke: "composeExtension/fetchTask", commandId } });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[char]!);
}

type TeamsActionName = Extract<keyof UiActions, `teams_${string}`>;

/** Runs one, a refusal becoming its notice. */
const refusing =
  <I>(run: (context: TeamsActionContext, input: I) => Promise<UiResult>) =>
  async (context: TeamsActionContext, input: I): Promise<UiResult> => {
    try {
      return await run(context, input);
    } catch (error) {
      if (error instanceof Refused) return { ok: false, notice: error.message };
      throw error;
    }
  };

/** The page's Teams actions, by name (sandbox-ui-actions.ts runs them). */
export const TEAMS_ACTIONS: { [name in TeamsActionName]: (context: TeamsActionContext, input: UiActions[name]) => Promise<UiResult> } = {
  teams_send: refusing(teamsSend),
  teams_click: refusing(teamsClick),
  teams_submit: refusing(teamsSubmit),
  teams_extension: refusing(teamsExtension),
  // Closing a dialog tells the bot nothing.
  teams_close: async (context, input) => {
    await context.control.teams.closeDialog(input.dialog);
    return { ok: true };
  },
};

const id = z.string().check(z.minLength(1));
const index = z.number().check(z.int(), z.nonnegative());
/** Each Teams action's input, checked at the boundary as the others are. */
export const TEAMS_ACTION_INPUTS: { [name in TeamsActionName]: z.ZodMiniType<UiActions[name]> } = {
  teams_send: z.object({ user: id, conversation: id, text: z.string(), replyTo: z.optional(id) }),
  teams_click: z.object({ user: id, message: id, index, title: z.string() }),
  teams_submit: z.object({ user: id, dialog: index, values: z.record(z.string(), z.string()) }),
  teams_extension: z.object({ user: id, message: id, command: z.enum(["remind", "create"]) }),
  teams_close: z.object({ user: id, dialog: index }),
};
