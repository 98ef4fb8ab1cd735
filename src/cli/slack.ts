/**
 * `npm run slack -- <command>`: plays Slack against the running sandbox (`npm run sandbox`). Each
 * command sends what Slack would send, signed, to the real functions under netlify dev, then shows
 * what the bot did: its answer, the modal it opened (filled and submitted from flags, or from
 * prompts in a terminal), what it posted, and what landed in Notion.
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import type { DataSourceObjectResponse } from "@notionhq/client";
import { isRecord } from "../../dev/is-record.js";
import { JSON_CONTENT, sendSigned, type SlackAnswer } from "../../dev/signed-request.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import {
  appHomeOpened,
  appMention,
  blockActions,
  clickHomeButton,
  eventBody,
  eventCallback,
  interactionBody,
  messageAction,
  payloadMessage,
  slashCommandBody,
  viewSubmission,
  type Person,
  type Place,
} from "../../dev/slack-payloads.js";
import { readEnv, type EnvSource } from "../env.js";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../features/process-reminder/reminder-message.js";
import { CREATE_TASK_FROM_MENTION_ACTION } from "../features/mention/answer-mention.js";
import { HOME_NEW_TASK_ACTION } from "../features/app-home/home-view.js";
import { buildTaskModal } from "../features/task-request/modal.js";
import { TASK_COMMAND } from "../features/task-request/request-task.js";
import { CREATE_TASK_CALLBACK_ID } from "../features/task-request/task-from-message.js";
import { detectBoard } from "../notion/board.js";
import { propertyText, type PagePropertyValue } from "../notion/properties.js";
import { routeFor, routes } from "../routes.js";
import { titleFrom } from "../tasks/task.js";
import { escapeMrkdwn } from "../slack/mrkdwn.js";
import { boxed, buttonsIn, renderMessage, type Button, type Directory } from "./block-kit-text.js";
import { propertyNamesFrom } from "./board-schema.js";
import { readManifest } from "./manifest.js";
import { checkInputs, fillInput, readModalInputs, renderModal, toStateValues, valueText, type ModalInput } from "./modal-form.js";
import type { Output } from "./report.js";
import {
  createSandboxControlClient,
  DEFAULT_NOTION_PERSON,
  type SandboxControlClient,
  type SandboxHome,
  type SandboxMessage,
  type SandboxPage,
  type SandboxResponse,
  type SandboxState,
  type SandboxView,
} from "./sandbox-control.js";
import { readSandboxFile, sandboxDir, type SandboxFile } from "./sandbox-file.js";
import { runIfMain } from "./script.js";

const USAGE = `Usage: npm run slack -- <command> [options]     (start the sandbox first: npm run sandbox)

Commands:
  /task [text]                 the slash command: /task "Fix login", /task list, /task help, /task review
  shortcut <callback_id>       a message shortcut (remind_process or create_task) on a message:
      --text "…"               the message: posted first by --author (default bob) in --channel
      --ts <ts>                or a message already there (see state)
      --thread <ts>            post --text as a reply in that thread
  mention "<text>"             @chatops <text> in --channel (or in --thread <ts>): help, list, review, or
                               anything else (the bot offers to make it a task)
  home                         open the bot's Home tab: what it shows the person (--as)
  click <ts|last|home>         press a button on a message (last: the newest message with buttons), or
                               on the person's Home tab (home)
      --button <n|label>       which button (default 1)
  submit [view id|last]        fill and submit a modal the bot opened (default: the last one)
  review                       run the scheduled weekly review now
  notion set-status "<title>" <status>
                               someone changes a task's status in Notion (Done, In progress…): Notion's
                               signed webhook event goes to the functions, and the requester hears back
      --by <name|bot>          who changes it: a Notion person (default Nora Notion), or bot (the integration)
  notion handshake             Notion's first request to a new webhook subscription
  sync                         run the hourly task sync now (status changes no event announced)
  state                        the board in Notion and the latest messages

Options:
  --as <user>                  who acts: alice (default) or bob, by name or id
  --channel <channel>          where: general (default) or tasks, by name or id
  --title, --description, --priority, --due <YYYY-MM-DD>
                               fill the modal's inputs (then it is submitted)
  --submit / --no-submit       submit the modal as it is / only show it
  --dir <path>                 the sandbox's state directory (default .sandbox, or SANDBOX_DIR)

Without input flags, in a terminal, the CLI asks for each input; otherwise it shows the modal and
says how to submit it. Every flag is checked before anything is sent (the inputs against the form
the bot will open, with the board's own priorities). Ctrl-C at a question leaves the modal open:
finish it with submit.`;

const FIELD_FLAGS = ["title", "description", "priority", "due"] as const;
/** The flags that fill or submit a modal: refused where no modal will open. */
const FORM_FLAGS = [...FIELD_FLAGS, "submit", "no-submit"] as const;

type FlagName = keyof Flags;
type CommandKind = "slash" | "shortcut" | "click" | "mention" | "home" | "submit" | "review" | "notion" | "sync" | "state";

/** The flags each command reads, besides --dir and --help: any other one is refused before anything is sent. */
const COMMAND_FLAGS: Record<CommandKind, readonly FlagName[]> = {
  slash: ["as", "channel", ...FORM_FLAGS],
  shortcut: ["as", "channel", "author", "text", "ts", "thread", ...FORM_FLAGS],
  click: ["as", "button", ...FORM_FLAGS],
  mention: ["as", "channel", "thread"],
  home: ["as"],
  submit: ["as", ...FORM_FLAGS],
  review: [],
  notion: ["by"],
  sync: [],
  state: [],
};

/** How many words may follow each command (a slash command's are its text). */
const MAX_POSITIONALS: Record<CommandKind, number> = { slash: Infinity, shortcut: 1, click: 1, mention: Infinity, home: 0, submit: 1, review: 0, notion: Infinity, sync: 0, state: 0 };

/** The buttons whose click opens the task form: the only ones form flags (--title, --submit…) can follow. */
const FORM_BUTTONS: ReadonlySet<string> = new Set([CREATE_TASK_FROM_REMINDER_ACTION, CREATE_TASK_FROM_MENTION_ACTION, HOME_NEW_TASK_ACTION]);

/** Exit code of a cancelled question (Ctrl-C, Ctrl-D), as a shell reports a Ctrl-C. */
const CANCELLED_EXIT = 130;

/** How long to wait for the bot's deferred work at most; it usually settles well within a second. */
const SETTLE_MAX_MS = 10_000;
/** No Slack or Notion call for this long means the bot is done. */
const QUIET_MS = 700;

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

type Flags = ReturnType<typeof parseFlags>["values"];

interface Session {
  file: SandboxFile;
  control: SandboxControlClient;
  /** No Slack or Notion call for this long means the bot is done (SlackCliOptions.quietMs). */
  quietMs: number;
  flags: Flags;
  say: (text?: string) => void;
  ask: ((question: string) => Promise<string>) | undefined;
}

/** A command or flag the CLI refuses, before anything is sent. */
class UsageError extends Error {}

/** A question was cancelled (Ctrl-C or Ctrl-D at a prompt). */
class Cancelled extends Error {}

/** The CLI stopped with a modal open in Slack, which the person can still finish or leave. */
class FormLeftOpen extends Error {
  constructor(
    message: string,
    readonly viewId: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      as: { type: "string" },
      channel: { type: "string" },
      author: { type: "string" },
      text: { type: "string" },
      ts: { type: "string" },
      thread: { type: "string" },
      button: { type: "string" },
      title: { type: "string" },
      description: { type: "string" },
      priority: { type: "string" },
      due: { type: "string" },
      submit: { type: "boolean" },
      "no-submit": { type: "boolean" },
      dir: { type: "string" },
      by: { type: "string" },
    },
  });
}

/** Runs one command against the sandbox; returns the exit code. */
export async function runSlackCli(options: SlackCliOptions): Promise<number> {
  const say = (text = "") => void options.out.write(`${text}\n`);
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(options.argv);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    say(USAGE);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === "help") {
    say(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  let kind: CommandKind;
  try {
    kind = checkArguments(command, rest, parsed.values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(error.message);
    say("Nothing was sent. See npm run slack -- help");
    return 2;
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
    if (error instanceof UsageError) {
      say(error.message);
      say("Nothing was sent. See npm run slack -- help");
      return 2;
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

/** The command's kind, once its words and flags are ones it takes; throws a UsageError otherwise. */
function checkArguments(command: string, rest: readonly string[], flags: Flags): CommandKind {
  const kind: string = command.startsWith("/") || command === "task" ? "slash" : command;
  if (!Object.hasOwn(COMMAND_FLAGS, kind)) throw new UsageError(`Unknown command ${command}.`);
  const known = kind as CommandKind;
  const shown = known === "slash" ? (command.startsWith("/") ? command : `/${command}`) : command;
  if (rest.length > MAX_POSITIONALS[known]) throw new UsageError(`${shown} takes ${MAX_POSITIONALS[known] === 0 ? "no argument" : "one argument"}: what is ${rest.slice(MAX_POSITIONALS[known]).join(" ")}?`);
  const given = (Object.keys(flags) as FlagName[]).filter((name) => flags[name] !== undefined && name !== "dir" && name !== "help");
  const unread = given.filter((name) => !COMMAND_FLAGS[known].includes(name));
  if (unread.length > 0) throw new UsageError(`${shown} does not take ${unread.map((name) => `--${name}`).join(", ")}.`);
  if (flags.submit && flags["no-submit"]) throw new UsageError("--submit and --no-submit say opposite things: pass one.");
  if (known === "shortcut" && flags.ts !== undefined) {
    const forNew = (["text", "author", "thread", "channel"] as const).filter((name) => flags[name] !== undefined);
    if (forNew.length > 0) throw new UsageError(`--ts picks a message already there; ${forNew.map((name) => `--${name}`).join(", ")} describe a new one: pass one or the other.`);
  }
  if (known === "shortcut" && flags.text === undefined && (flags.author !== undefined || flags.thread !== undefined)) {
    throw new UsageError("--author and --thread describe the message --text posts: pass --text too.");
  }
  return known;
}

/**
 * Asks one question on a reader of its own, so that between questions Ctrl-C stops the process as
 * usual. Ctrl-C or Ctrl-D at the question (or the end of the input) rejects with Cancelled.
 */
async function askLine(question: string, streams: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: boolean | undefined }): Promise<string> {
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

// ---------------------------------------------------------------------------------------------
// Commands

async function slashCommand(session: Session, command: string, text: string): Promise<number> {
  const declared = (readManifest().features.slash_commands ?? []).map((entry) => entry.command);
  if (!declared.includes(command)) throw new UsageError(`Slack would say "${command} is not a valid command": the app declares ${declared.join(", ")}.`);
  const before = await session.control.state();
  const user = resolveUser(before, session.flags.as ?? "alice");
  const channel = resolveChannel(before, session.flags.channel ?? "general");
  // The bot opens the task form for any text but a subcommand's word (routes.ts: commandRoute).
  const subcommands = routeFor(routes.command, command)?.subcommands ?? {};
  const opensForm = command === TASK_COMMAND && routeFor(subcommands, text.trim().toLowerCase()) === undefined;
  await checkFormFlags(session, opensForm ? { title: titleFrom(text.trim()) } : undefined, `${command}${text.trim() ? ` ${text.trim()}` : ""}`);
  const triggerId = await session.control.triggerId(user.id);
  const responseUrl = await session.control.responseUrl({ channel: channel.id, user: user.id });
  session.say(`→ @${user.name} in #${channel.name}: ${command}${text ? ` ${text}` : ""}`);
  // Slack escapes &, < and > in a command's text (manifest.yml leaves mentions as typed: should_escape false).
  const sent = escapeMrkdwn(text);
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/commands`, slashCommandBody({ workspace: session.file, command, text: sent, user, channel, triggerId, responseUrl }), {
    secret: session.file.signingSecret,
  });
  printAnswer(session, answer, directoryOf(before));
  return afterRequest(session, before, { answer, triggerId, user, expectEffect: true });
}

async function shortcut(session: Session, callbackId: string | undefined): Promise<number> {
  const declared = (readManifest().features.shortcuts ?? []).filter((entry) => entry.type === "message").map((entry) => entry.callback_id);
  if (!callbackId || !declared.includes(callbackId)) {
    throw new UsageError(`${callbackId ? `The app has no message shortcut ${callbackId}` : "Which shortcut?"}: ${declared.join(" or ")}.`);
  }
  const before = await session.control.state();
  const directory = directoryOf(before);
  const user = resolveUser(before, session.flags.as ?? "alice");
  let message: SandboxMessage;
  if (session.flags.ts) {
    const found = before.messages.find((m) => m.ts === session.flags.ts && m.kind === "message");
    if (!found) throw new UsageError(`No message with ts ${session.flags.ts}: see npm run slack -- state`);
    await checkFormFlags(session, callbackId === CREATE_TASK_CALLBACK_ID ? {} : undefined, `the shortcut ${callbackId}`);
    message = found;
  } else {
    const text = session.flags.text;
    if (!text) throw new UsageError('Which message? Pass --text "…" (or --ts of a message already there).');
    const author = resolveUser(before, session.flags.author ?? "bob");
    const channel = resolveChannel(before, session.flags.channel ?? "general");
    const thread = session.flags.thread;
    if (thread !== undefined && !before.messages.some((m) => m.ts === thread && m.channel === channel.id && m.kind === "message")) {
      throw new UsageError(`No message ${thread} in #${channel.name} to reply to: see npm run slack -- state`);
    }
    // The message is the first thing sent: every check comes before it.
    await checkFormFlags(session, callbackId === CREATE_TASK_CALLBACK_ID ? {} : undefined, `the shortcut ${callbackId}`);
    message = await session.control.postUserMessage({ channel: channel.id, author: author.id, text: asTyped(text, before), thread_ts: session.flags.thread });
    session.say(`@${author.name} wrote in ${placeOf(message, directory)}:`);
    for (const line of text.split("\n")) session.say(`    ${line}`);
  }
  const channel = { id: message.channel, name: directory.channels.get(message.channel) ?? message.channel };
  const triggerId = await session.control.triggerId(user.id);
  const responseUrl = await session.control.responseUrl({ channel: channel.id, user: user.id });
  session.say(`→ @${user.name} uses the shortcut ${callbackId} on that message`);
  const payload = messageAction({ workspace: session.file, callbackId, user, channel, message: payloadMessage(message), triggerId, responseUrl });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
  printAnswer(session, answer, directory);
  // The posted message is the person's, already shown: only what the bot did follows.
  return afterRequest(session, { ...before, messages: [...before.messages, message] }, { answer, triggerId, user, expectEffect: true });
}

async function click(session: Session, target: string): Promise<number> {
  const before = await session.control.state();
  const directory = directoryOf(before);
  const user = resolveUser(before, session.flags.as ?? "alice");
  const withButtons = before.messages.filter((m) => buttonsIn(m.blocks).length > 0 && (m.kind === "message" || m.user === user.id));
  const message = target === "last" ? withButtons.at(-1) : before.messages.find((m) => m.ts === target);
  if (!message) throw new UsageError(target === "last" ? "No message with a button yet." : `No message with ts ${target}: see npm run slack -- state`);
  const buttons = buttonsIn(message.blocks);
  const button = pickButton(buttons, session.flags.button ?? "1");
  await checkFormFlags(session, FORM_BUTTONS.has(button.actionId) && !button.url ? {} : undefined, `[${button.label}]`);
  const channel = { id: message.channel, name: directory.channels.get(message.channel) ?? message.channel };
  session.say(`→ @${user.name} presses [${button.label}] on the message ${message.ts} in ${placeOf(message, directory)}`);
  if (button.url) session.say(`  (Slack also opens ${button.url} in the browser)`);
  const triggerId = await session.control.triggerId(user.id);
  const responseUrl = await session.control.responseUrl({ channel: channel.id, user: user.id });
  const payload = blockActions({
    workspace: session.file,
    user,
    channel,
    message: payloadMessage(message),
    ephemeral: message.kind === "ephemeral",
    action: { action_id: button.actionId, text: button.label, value: button.value, block_id: button.blockId, url: button.url },
    triggerId,
    responseUrl,
  });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
  printAnswer(session, answer, directory);
  return afterRequest(session, before, { answer, triggerId, user, expectEffect: !button.url });
}

async function mention(session: Session, text: string): Promise<number> {
  const before = await session.control.state();
  const directory = directoryOf(before);
  const user = resolveUser(before, session.flags.as ?? "alice");
  const channel = resolveChannel(before, session.flags.channel ?? "general");
  // The message as Slack stores it, then the event Slack sends about it.
  const said = asTyped(text, before);
  const message = await session.control.postUserMessage({ channel: channel.id, author: user.id, text: `<@${SLACK_SEED.botUserId}> ${said}`, thread_ts: session.flags.thread });
  session.say(`@${user.name} wrote in ${placeOf(message, directory)}:`);
  session.say(`    @chatops ${text}`);
  const event = eventCallback(appMention({ text: said, user: user.id, channel: channel.id, ts: message.ts, ...(session.flags.thread ? { threadTs: session.flags.thread } : {}) }), { workspace: session.file });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/events`, eventBody(event), { secret: session.file.signingSecret, headers: JSON_CONTENT });
  printEventAnswer(session, answer);
  return afterRequest(session, { ...before, messages: [...before.messages, message] }, { answer, triggerId: "", user, expectEffect: true });
}

/** How long the Home tab may take to be published: Slack's 3 s, and some for netlify dev. */
const HOME_WAIT_MS = 5_000;
/** No Slack or Notion call this long after the event: the bot is not publishing (its first read comes well before). */
const HOME_IDLE_MS = 1_500;

async function openHome(session: Session): Promise<number> {
  const before = await session.control.state();
  const user = resolveUser(before, session.flags.as ?? "alice");
  const previous = homeOf(before, user.id);
  session.say(`→ @${user.name} opens the bot's Home tab`);
  const event = eventCallback(appHomeOpened({ user: user.id }), { workspace: session.file });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/events`, eventBody(event), { secret: session.file.signingSecret, headers: JSON_CONTENT });
  printEventAnswer(session, answer);
  if (answer.status !== 200) return 1;
  // A tab refreshed less than a minute ago is not read again: no call at all comes, and that is the answer.
  const after = await settle(session, { until: (state) => homeOf(state, user.id)?.hash !== previous?.hash, maxMs: HOME_WAIT_MS, idleMs: HOME_IDLE_MS });
  const home = homeOf(after, user.id);
  session.say();
  if (!home) {
    session.say("The bot published nothing: the function's log line in the sandbox's output says why.");
    return 1;
  }
  session.say(
    home.hash === previous?.hash
      ? `Nothing new was published: the bot refreshes a tab at most once a minute when it is opened ([Refresh] on it does it now). @${user.name}'s tab as last published:`
      : `The bot published @${user.name}'s Home tab:`,
  );
  printHome(session, home, directoryOf(after));
  session.say("Press its buttons with: npm run slack -- click home --button <n|label>");
  return 0;
}

async function clickHome(session: Session): Promise<number> {
  const before = await session.control.state();
  const user = resolveUser(before, session.flags.as ?? "alice");
  const home = homeOf(before, user.id);
  if (!home) throw new UsageError(`@${user.name} has no Home tab yet: npm run slack -- home --as ${user.name}`);
  const button = pickButton(buttonsIn(home.view.blocks as unknown[]), session.flags.button ?? "1");
  session.say(`→ @${user.name} presses [${button.label}] on their Home tab`);
  if (button.url) session.say(`  (Slack also opens ${button.url} in the browser)`);
  const triggerId = await session.control.triggerId(user.id);
  const payload = clickHomeButton(home, button.actionId, { triggerId, workspace: session.file, user });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
  printAnswer(session, answer, directoryOf(before));
  return afterRequest(session, before, { answer, triggerId, user, expectEffect: !button.url });
}

function homeOf(state: SandboxState, userId: string): SandboxHome | undefined {
  return state.homes.find((home) => home.user === userId);
}

function printHome(session: Session, home: SandboxHome, directory: Directory): void {
  const blocks = Array.isArray(home.view.blocks) ? (home.view.blocks as unknown[]) : [];
  for (const line of boxed("Home", renderMessage({ text: "", blocks }, directory))) session.say(`  ${line}`);
}

function printEventAnswer(session: Session, answer: SlackAnswer): void {
  if (answer.status === 200 && answer.text === "") session.say("← 200, empty: the event is acknowledged; the bot does its work after answering");
  else printAnswer(session, answer, { users: new Map(), channels: new Map() });
}

async function submitOpenModal(session: Session, target: string): Promise<number> {
  const state = await session.control.state();
  const forms = state.views.filter((view) => readModalInputs(view.view).length > 0);
  const view = target === "last" ? forms.at(-1) : state.views.find((v) => v.id === target);
  if (!view) throw new UsageError(target === "last" ? "The bot has not opened a modal with inputs yet." : `No modal ${target}.`);
  const user = resolveUser(state, session.flags.as ?? view.user ?? "alice");
  return fillAndSubmit(session, state, view, user, `The modal ${view.id}, open for @${user.name}:`);
}

async function review(session: Session): Promise<number> {
  const before = await session.control.state();
  session.say("→ Netlify's scheduler runs weekly-reminder (as it does on Monday mornings)");
  const response = await runScheduled(session, "weekly-reminder", 7 * 86_400_000);
  const text = (await response.text()).trim();
  // netlify dev does not pass a scheduled function's answer on: what the function did shows in Slack.
  session.say(`← ${response.status}${text ? ` ${text}` : ""}`);
  const channel = session.file.env.SLACK_REVIEW_CHANNEL_ID;
  const after = await settle(session, { until: (state) => state.messages.length > before.messages.length, maxMs: SETTLE_MAX_MS });
  printChanges(session, before, after, {});
  if (after.messages.slice(before.messages.length).some((message) => message.channel === channel)) return 0;
  session.say("Nothing was posted: the function's log line in the sandbox's output says why.");
  return 1;
}

async function notion(session: Session, args: string[]): Promise<number> {
  const [action, title, ...status] = args;
  if (action === "handshake") {
    session.say("→ Notion sends its handshake to /notion/webhooks (unsigned, carrying the verification token)");
    const delivery = await session.control.notionHandshake();
    session.say(`← ${delivery.status ?? delivery.error}: the sandbox's secret is set already, so the token is not kept (the function log says so)`);
    return delivery.status === 200 ? 0 : 1;
  }
  if (action !== "set-status" || !title || status.length === 0) throw new UsageError('Try: notion set-status "<title>" Done (or notion handshake).');
  const before = await session.control.state();
  const by = session.flags.by;
  const who = by === "bot" ? "The integration (the bot's own API write)" : (by ?? DEFAULT_NOTION_PERSON);
  session.say(`→ ${who} sets "${title}" to ${status.join(" ")} in Notion`);
  const { page, delivery } = await session.control.setNotionStatus({ title, status: status.join(" "), by });
  if (!delivery) session.say("  Notion's webhook subscription is off: nothing was sent.");
  else session.say(`← Notion's ${delivery.type} event (${delivery.event_id ?? "no id"}) answered ${delivery.status ?? delivery.error}`);
  // A person's change is announced (a message follows); the bot's own is not, so only quiet is awaited.
  const announced = delivery?.status === 200 && by !== "bot";
  const after = await settle(session, { ...(announced ? { until: (state: SandboxState) => state.messages.length > before.messages.length } : {}), maxMs: announced ? SETTLE_MAX_MS : 2_000 });
  printChanges(session, before, after, {});
  if (after.messages.length === before.messages.length) session.say(`Nothing was posted about ${describePage(page).split(" · ")[0]}: the sandbox's output has the function's task_status.event line saying why.`);
  return delivery?.status === 200 ? 0 : 1;
}

async function taskSync(session: Session): Promise<number> {
  const before = await session.control.state();
  session.say("→ Netlify's scheduler runs task-sync (as it does every hour)");
  const response = await runScheduled(session, "task-sync", 3_600_000);
  const text = (await response.text()).trim();
  session.say(`← ${response.status}${text ? ` ${text}` : ""}`);
  const after = await settle(session, { maxMs: SETTLE_MAX_MS });
  printChanges(session, before, after, {});
  if (after.messages.length === before.messages.length) session.say("Nothing was posted: every change had been announced already (the function's task_sync line has the counts).");
  return response.status === 200 ? 0 : 1;
}

/** Invokes a scheduled function as Netlify's scheduler does, with its next run `intervalMs` away. */
function runScheduled(session: Session, name: string, intervalMs: number): Promise<Response> {
  return fetch(`${session.file.functionsUrl}/.netlify/functions/${name}`, {
    method: "POST",
    // Netlify's scheduler calls with this user agent; netlify dev then skips its "won't work in production" notice.
    headers: { "content-type": "application/json", "user-agent": "Netlify Clockwork" },
    body: JSON.stringify({ next_run: new Date(Date.now() + intervalMs).toISOString() }),
    signal: AbortSignal.timeout(30_000),
  });
}

async function showState(session: Session): Promise<number> {
  const state = await session.control.state();
  const directory = directoryOf(state);
  const pages = state.pages.filter((page) => !page.in_trash);
  session.say(`Notion board "Tasks" (${pages.length} tasks):`);
  for (const page of pages) session.say(`  ${describePage(page)}`);
  const latest = state.messages.slice(-8);
  session.say();
  session.say(latest.length === 0 ? "Nothing posted in Slack yet." : `Latest in Slack (${latest.length} of ${state.messages.length}):`);
  for (const message of latest) printMessage(session, message, directory);
  const responses = state.responses.slice(-3);
  if (responses.length > 0) {
    session.say();
    session.say("Latest answers through a response_url (since the sandbox started):");
    for (const response of responses) printResponse(session, response, directory);
  }
  const lastModal = state.views.at(-1);
  if (lastModal) {
    session.say();
    session.say(`Last modal the bot opened: ${lastModal.id} "${titleOf(lastModal)}" (npm run slack -- submit ${lastModal.id})`);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// What follows a request: the bot's work, a modal to fill

interface Sent {
  answer: SlackAnswer;
  /** The trigger_id sent: a modal opened with it is this request's. */
  triggerId: string;
  user: Person;
  /** Whether the bot should do something visible after an empty answer (a modal, a post); else only wait for quiet. */
  expectEffect: boolean;
}

async function afterRequest(session: Session, before: SandboxState, sent: Sent): Promise<number> {
  const opened = (state: SandboxState) => state.views.find((view) => view.trigger_id === sent.triggerId);
  const posted = (state: SandboxState) => state.messages.length > before.messages.length || state.responses.length > before.responses.length;
  const waitForEffect = sent.expectEffect && sent.answer.status === 200 && !hasVisibleAnswer(sent.answer);
  const after = await settle(session, {
    ...(waitForEffect ? { until: (state: SandboxState) => opened(state) !== undefined || posted(state) } : {}),
    maxMs: waitForEffect ? SETTLE_MAX_MS : 1_500,
  });
  const modal = opened(after);
  printChanges(session, before, after, { skipView: modal?.id });
  if (sent.answer.status !== 200) return 1;
  if (!modal) return 0;
  return fillAndSubmit(session, after, modal, sent.user, `The bot opened a modal (${modal.id}) for @${sent.user.name}:`);
}

function hasVisibleAnswer(answer: SlackAnswer): boolean {
  return answer.json !== undefined && (typeof answer.json.text === "string" || Array.isArray(answer.json.blocks));
}

/** Shows the modal, fills it (flags or prompts), submits it like Slack, and shows what came of it. */
async function fillAndSubmit(session: Session, state: SandboxState, view: SandboxView, user: Person, heading: string): Promise<number> {
  const directory = directoryOf(state);
  const fromFlags = fillFromFlags(session.flags, readModalInputs(view.view));
  // Checked before sending too (checkFormFlags), against the form the bot was expected to open.
  if (fromFlags.problems.length > 0) throw new FormLeftOpen(`${fromFlags.problems.join("; ")}.`, view.id, 2);
  let inputs = fromFlags.inputs;
  const given = FIELD_FLAGS.filter((name) => session.flags[name] !== undefined);
  session.say();
  session.say(heading);
  for (const line of renderModal(view.view, { inputs, directory })) session.say(`  ${line}`);

  const submitNow = session.flags.submit === true || given.length > 0;
  if (session.flags["no-submit"] || (!submitNow && !session.ask)) {
    session.say(`It stays open. To submit it: npm run slack -- submit ${view.id} --title "…" (or --submit to keep what it holds)`);
    return 0;
  }
  let errors: Record<string, string> = {};
  for (;;) {
    if (!submitNow || Object.keys(errors).length > 0) {
      if (!session.ask) return 1;
      let confirm: string;
      try {
        inputs = await promptInputs(session, inputs, errors);
        confirm = (await session.ask(`${plainTextOf(view.view.submit) ?? "Submit"}? [Y/n] `)).trim().toLowerCase();
      } catch (error) {
        if (error instanceof Cancelled) throw new FormLeftOpen(error.message, view.id, CANCELLED_EXIT);
        throw error;
      }
      if (confirm === "n" || confirm === "no") {
        session.say("Closed without submitting.");
        return 0;
      }
    }
    const problems = checkInputs(inputs);
    if (problems.length > 0) {
      if (!session.ask) throw new FormLeftOpen(`Slack won't submit this: ${problems.join("; ")}.`, view.id, 1);
      session.say(`Slack won't submit this: ${problems.join("; ")}.`);
      errors = {};
      continue;
    }
    const before = await session.control.state();
    const filled = inputs.filter((input) => valueText(input) !== "").map((input) => `${input.label} = ${JSON.stringify(valueText(input))}`);
    session.say(`→ @${user.name} presses [${plainTextOf(view.view.submit) ?? "Submit"}]${filled.length > 0 ? ` with ${filled.join(", ")}` : ""}`);
    const payload = viewSubmission({ workspace: session.file, user, view, values: toStateValues(inputs), triggerId: await session.control.triggerId(user.id) });
    const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
    const action = typeof answer.json?.response_action === "string" ? answer.json.response_action : undefined;
    if (answer.status !== 200) {
      session.say(`← ${answer.status} ${answer.text.slice(0, 500)}: Slack would show "We had some trouble connecting".`);
      return 1;
    }
    if (action === "errors") {
      errors = readErrors(answer.json?.errors);
      session.say("← 200: the modal stays open with errors:");
      for (const line of renderModal(view.view, { inputs, errors, directory })) session.say(`  ${line}`);
      if (!session.ask) return 1;
      continue;
    }
    if ((action === "update" || action === "push") && isRecord(answer.json?.view)) {
      session.say(`← 200: the modal ${action === "update" ? "now shows" : "pushes"}:`);
      for (const line of renderModal(answer.json.view, { directory })) session.say(`  ${line}`);
    } else {
      session.say("← 200: the modal closes.");
    }
    const after = await settle(session, {
      until: (now) => now.messages.length > before.messages.length || now.responses.length > before.responses.length,
      maxMs: SETTLE_MAX_MS,
    });
    printChanges(session, before, after, {});
    return 0;
  }
}

async function promptInputs(session: Session, inputs: ModalInput[], errors: Record<string, string>): Promise<ModalInput[]> {
  const ask = session.ask!;
  const filled = [...inputs];
  const onlyErrors = Object.keys(errors).length > 0;
  session.say('Fill in the modal: Enter keeps what is shown in [brackets], "-" empties it.');
  for (const [index, input] of filled.entries()) {
    if (input.kind === "unsupported" || (onlyErrors && !errors[input.blockId])) continue;
    for (;;) {
      const choices = input.kind === "select" ? ` (${input.options.map((o, i) => `${i + 1} ${o.label}`).join(", ")})` : input.kind === "date" ? " (YYYY-MM-DD)" : "";
      const answer = await ask(`${input.label}${input.optional ? " (optional)" : ""}${choices} [${valueText(input)}]: `);
      if (answer === "") break;
      const result = fillInput(input, answer.trim() === "-" ? "" : input.kind === "text" ? answer.replaceAll("\\n", "\n") : answer);
      if (result.ok) {
        filled[index] = result.input;
        break;
      }
      session.say(`  ${result.problem}`);
    }
  }
  return filled;
}

/** The inputs with each input flag's value put in, and what cannot go in (a flag the form has no input for, a value it refuses). */
function fillFromFlags(flags: Flags, inputs: readonly ModalInput[]): { inputs: ModalInput[]; filled: ModalInput[]; problems: string[] } {
  const result = [...inputs];
  const filled: ModalInput[] = [];
  const problems: string[] = [];
  for (const name of FIELD_FLAGS) {
    const text = flags[name];
    if (text === undefined) continue;
    const index = result.findIndex((input) => matchesFlag(input, name));
    if (index === -1) {
      problems.push(`This modal has no ${name} input`);
      continue;
    }
    const outcome = fillInput(result[index]!, text);
    if (!outcome.ok) {
      problems.push(outcome.problem);
      continue;
    }
    result[index] = outcome.input;
    filled.push(outcome.input);
  }
  return { inputs: result, filled, problems };
}

/**
 * Refuses, before anything is sent, form flags where no form will open (`prefill` undefined), and
 * values the task form the bot will open would not take: a priority the board does not offer, a due
 * date that is no date, a text over its limit. When the title the bot puts in is known (`/task`), a
 * form to be submitted without one is refused too, as Slack's client would.
 */
async function checkFormFlags(session: Session, prefill: { title?: string } | undefined, what: string): Promise<void> {
  const given = FORM_FLAGS.filter((name) => session.flags[name] !== undefined);
  if (given.length === 0) return;
  if (prefill === undefined) throw new UsageError(`${what} opens no form: ${given.map((name) => `--${name}`).join(", ")} would have nothing to fill or submit.`);
  const { inputs, filled, problems } = fillFromFlags(session.flags, await expectedTaskForm(session, prefill.title));
  if (problems.length > 0) throw new UsageError(`${problems.join("; ")}.`);
  const submitting = !session.flags["no-submit"] && given.some((name) => name !== "no-submit");
  const refused = checkInputs(submitting && prefill.title !== undefined ? inputs : filled);
  if (refused.length > 0) throw new UsageError(`Slack won't submit this: ${refused.join("; ")}.`);
}

/** The task form as the bot will open it: with the board's priorities, read as the bot reads them, and `title`. */
async function expectedTaskForm(session: Session, title: string | undefined): Promise<ModalInput[]> {
  const board = await session.control.board();
  const names = propertyNamesFrom(readEnv([], session.file.env));
  // The board comes from the Notion emulator, in Notion's own shapes.
  const priorities = detectBoard(board as unknown as Pick<DataSourceObjectResponse, "id" | "url" | "properties">, names).priority?.options;
  return readModalInputs(buildTaskModal({ title, priorities, metadata: {} }) as unknown as Record<string, unknown>);
}

function matchesFlag(input: ModalInput, name: string): boolean {
  const slug = input.label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return input.blockId === name || slug === name || slug.startsWith(`${name}-`);
}

function readErrors(raw: unknown): Record<string, string> {
  if (!isRecord(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

// ---------------------------------------------------------------------------------------------
// Waiting for the bot and showing what it did

/**
 * Waits until `until` holds (if given) and no Slack or Notion call has happened for QUIET_MS, or
 * maxMs; with `idleMs`, also gives up when nothing at all has happened for that long since the
 * start (the bot decided to do nothing, as when a Home tab is not yet due for a refresh).
 */
async function settle(session: Pick<Session, "control" | "quietMs">, options: { until?: (state: SandboxState) => boolean; maxMs: number; idleMs?: number }): Promise<SandboxState> {
  const { control } = session;
  const started = Date.now();
  let activity = await control.activity();
  let changedAt = started;
  let state = await control.state();
  let satisfied = options.until ? options.until(state) : true;
  while (Date.now() - started < options.maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await control.activity();
    if (now !== activity) {
      activity = now;
      changedAt = Date.now();
      if (!satisfied) {
        state = await control.state();
        satisfied = options.until!(state);
      }
    }
    if (satisfied && Date.now() - changedAt >= session.quietMs) break;
    if (options.idleMs !== undefined && changedAt === started && Date.now() - started >= options.idleMs) break;
  }
  return control.state();
}

function printAnswer(session: Session, answer: SlackAnswer, directory: Directory): void {
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

function printChanges(session: Session, before: SandboxState, after: SandboxState, options: { skipView?: string | undefined }): void {
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

function printMessage(session: Session, message: SandboxMessage, directory: Directory, edited = false): void {
  const who = message.author ? `@${directory.users.get(message.author) ?? message.author}` : "the bot";
  const where = message.kind === "ephemeral" ? `only @${directory.users.get(message.user ?? "") ?? message.user} sees this in ${placeOf(message, directory)}` : placeOf(message, directory);
  session.say(`  ${edited ? "edited: " : ""}${who} in ${where} (ts ${message.ts}):`);
  for (const line of renderMessage(message, directory)) session.say(`    ${line}`);
}

function printResponse(session: Session, response: SandboxResponse, directory: Directory): void {
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

function placeOf(message: { channel: string; thread_ts?: string | undefined; ts: string }, directory: Directory): string {
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

// ---------------------------------------------------------------------------------------------
// Helpers

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

function directoryOf(state: SandboxState): Directory {
  return {
    users: new Map(state.users.map((user) => [user.id, user.name])),
    channels: new Map(state.channels.map((channel) => [channel.id, channel.name])),
  };
}

function resolveUser(state: SandboxState, wanted: string): Person {
  const key = wanted.replace(/^@/, "").toLowerCase();
  const user = state.users.find((u) => u.id.toLowerCase() === key || u.name.toLowerCase() === key);
  if (!user) throw new UsageError(`No user ${wanted} in the sandbox: ${state.users.map((u) => u.name).join(", ")}.`);
  return { id: user.id, name: user.name };
}

function resolveChannel(state: SandboxState, wanted: string): Place {
  const key = wanted.replace(/^#/, "").toLowerCase();
  const channel = state.channels.find((c) => c.id.toLowerCase() === key || c.name.toLowerCase() === key);
  if (!channel) throw new UsageError(`No channel ${wanted} in the sandbox: ${state.channels.filter((c) => !c.id.startsWith("D")).map((c) => c.name).join(", ")}.`);
  return { id: channel.id, name: channel.name };
}

function pickButton(buttons: readonly Button[], wanted: string): Button {
  const byNumber = /^\d+$/.test(wanted) ? buttons[Number(wanted) - 1] : undefined;
  const button = byNumber ?? buttons.find((b) => b.label.toLowerCase().includes(wanted.toLowerCase()) || b.actionId === wanted);
  if (!button) throw new UsageError(`No button ${wanted}: ${buttons.map((b, i) => `${i + 1} ${b.label}`).join(", ")}.`);
  return button;
}

function titleOf(view: SandboxView): string {
  return plainTextOf(view.view.title) ?? "Modal";
}

function plainTextOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === "string" ? value.text : undefined;
}

function asBlocks(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

await runIfMain(import.meta.url, ({ argv, out, env }) => {
  // Piped into `head`: stop quietly when the reader goes away.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return runSlackCli({ argv, out, env, interactive: process.stdin.isTTY === true });
});
