/**
 * `npm run slack -- <command>`: plays Slack against the running sandbox (`npm run sandbox`). Each
 * command sends what Slack would send, signed, to the real functions under netlify dev, then shows
 * what the bot did: its answer, the modal it opened (filled and submitted from flags, or from
 * prompts in a terminal), what it posted, and what landed in Notion.
 *
 * This file is the entry: it checks the words and flags (slack-arguments.ts), finds the sandbox,
 * and runs the command from its family's file (slack-<family>.ts).
 */
import type { EnvSource } from "../env.js";
import type { Output } from "./report.js";
import { createSandboxControlClient, SandboxRefused } from "./sandbox-control.js";
import { readSandboxFile, sandboxDir } from "./sandbox-file.js";
import { runIfMain } from "./script.js";
import { checkArguments, parseSlackFlags, SLACK_USAGE, UsageError, type CommandKind } from "./slack-arguments.js";
import { click, shortcut } from "./slack-clicks.js";
import { submitOpenModal } from "./slack-fill-modal.js";
import { clickHome, mention, openHome } from "./slack-home.js";
import { notion } from "./slack-notion.js";
import { review, taskSync } from "./slack-schedules.js";
import { askLine, FormLeftOpen, type Session } from "./slack-session.js";
import { QUIET_MS } from "./slack-settle.js";
import { slashCommand } from "./slack-slash-command.js";
import { showState } from "./slack-state.js";

/** What follows every refusal: the line above it says what was wrong. */
const NOTHING_SENT = "Nothing was sent. See npm run slack -- help";

export interface SlackCliOptions {
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  /** Whether to ask for missing input (stdin is a terminal). */
  interactive?: boolean;
  /** Where questions are read and asked: stdin and stdout by default. */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Whether the question reader handles keys as a terminal does (Ctrl-C, Ctrl-D); by default, when `output` is a terminal. */
  terminal?: boolean;
  /**
   * No Slack or Notion call for this long means the bot is done (QUIET_MS by default, which covers
   * netlify dev starting a fresh worker for the next call); a sandbox serving the functions in
   * process can say less.
   */
  quietMs?: number;
}

/** Runs one command against the sandbox; returns the exit code. */
export async function runSlackCli(options: SlackCliOptions): Promise<number> {
  const say = (text = "") => void options.out.write(`${text}\n`);
  const refuse = (error: UsageError) => {
    say(error.message);
    say(NOTHING_SENT);
    return 2;
  };
  let parsed: ReturnType<typeof parseSlackFlags>;
  try {
    parsed = parseSlackFlags(options.argv);
  } catch (error) {
    if (error instanceof UsageError) return refuse(error);
    throw error;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === "help") {
    say(SLACK_USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  let kind: CommandKind;
  try {
    kind = checkArguments(command, rest, parsed.values);
  } catch (error) {
    if (error instanceof UsageError) return refuse(error);
    throw error;
  }

  const dir = sandboxDir(parsed.values.dir, options.env);
  const file = readSandboxFile(dir);
  const control = file && createSandboxControlClient(file.controlUrl);
  if (!file || !control || !(await control.activity().then(() => true, () => false))) {
    say("The sandbox isn't running. Start it in another terminal with: npm run sandbox");
    return 1;
  }

  const streams = { input: options.input ?? process.stdin, output: options.output ?? process.stdout, terminal: options.terminal };
  const session: Session = {
    file,
    control,
    quietMs: options.quietMs ?? QUIET_MS,
    flags: parsed.values,
    say,
    ask: options.interactive ? (question) => askLine(question, streams) : undefined,
  };
  try {
    switch (kind) {
      case "slash":
        return await slashCommand(session, command.startsWith("/") ? command : `/${command}`, rest.join(" "));
      case "shortcut":
        return await shortcut(session, rest[0]);
      case "click":
        return rest[0] === "home" ? await clickHome(session) : await click(session, rest[0] ?? "last");
      case "mention":
        return await mention(session, rest.join(" "));
      case "home":
        return await openHome(session);
      case "submit":
        return await submitOpenModal(session, rest[0] ?? "last");
      case "review":
        return await review(session);
      case "notion":
        return await notion(session, rest);
      case "sync":
        return await taskSync(session);
      case "state":
        return await showState(session);
    }
  } catch (error) {
    if (error instanceof UsageError) return refuse(error);
    if (error instanceof SandboxRefused) return refuse(new UsageError(`The sandbox refused it: ${error.message}.`));
    if (isUnanswered(error)) {
      // What was sent before the sandbox stopped answering is shown above: nothing can be said of the rest.
      say(`The sandbox stopped answering (${describeUnanswered(error)}): is npm run sandbox still running?`);
      return 1;
    }
    if (error instanceof FormLeftOpen) {
      say(error.message);
      say(
        `The form stays open in Slack (view ${error.viewId}); finish it with npm run slack -- submit ${error.viewId} ` +
          `(with input flags, or --submit to keep what it holds), or leave it.`,
      );
      return error.exitCode;
    }
    throw error;
  }
}

/** Whether a request found no one answering: fetch's network failure (refused, reset) or its timeout. */
function isUnanswered(error: unknown): boolean {
  return (error instanceof TypeError && error.message === "fetch failed") || (error instanceof Error && error.name === "TimeoutError");
}

function describeUnanswered(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  return code ?? cause?.message ?? "fetch failed";
}

await runIfMain(import.meta.url, ({ argv, out, env }) => {
  // Piped into `head`: stop quietly when the reader goes away.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return runSlackCli({ argv, out, env, interactive: process.stdin.isTTY === true });
});
