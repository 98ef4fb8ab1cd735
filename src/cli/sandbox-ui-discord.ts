/**
 * Discord on the sandbox's page: what the page draws of the guild (built from the Discord emulator
 * through the control server, and from what only Discord's client knows: which modals are still open
 * on whose screen), and the page's Discord actions, each sent as Discord sends it, signed here on the
 * server (sandbox-discord.ts), never in the page.
 */
import * as z from "zod/mini";
import type { UiActions, UiDiscord, UiDiscordMessage, UiResult } from "../../sandbox-ui/shapes.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import type { DiscordSandboxState } from "./sandbox-control-discord.js";
import { DiscordActRefused, failureOf, sendDiscordInteraction, type DiscordAct } from "./sandbox-discord.js";
import type { SandboxFile } from "./sandbox-file.js";

/** EPHEMERAL: only the person who acted sees the message. */
const EPHEMERAL = 64;
/** Discord's epoch (2015-01-01), the start of a snowflake's time. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** What Discord's client knows that the emulator does not keep: the modals closed (submitted or dismissed). */
export class DiscordClientState {
  readonly closedModals = new Set<string>();
}

/** When a snowflake was made, ms since the epoch. */
export function snowflakeTime(id: string): number {
  return /^\d{1,20}$/.test(id) ? Number((BigInt(id) >> 22n) + DISCORD_EPOCH) : 0;
}

/** The guild as its people see it: every message in time order, ephemeral ones marked for their person, and the open modals. */
export function discordSnapshot(state: DiscordSandboxState, client: DiscordClientState, botName: string): UiDiscord {
  const interactions = new Map(state.interactions.map((interaction) => [interaction.id, interaction]));
  const byId = new Map(state.messages.map((message) => [message.id, message]));
  const messages = state.messages.map((message): UiDiscordMessage => {
    const interaction = message.interaction === undefined ? undefined : interactions.get(message.interaction);
    const replied = message.replyTo === undefined ? undefined : byId.get(message.replyTo);
    // The first message an interaction made is its response; a command's shows who used it.
    const isResponse = interaction !== undefined && state.messages.find((m) => m.interaction === interaction.id)?.id === message.id;
    // A deferred answer is filled by an edit of @original, which Discord does not mark as one.
    const deferred = isResponse && interaction.response?.["type"] === 5;
    return {
      id: message.id,
      channel: message.channel,
      at: snowflakeTime(message.id),
      author: message.author,
      content: message.content,
      components: message.components,
      ...((message.flags & EPHEMERAL) !== 0 && interaction ? { ephemeralTo: interaction.user } : {}),
      edited: message.edited && !deferred,
      ...(message.replyTo === undefined ? {} : { replyTo: replied ? { id: replied.id, author: replied.author, content: replied.content } : { id: message.replyTo, missing: true } }),
      ...(isResponse && interaction.name !== undefined && interaction.type === 2 ? { usedBy: { user: interaction.user, name: interaction.name } } : {}),
      ...(deferred && !message.edited ? { thinking: true } : {}),
    };
  });
  const modals = state.interactions
    .filter((interaction) => interaction.response?.["type"] === 9 && !client.closedModals.has(interaction.id))
    .map((interaction) => ({ id: interaction.id, user: interaction.user, modal: (interaction.response?.["data"] ?? {}) as Record<string, unknown> }));
  const commands = state.commands.flatMap((command) => {
    if (typeof command !== "object" || command === null) return [];
    const { name, type, description } = command as Record<string, unknown>;
    return typeof name === "string" ? [{ name, type: typeof type === "number" ? type : 1, description: typeof description === "string" ? description : "" }] : [];
  });
  return {
    guild: state.guild,
    botId: state.botId,
    botName,
    people: state.people,
    channels: state.channels,
    dms: state.dms,
    messages: messages.sort((a, b) => a.at - b.at),
    modals,
    commands,
  };
}

/** What the page's Discord actions need: the control server, the sandbox file (its key), and what Discord's client keeps. */
export interface DiscordActionContext {
  control: SandboxControlClient;
  file: SandboxFile;
  discord: DiscordClientState;
}

/** Sends an act; its failure becomes what Discord's client would show (as a notice on the page). */
async function send(context: DiscordActionContext, act: DiscordAct): Promise<{ result: UiResult; ok: boolean }> {
  try {
    const outcome = await sendDiscordInteraction(context.file, context.control, act);
    const failure = failureOf(outcome);
    return failure === undefined ? { result: { ok: true }, ok: true } : { result: { ok: false, notice: failure }, ok: false };
  } catch (error) {
    if (error instanceof DiscordActRefused) return { result: { ok: false, notice: error.message }, ok: false };
    throw error;
  }
}

/** A line typed in a channel: `/task …` is the application's command, another `/word` is none Discord offers, anything else a message. */
async function discordSend(context: DiscordActionContext, input: { user: string; channel: string; text: string }): Promise<UiResult> {
  const text = input.text.trim();
  if (text === "") return { ok: true };
  const command = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
  if (command) {
    const state = await context.control.discord.state();
    const offered = state.commands.flatMap((c) => (typeof c === "object" && c !== null && (c as { type?: unknown }).type === 1 ? [String((c as { name?: unknown }).name)] : []));
    if (!offered.includes(command[1]!)) return { ok: false, notice: `/${command[1]} is not a command here. Discord offers this app's ${offered.map((name) => `/${name}`).join(", ")}.` };
    return (await send(context, { kind: "command", user: input.user, channel: input.channel, text: command[2]!.trim() })).result;
  }
  try {
    await context.control.discord.postMessage({ channel: input.channel, author: input.user, content: text });
    return { ok: true };
  } catch (error) {
    return { ok: false, notice: error instanceof Error ? error.message : String(error) };
  }
}

async function discordCommand(context: DiscordActionContext, input: { user: string; message: string; name: string }): Promise<UiResult> {
  return (await send(context, { kind: "message_command", user: input.user, name: input.name, message: input.message })).result;
}

async function discordClick(context: DiscordActionContext, input: { user: string; message: string; customId: string; label?: string | undefined }): Promise<UiResult> {
  return (await send(context, { kind: "button", user: input.user, message: input.message, customId: input.customId, label: input.label })).result;
}

/** Discord closes a modal once its submission is answered; one that fails stays open, as Discord's client keeps it with "Something went wrong". */
async function discordSubmit(context: DiscordActionContext, input: { user: string; modal: string; values: Record<string, string | string[]> }): Promise<UiResult> {
  const sent = await send(context, { kind: "modal_submit", user: input.user, opening: input.modal, values: input.values });
  if (sent.ok) context.discord.closedModals.add(input.modal);
  return sent.result;
}

type DiscordActionName = Extract<keyof UiActions, `discord_${string}`>;

/** The page's Discord actions, by name (sandbox-ui-actions.ts runs them). */
export const DISCORD_ACTIONS: { [name in DiscordActionName]: (context: DiscordActionContext, input: UiActions[name]) => Promise<UiResult> } = {
  discord_send: discordSend,
  discord_command: discordCommand,
  discord_click: discordClick,
  discord_submit: discordSubmit,
  discord_close: async (context, input) => {
    context.discord.closedModals.add(input.modal);
    return { ok: true };
  },
};

const id = z.string().check(z.minLength(1));
/** Each Discord action's input, checked at the boundary as the others are. */
export const DISCORD_ACTION_INPUTS: { [name in DiscordActionName]: z.ZodMiniType<UiActions[name]> } = {
  discord_send: z.object({ user: id, channel: id, text: z.string() }),
  discord_command: z.object({ user: id, message: id, name: id }),
  discord_click: z.object({ user: id, message: id, customId: id, label: z.optional(z.string()) }),
  discord_submit: z.object({ user: id, modal: id, values: z.record(z.string(), z.union([z.string(), z.array(z.string())])) }),
  discord_close: z.object({ user: id, modal: id }),
};
