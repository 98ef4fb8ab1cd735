/**
 * What every `npm run slack` command works with: the session (the sandbox, the flags, how to speak
 * and ask), the ways a run stops early, and who and what a flag names in the sandbox.
 */
import { createInterface } from "node:readline/promises";
import { isRecord } from "../../dev/is-record.js";
import type { Person, Place } from "../../dev/slack-payloads.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { escapeMrkdwn } from "../platforms/slack/mrkdwn.js";
import type { Button, Directory } from "./block-kit-text.js";
import { didYouMean } from "./closest.js";
import type { SandboxControlClient, SandboxState, SandboxView } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";
import { UsageError, type Flags } from "./slack-arguments.js";

/** Exit code of a cancelled question (Ctrl-C, Ctrl-D), as a shell reports a Ctrl-C. */
export const CANCELLED_EXIT = 130;

/** One command's run: the sandbox it talks to, its flags, and how it speaks and asks. */
export interface Session {
  file: SandboxFile;
  control: SandboxControlClient;
  /** No Slack or Notion call for this long means the bot is done (SlackCliOptions.quietMs). */
  quietMs: number;
  flags: Flags;
  say: (text?: string) => void;
  ask: ((question: string) => Promise<string>) | undefined;
}

/** A question was cancelled (Ctrl-C or Ctrl-D at a prompt). */
export class Cancelled extends Error {}

/** The CLI stopped with a modal open in Slack, which the person can still finish or leave. */
export class FormLeftOpen extends Error {
  constructor(
    message: string,
    readonly viewId: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Asks one question on a reader of its own, so that between questions Ctrl-C stops the process as
 * usual. Ctrl-C or Ctrl-D at the question (or the end of the input) rejects with Cancelled.
 */
export async function askLine(question: string, streams: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: boolean | undefined }): Promise<string> {
  const readline = createInterface({ input: streams.input, output: streams.output, ...(streams.terminal === undefined ? {} : { terminal: streams.terminal }) });
  // Without a terminal, the end of the input closes the reader but leaves the question pending.
  const closed = new AbortController();
  readline.once("close", () => closed.abort());
  try {
    return await readline.question(question, { signal: closed.signal });
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") throw new Cancelled("Cancelled.", { cause: error });
    throw error;
  } finally {
    readline.close();
  }
}

/**
 * Text as Slack stores what a person typed: `& < >` escaped, and @name, @here, #channel turned into
 * the mentions Slack's composer makes of them, so the bot sees what it would see in Slack.
 */
export function asTyped(text: string, state: Pick<SandboxState, "users" | "channels">): string {
  return escapeMrkdwn(text).replace(/(^|[\s(])([@#])([\w.-]+)/g, (whole, before: string, sigil: string, name: string) => {
    if (sigil === "@" && ["here", "channel", "everyone"].includes(name)) return `${before}<!${name}>`;
    const user = sigil === "@" ? state.users.find((u) => u.name === name || u.id === name) : undefined;
    if (user) return `${before}<@${user.id}>`;
    const channel = sigil === "#" ? state.channels.find((c) => c.name === name && !c.id.startsWith("D")) : undefined;
    if (channel) return `${before}<#${channel.id}|${channel.name}>`;
    return whole;
  });
}

/** Names by id, to show people and channels by name. */
export function directoryOf(state: SandboxState): Directory {
  return {
    users: new Map(state.users.map((user) => [user.id, user.name])),
    channels: new Map(state.channels.map((channel) => [channel.id, channel.name])),
  };
}

/** The sandbox's user named by name or id (a leading @ allowed); rejects with a UsageError naming those there are. */
export function resolveUser(state: SandboxState, wanted: string): Person {
  const key = wanted.replace(/^@/, "").toLowerCase();
  // The bot is a user of the workspace, not a person anyone can act as.
  const people = state.users.filter((u) => u.id !== SLACK_SEED.botUserId);
  const user = people.find((u) => u.id.toLowerCase() === key || u.name.toLowerCase() === key);
  if (!user) throw new UsageError(`No user ${wanted} in the sandbox: ${people.map((u) => u.name).join(", ")}.${didYouMean(key, people.map((u) => u.name))}`);
  return { id: user.id, name: user.name };
}

/** The sandbox's channel named by name or id (a leading # allowed); rejects with a UsageError naming those there are. */
export function resolveChannel(state: SandboxState, wanted: string): Place {
  const key = wanted.replace(/^#/, "").toLowerCase();
  const channel = state.channels.find((c) => c.id.toLowerCase() === key || c.name.toLowerCase() === key);
  const named = state.channels.filter((c) => !c.id.startsWith("D")).map((c) => c.name);
  if (!channel) throw new UsageError(`No channel ${wanted} in the sandbox: ${named.join(", ")}.${didYouMean(key, named)}`);
  return { id: channel.id, name: channel.name };
}

/** A button picked by `--button`: its number (from 1) and, when others matched as well, theirs. */
export interface PickedButton {
  button: Button;
  number: number;
  /** The numbers of the other buttons `--button` matched (a Home tab has a Done for each task): the first was pressed. */
  alike: number[];
}

/**
 * The button by its number (from 1), else by its label or action_id, else by part of its label (case
 * aside); of several that match, the first. Rejects with a UsageError listing the buttons (and the
 * closest label) when none matches.
 */
export function pickButton(buttons: readonly Button[], wanted: string): PickedButton {
  const numbered = buttons.map((button, index) => ({ button, number: index + 1 }));
  const lower = wanted.toLowerCase();
  const matches = [
    /^\d+$/.test(wanted) ? numbered.filter(({ number }) => number === Number(wanted)) : [],
    numbered.filter(({ button }) => button.label.toLowerCase() === lower || button.actionId === wanted),
    numbered.filter(({ button }) => button.label.toLowerCase().includes(lower)),
  ].find((found) => found.length > 0);
  const first = matches?.[0];
  if (!first) {
    const listed = buttons.length === 0 ? "there are none" : buttons.map((b, i) => `${i + 1} ${b.label}`).join(", ");
    throw new UsageError(`No button ${wanted}: ${listed}.${didYouMean(wanted, buttons.map((b) => b.label))}`);
  }
  return { ...first, alike: matches.slice(1).map(({ number }) => number) };
}

/** When `--button` matched several, one line saying which was pressed and how to press another; else undefined. */
export function alikeNote(picked: PickedButton, wanted: string): string | undefined {
  if (picked.alike.length === 0) return undefined;
  return `  ${picked.alike.length + 1} buttons match "${wanted}" (${[picked.number, ...picked.alike].join(", ")}): this is ${picked.number}, the first; --button ${picked.alike[0]} presses the next.`;
}

/** A modal's title, or "Modal". */
export function titleOf(view: SandboxView): string {
  return plainTextOf(view.view.title) ?? "Modal";
}

/** The text of a plain_text object, if it is one. */
export function plainTextOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === "string" ? value.text : undefined;
}
