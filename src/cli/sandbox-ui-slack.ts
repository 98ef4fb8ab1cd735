/**
 * What a person does on Slack on the sandbox's page, done as Slack would do it: each action sends the
 * functions what Slack sends, signed, with a trigger_id and a response_url minted by the control
 * server, and keeps what Slack's client would show of the answer (sandbox-ui-actions.ts runs them).
 */
import * as z from "zod/mini";
import { JSON_CONTENT, sendSigned, type SlackAnswer } from "../../dev/signed-request.js";
import { appHomeOpened, appMention, blockActions, clickHomeButton, eventBody, eventCallback, interactionBody, messageAction, payloadMessage, slashCommandBody, viewSubmission } from "../../dev/slack-payloads.js";
import type { Person, Place } from "../../dev/slack-payloads.js";
import { escapeMrkdwn } from "../platforms/slack/mrkdwn.js";
import type { UiActions, UiMessage, UiResult } from "../../sandbox-ui/shapes.js";
import { buttonsIn } from "./block-kit-text.js";
import { checkInputs, fillInput, readModalInputs, toStateValues, type ModalInput } from "./modal-form.js";
import type { SandboxControlClient, SandboxState } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";
import { appManifest, messagesOf, modalsOf, type AnswerOrigin, type SlackClientState } from "./sandbox-ui-snapshot.js";
import { asTyped } from "./slack-session.js";

/** What Slack's actions need: the control server, the sandbox file, and what Slack's client keeps. */
export interface SlackActionContext {
  control: SandboxControlClient;
  file: SandboxFile;
  client: SlackClientState;
}

type SlackActionName = "send" | "shortcut" | "click" | "submit" | "close" | "home";
/** A refusal the page shows as it is (Slack's own words where Slack has some). */
export class Refused extends Error {}

export const OK: UiResult = { ok: true };

function person(state: SandboxState, id: string): Person {
  const user = state.users.find((u) => u.id === id);
  if (!user) throw new Refused(`No person ${id} in the sandbox.`);
  return { id: user.id, name: user.name };
}

/** A conversation as Slack names it in a payload: a DM's channel_name is "directmessage". */
function place(state: SandboxState, id: string): Place {
  if (id.startsWith("D")) return { id, name: "directmessage" };
  const channel = state.channels.find((c) => c.id === id);
  if (!channel) throw new Refused(`No channel ${id} in the sandbox.`);
  return { id, name: channel.name };
}

/** A trigger_id for `user`: a modal opened with it opens on their screen. */
async function trigger(context: SlackActionContext, user: string): Promise<string> {
  const triggerId = await context.control.triggerId(user);
  context.client.pendingTriggers.set(triggerId, user);
  // Most actions open no modal: their trigger_ids are forgotten, the oldest first.
  if (context.client.pendingTriggers.size > 200) context.client.pendingTriggers.delete(context.client.pendingTriggers.keys().next().value!);
  return triggerId;
}

async function responseUrl(context: SlackActionContext, origin: AnswerOrigin): Promise<string> {
  const url = await context.control.responseUrl({ channel: origin.channel, user: origin.user });
  context.client.origins.set(url, origin);
  return url;
}

/** The functions' answer, as Slack treats it: a failure is what Slack would show ("… failed with the error …"). */
function failure(answer: SlackAnswer, what: string): UiResult | undefined {
  if (answer.status === 200) return undefined;
  return { ok: false, notice: `${what} failed: the functions answered ${answer.status}${answer.text ? ` (${answer.text.slice(0, 200)})` : ""}. The function log says why.` };
}

/** A reply with text or blocks, as Slack's client shows it in the conversation the request came from. */
function keepReply(context: SlackActionContext, answer: SlackAnswer, origin: AnswerOrigin): void {
  const body = answer.json;
  if (answer.status === 200 && body && (typeof body.text === "string" || Array.isArray(body.blocks))) context.client.replies.push({ ...origin, at: Date.now(), body });
}

async function slashCommand(context: SlackActionContext, state: SandboxState, input: UiActions["send"]): Promise<UiResult> {
  const [command = ""] = input.text.trim().split(/\s+/);
  const text = input.text.trim().slice(command.length).trim();
  const declared = (appManifest().features.slash_commands ?? []).map((entry) => entry.command);
  if (!declared.includes(command)) return { ok: false, notice: `${command} is not a valid command. In Slack, messages that start with "/" are commands: this app has ${declared.join(", ")}.` };
  if (input.thread_ts !== undefined) return { ok: false, notice: `${command} is not supported in threads. Sorry!` };
  const origin = { channel: input.channel, user: input.user };
  const body = slashCommandBody({
    workspace: context.file,
    command,
    // Slack escapes &, < and > in a command's text (manifest.yml leaves mentions as typed: should_escape false).
    text: escapeMrkdwn(text),
    user: person(state, input.user),
    channel: place(state, input.channel),
    triggerId: await trigger(context, input.user),
    responseUrl: await responseUrl(context, origin),
  });
  const answer = await sendSigned(`${context.file.functionsUrl}/slack/commands`, body, { secret: context.file.signingSecret });
  keepReply(context, answer, origin);
  return failure(answer, command) ?? OK;
}

/** Slack's actions, by the page's name for each. */
export const SLACK_ACTIONS: { [name in SlackActionName]: (context: SlackActionContext, input: UiActions[name]) => Promise<UiResult> } = {
  async send(context, input) {
    const state = await context.control.state();
    if (input.text.trim() === "") return OK;
    if (input.text.trimStart().startsWith("/")) return slashCommand(context, state, input);
    const bot = state.users.find((user) => user.name === appManifest().features.bot_user.display_name);
    const typed = asTyped(input.text.trim(), state);
    const message = await context.control.postUserMessage({ channel: input.channel, author: input.user, text: typed, thread_ts: input.thread_ts });
    // Slack sends app_mention for a message that mentions the bot, and nothing for any other (no message.* events).
    if (!bot || !typed.includes(`<@${bot.id}>`)) return OK;
    const event = eventCallback(
      appMention({ text: typed, user: input.user, channel: input.channel, ts: message.ts, ...(input.thread_ts ? { threadTs: input.thread_ts } : {}) }, { text: typed }),
      { workspace: context.file },
    );
    const answer = await sendSigned(`${context.file.functionsUrl}/slack/events`, eventBody(event), { secret: context.file.signingSecret, headers: JSON_CONTENT });
    return failure(answer, "The mention") ?? OK;
  },

  async shortcut(context, input) {
    const state = await context.control.state();
    const message = state.messages.find((m) => `${m.channel}/${m.ts}` === input.messageId && m.kind === "message");
    if (!message) throw new Refused("That message is gone, or only its author sees it: shortcuts work on messages in a conversation.");
    const origin = { channel: message.channel, user: input.user, thread_ts: message.thread_ts, target: input.messageId };
    const payload = messageAction({
      workspace: context.file,
      callbackId: input.callbackId,
      user: person(state, input.user),
      channel: place(state, message.channel),
      message: payloadMessage(message),
      triggerId: await trigger(context, input.user),
      responseUrl: await responseUrl(context, origin),
    });
    const answer = await sendSigned(`${context.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: context.file.signingSecret });
    keepReply(context, answer, origin);
    return failure(answer, "The shortcut") ?? OK;
  },

  async click(context, input) {
    const state = await context.control.state();
    const user = person(state, input.user);
    const matches = (button: { actionId: string; blockId: string | undefined; value: string | undefined }) =>
      button.actionId === input.actionId && (input.blockId === undefined || button.blockId === input.blockId) && button.value === input.value;
    if (input.surface.kind === "home") {
      const home = state.homes.find((h) => h.user === input.user);
      const button = home && buttonsIn(home.view.blocks as unknown[]).find(matches);
      if (!home || !button) throw new Refused("That button is no longer on the Home tab.");
      const payload = clickHomeButton(home, button.actionId, { triggerId: await trigger(context, input.user), workspace: context.file, user });
      const answer = await sendSigned(`${context.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: context.file.signingSecret });
      return failure(answer, `[${button.label}]`) ?? (button.url ? { ok: true, notice: `Slack also opens ${button.url} in the browser.` } : OK);
    }
    if (input.surface.kind === "modal") throw new Refused("Buttons inside a modal are not played by the sandbox yet.");
    const messageId = input.surface.id;
    const message: UiMessage | undefined = messagesOf(state, context.client).find((m) => m.id === messageId);
    const button = message && buttonsIn(message.blocks).find(matches);
    if (!message || !button) throw new Refused("That button is no longer there.");
    const origin = { channel: message.channel, user: input.user, thread_ts: message.thread_ts, target: message.id };
    const posted = state.messages.find((m) => `${m.channel}/${m.ts}` === message.id);
    const ephemeral = message.visibleTo !== undefined;
    const payload = blockActions({
      workspace: context.file,
      user,
      channel: place(state, message.channel),
      // Slack leaves an ephemeral message out of the payload; the container still names its ts.
      message: posted && !ephemeral ? payloadMessage(posted) : { ts: message.ts, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) },
      ephemeral,
      action: { action_id: button.actionId, text: button.label, value: button.value, block_id: button.blockId, url: button.url },
      triggerId: await trigger(context, input.user),
      responseUrl: await responseUrl(context, origin),
    });
    const answer = await sendSigned(`${context.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: context.file.signingSecret });
    return failure(answer, `[${button.label}]`) ?? (button.url ? { ok: true, notice: `Slack also opens ${button.url} in the browser.` } : OK);
  },

  async submit(context, input) {
    const state = await context.control.state();
    const modal = modalsOf(state, context.client).find((m) => m.id === input.viewId && m.user === input.user);
    const opened = state.views.find((v) => v.id === input.viewId);
    if (!modal || !opened) throw new Refused("That modal is closed.");
    const problems: string[] = [];
    const inputs = readModalInputs(modal.view).map((field): ModalInput => {
      const filled = fillInput(field, input.values[field.blockId] ?? "");
      if (filled.ok) return filled.input;
      problems.push(filled.problem);
      return field;
    });
    problems.push(...checkInputs(inputs));
    // Slack's client refuses these itself, before sending anything.
    if (problems.length > 0) return { ok: false, notice: `Slack won't submit this: ${problems.join("; ")}.` };
    const payload = viewSubmission({
      workspace: context.file,
      user: person(state, input.user),
      view: { id: opened.id, hash: opened.hash, view: modal.view },
      values: toStateValues(inputs),
      triggerId: await trigger(context, input.user),
    });
    const answer = await sendSigned(`${context.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: context.file.signingSecret });
    const open = context.client.modals.get(input.viewId);
    if (answer.status !== 200 || !open) return { ok: false, notice: `We had some trouble connecting. Try again? (the functions answered ${answer.status}; the function log says why)` };
    const action = answer.json?.response_action;
    if (action === "errors") {
      open.errors = Object.fromEntries(Object.entries((answer.json?.errors ?? {}) as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    } else if ((action === "update" || action === "push") && typeof answer.json?.view === "object" && answer.json.view !== null) {
      context.client.modals.set(input.viewId, { user: input.user, replaced: { hash: opened.hash, view: answer.json.view as Record<string, unknown> }, errors: {} });
    } else if (action === "clear") {
      for (const [id, m] of context.client.modals) if (m.user === input.user) context.client.modals.delete(id);
    } else {
      context.client.modals.delete(input.viewId);
    }
    return OK;
  },

  async close(context, input) {
    const modal = context.client.modals.get(input.viewId);
    if (modal?.user === input.user) context.client.modals.delete(input.viewId);
    return OK;
  },

  async home(context, input) {
    const event = eventCallback(appHomeOpened({ user: input.user }), { workspace: context.file });
    const answer = await sendSigned(`${context.file.functionsUrl}/slack/events`, eventBody(event), { secret: context.file.signingSecret, headers: JSON_CONTENT });
    return failure(answer, "Opening the Home tab") ?? OK;
  },
};

const id = z.string().check(z.minLength(1));
/** Each Slack action's input, checked at the boundary. */
export const SLACK_ACTION_INPUTS: { [name in SlackActionName]: z.ZodMiniType<UiActions[name]> } = {
  send: z.object({ user: id, channel: id, text: z.string(), thread_ts: z.optional(z.string()) }),
  shortcut: z.object({ user: id, callbackId: id, messageId: id }),
  click: z.object({
    user: id,
    surface: z.union([z.object({ kind: z.literal("message"), id }), z.object({ kind: z.literal("home") }), z.object({ kind: z.literal("modal"), viewId: id })]),
    actionId: z.string(),
    blockId: z.optional(z.string()),
    value: z.optional(z.string()),
  }),
  submit: z.object({ user: id, viewId: id, values: z.record(z.string(), z.string()) }),
  close: z.object({ user: id, viewId: id }),
  home: z.object({ user: id }),
};
