/**
 * `npm run discord -- <command>`: plays Discord against the running sandbox (`npm run sandbox`), as
 * `npm run slack` plays Slack. Each command is an interaction as Discord sends it (`/task`, the
 * message commands, a button, a modal submitted), signed with the sandbox's Discord key and POSTed
 * to the functions' /discord/interactions (sandbox-discord.ts); the CLI then shows the bot's answer
 * as Discord's client would, what the bot posted or edited afterwards, and what landed in Notion.
 *
 * This file is the entry: it checks the words and flags (discord-arguments.ts), finds the sandbox
 * (discord-link.ts), and runs the command (discord-acts.ts).
 */
import type { EnvSource } from "../env.js";
import { click, messageCommand, showState, slashTask, submitModal } from "./discord-acts.js";
import { checkDiscordArguments, DISCORD_USAGE, parseDiscordFlags, UsageError, type DiscordCommandKind } from "./discord-arguments.js";
import { linkToSandbox } from "./discord-link.js";
import type { DiscordLink, Run } from "./discord-session.js";
import type { Output } from "./report.js";
import { SandboxRefused } from "./sandbox-control.js";
import { DiscordActRefused } from "./sandbox-discord.js";
import { runIfMain } from "./script.js";
import { askLine, CANCELLED_EXIT, Cancelled } from "./slack-session.js";
import { QUIET_MS } from "./slack-settle.js";

export type { DiscordLink } from "./discord-session.js";
export type { DiscordAct, DiscordOutcome } from "./sandbox-discord.js";
export { DiscordActRefused } from "./sandbox-discord.js";

const NOTHING_SENT = "Nothing was sent. See npm run discord -- help";

export interface DiscordCliOptions {
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  /** No call for this long means the bot is done, where the functions cannot say (netlify dev). */
  quietMs?: number;
  /** The sandbox to play against; by default the one the sandbox file names. */
  link?: DiscordLink;
  /** Whether to ask for a modal's inputs when no flag fills them (stdin is a terminal). */
  interactive?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Runs one command against the sandbox; returns the exit code (2: refused before anything was sent). */
export async function runDiscordCli(options: DiscordCliOptions): Promise<number> {
  const say = (text = "") => void options.out.write(`${text}\n`);
  const refuse = (error: Error) => {
    say(error.message);
    say(NOTHING_SENT);
    return 2;
  };
  let parsed: ReturnType<typeof parseDiscordFlags>;
  let kind: DiscordCommandKind;
  try {
    parsed = parseDiscordFlags(options.argv);
    const [command, ...rest] = parsed.positionals;
    if (parsed.values.help || command === undefined || command === "help") {
      say(DISCORD_USAGE);
      return command === undefined && !parsed.values.help ? 2 : 0;
    }
    kind = checkDiscordArguments(command, rest, parsed.values);
  } catch (error) {
    if (error instanceof UsageError) return refuse(error);
    throw error;
  }
  const [, ...rest] = parsed.positionals;
  const link = options.link ?? (await linkToSandbox(parsed.values.dir, options.env));
  if (typeof link === "string") {
    say(link);
    return 1;
  }
  const streams = { input: options.input ?? process.stdin, output: options.output ?? process.stdout, terminal: undefined };
  const run: Run = { link, flags: parsed.values, quietMs: options.quietMs ?? QUIET_MS, say, ask: options.interactive ? (question) => askLine(question, streams) : undefined };
  try {
    switch (kind) {
      case "task":
        return await slashTask(run, rest.join(" "));
      case "remind":
      case "create":
        return await messageCommand(run, kind, rest[0]);
      case "click":
        return await click(run, rest.join(" "));
      case "submit":
        return await submitModal(run, rest[0] ?? "last");
      case "state":
        return await showState(run);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof DiscordActRefused) return refuse(error);
    if (error instanceof SandboxRefused) return refuse(new UsageError(`The sandbox refused it: ${error.message}.`));
    if (error instanceof Cancelled) {
      say("Cancelled: the modal stays open (npm run discord -- submit finishes it).");
      return CANCELLED_EXIT;
    }
    if (isUnanswered(error)) {
      say("The sandbox stopped answering: is npm run sandbox still running?");
      return 1;
    }
    throw error;
  }
}

function isUnanswered(error: unknown): boolean {
  return (error instanceof TypeError && error.message === "fetch failed") || (error instanceof Error && error.name === "TimeoutError");
}

await runIfMain(import.meta.url, ({ argv, out, env }) => runDiscordCli({ argv, out, env, interactive: process.stdin.isTTY === true }));
