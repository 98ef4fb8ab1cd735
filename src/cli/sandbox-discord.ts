/**
 * One interaction sent as Discord sends it to the sandbox's functions, for the sandbox's page and a
 * Discord CLI alike: the control server mints its id and token, the body is the shape Discord's docs
 * show (dev/discord-signed.ts) for the person and channel, it is signed with the session's private
 * key and POSTed to /discord/interactions, and the bot's HTTP answer goes back to the emulator as
 * Discord takes a first response (so @original, follow-ups and a modal's state are Discord's).
 */
import { createPrivateKey } from "node:crypto";
import { DISCORD_PAYLOADS, discordSignedHeaders, discordUser } from "../../dev/discord-signed.js";
import type { DiscordSandboxState } from "./sandbox-control-discord.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";

/** What a person does on Discord that reaches the bot. */
export type DiscordAct =
  /** `/task` with its `text` option, or none. */
  | { kind: "command"; user: string; channel: string; text?: string | undefined }
  /** A MESSAGE command (Apps ▸ "Remind of process", "Create task") on a message. */
  | { kind: "message_command"; user: string; name: string; message: string }
  /** A button pressed on a message (its custom_id). */
  | { kind: "button"; user: string; message: string; customId: string; label?: string | undefined }
  /** A modal submitted: each input's value (a select's values), by custom_id; `opening` is the interaction that opened it. */
  | { kind: "modal_submit"; user: string; opening: string; values: Record<string, string | string[]> };

/** What came of it: the interaction, the functions' HTTP answer, and Discord's verdict on it when it refused it. */
export interface DiscordOutcome {
  interaction: { id: string; token: string };
  status: number;
  /** The answer's JSON, when it was JSON. */
  answer: Record<string, unknown> | undefined;
  /** Discord refused the answer as a first response (its error JSON): what the person sees as "This interaction failed". */
  refused?: unknown;
}

/** Refused before anything was sent: no such message, modal or person. */
export class DiscordActRefused extends Error {}

/** How long the page and the CLI wait for the functions' answer (Discord itself gives up at 3 s; the emulator says so). */
const ANSWER_WAIT_MS = 60_000;

/** Sends one act; throws DiscordActRefused when what it names is not there, and the transport's error when the functions do not answer. */
export async function sendDiscordInteraction(file: SandboxFile, control: SandboxControlClient, act: DiscordAct, state?: DiscordSandboxState): Promise<DiscordOutcome> {
  const guild = state ?? (await control.discord.state());
  const person = guild.people.find((p) => p.id === act.user);
  if (!person) throw new DiscordActRefused(`No person ${act.user} in the sandbox's guild.`);
  const user = discordUser(person.id, person.name);
  const channelName = (id: string) => guild.channels.find((channel) => channel.id === id)?.name ?? "direct-message";
  const messageOf = (id: string) => {
    const message = guild.messages.find((m) => m.id === id);
    if (!message) throw new DiscordActRefused(`No message ${id} in the sandbox's guild.`);
    return message;
  };
  let issued: { id: string; token: string };
  let body: unknown;
  switch (act.kind) {
    case "command": {
      issued = await control.discord.issueInteraction({ type: 2, channel: act.channel, user: act.user, name: "/task" });
      body = DISCORD_PAYLOADS.taskCommand(issued, act.text === undefined || act.text === "" ? undefined : act.text, { user, channelId: act.channel, channelName: channelName(act.channel) });
      break;
    }
    case "message_command": {
      const message = messageOf(act.message);
      const authorName = guild.people.find((p) => p.id === message.author)?.name;
      const bot = message.author === guild.botId;
      issued = await control.discord.issueInteraction({ type: 2, channel: message.channel, user: act.user, name: act.name });
      body = DISCORD_PAYLOADS.messageCommand(
        issued,
        act.name,
        { id: message.id, content: message.content, author: discordUser(message.author, bot ? "chatops" : (authorName ?? message.author)), bot },
        { user, channelId: message.channel, channelName: channelName(message.channel) },
      );
      break;
    }
    case "button": {
      const message = messageOf(act.message);
      issued = await control.discord.issueInteraction({ type: 3, channel: message.channel, user: act.user, message: message.id, ...(act.label ? { name: act.label } : {}) });
      body = DISCORD_PAYLOADS.buttonPress(issued, act.customId, { id: message.id, flags: message.flags, content: message.content, components: message.components }, { user, channelId: message.channel, channelName: channelName(message.channel) });
      break;
    }
    case "modal_submit": {
      const opening = guild.interactions.find((i) => i.id === act.opening);
      const data = opening?.response?.["data"] as { custom_id?: unknown } | undefined;
      if (!opening || opening.response?.["type"] !== 9 || typeof data?.custom_id !== "string") throw new DiscordActRefused(`No modal opened by interaction ${act.opening}.`);
      issued = await control.discord.issueInteraction({ type: 5, channel: opening.channel, user: act.user, ...(opening.message ? { message: opening.message } : {}) });
      const inputs = Object.entries(act.values).map(([id, value]) => (Array.isArray(value) ? { id, values: value } : { id, value }));
      body = DISCORD_PAYLOADS.modalSubmit(issued, data.custom_id, inputs, { user, channelId: opening.channel, channelName: channelName(opening.channel) });
      break;
    }
  }
  const text = JSON.stringify(body);
  const privateKey = createPrivateKey(file.discord.privateKey);
  const response = await fetch(file.discord.interactionsUrl, { method: "POST", headers: discordSignedHeaders(text, privateKey), body: text, signal: AbortSignal.timeout(ANSWER_WAIT_MS) });
  const raw = await response.text();
  let answer: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    answer = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    answer = undefined;
  }
  const outcome: DiscordOutcome = { interaction: issued, status: response.status, answer };
  // A 200 with a body is the first response; anything else is no answer, which Discord shows as a failure.
  if (response.status === 200 && answer !== undefined) {
    const verdict = await control.discord.answer({ ...issued, body: answer });
    if (verdict.refused !== undefined) outcome.refused = verdict.refused;
  }
  return outcome;
}

/** What Discord's client says of an act that got no first response, or one it refused; undefined when it went through. */
export function failureOf(outcome: DiscordOutcome): string | undefined {
  if (outcome.status !== 200) return `This interaction failed: the functions answered ${outcome.status}. The function log says why.`;
  if (outcome.answer === undefined) return "This interaction failed: the functions' answer was not JSON.";
  if (outcome.refused !== undefined) return `This interaction failed: Discord refused the answer (${JSON.stringify(outcome.refused).slice(0, 300)}).`;
  return undefined;
}
