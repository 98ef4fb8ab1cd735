/**
 * `npm run discord -- <command>`: plays Discord against the running sandbox (`npm run sandbox`), as
 * `npm run slack` plays Slack. Each command is an interaction as Discord sends it (`/task`, the
 * message commands, a button, a modal submitted), signed with the sandbox's Discord key and POSTed
 * to the functions' /discord/interactions (sandbox-discord.ts); the CLI then shows the bot's answer
 * as Discord's client would, and what the bot posted or edited afterwards, and what landed in Notion.
 */
import type { EnvSource } from "../env.js";
import { MESSAGE_COMMANDS } from "../platforms/discord/parse-interaction.js";
import { didYouMean } from "./closest.js";
import { checkDiscordArguments, DISCORD_FIELD_FLAGS, DISCORD_USAGE, parseDiscordFlags, UsageError, type DiscordCommandKind, type DiscordFlags } from "./discord-arguments.js";
import {
  answerLines,
  buttonsOf,
  checkFields,
  describeMessage,
  fillField,
  modalLines,
  nameOf,
  readModal,
  seenBy,
  submittedValues,
  whereOf,
  type GuildInteraction,
  type GuildMessage,
  type GuildState,
  type ModalField,
  type Named,
} from "./discord-print.js";
import { linkToSandbox } from "./discord-link.js";
import { DiscordActRefused, failureOf, type DiscordAct, type DiscordOutcome } from "./sandbox-discord.js";
import type { Output } from "./report.js";
import { SandboxRefused, type SandboxPage } from "./sandbox-control.js";
import { runIfMain } from "./script.js";
import { askLine, CANCELLED_EXIT, Cancelled } from "./slack-session.js";
import { describePage } from "./slack-print.js";
import { QUIET_MS, SETTLE_MAX_MS } from "./slack-settle.js";

const NOTHING_SENT = "Nothing was sent. See npm run discord -- help";

export type { DiscordAct, DiscordOutcome } from "./sandbox-discord.js";
export { DiscordActRefused } from "./sandbox-discord.js";

/**
 * What the CLI needs of a running Discord (the sandbox's emulator and functions): the guild's state,
 * a person's message, an act sent signed, and a counter to wait for quiet. discord-link.ts builds it
 * from the sandbox file; a test builds it over the handler directly.
 */
export interface DiscordLink {
  state(): Promise<GuildState>;
  postMessage(message: { channel: string; author: string; content: string }): Promise<GuildMessage>;
  send(act: DiscordAct): Promise<DiscordOutcome>;
  /** A counter that moves on every emulator call; `busy`, when the functions can say, is their work under way. */
  activity(): Promise<{ activity: number; busy?: number | undefined }>;
  /** The board's pages, to show what landed in Notion. */
  pages(): Promise<SandboxPage[]>;
}

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

interface Run {
  link: DiscordLink;
  flags: DiscordFlags;
  quietMs: number;
  say: (text?: string) => void;
  ask: ((question: string) => Promise<string>) | undefined;
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

// ---------------------------------------------------------------------------------------------
// Commands

/** `/task [text]`: the slash command with its text option, then the modal it opens, if any. */
async function slashTask(run: Run, text: string): Promise<number> {
  const before = await run.link.state();
  const user = person(before, run.flags.as ?? "alice");
  const channel = place(before, run.flags.channel ?? "general");
  // The routing table's /task words (list, review, help) answer without a form.
  if (["list", "review", "help"].includes(text.trim().toLowerCase())) refuseFormFlags(run, `/task ${text.trim()}`);
  run.say(`→ @${user.name} in #${channel.name}: /task${text ? ` text:${text}` : ""}`);
  return afterAct(run, before, user, { kind: "command", user: user.id, channel: channel.id, text });
}

/** `remind` / `create`: a MESSAGE command on a message already there (its id, or last) or posted first (--text). */
async function messageCommand(run: Run, kind: "remind" | "create", target: string | undefined): Promise<number> {
  const name = Object.keys(MESSAGE_COMMANDS).find((key) => MESSAGE_COMMANDS[key as keyof typeof MESSAGE_COMMANDS] === (kind === "remind" ? "remind_process" : "create_task"))!;
  if (kind === "remind") refuseFormFlags(run, `"${name}"`);
  let before = await run.link.state();
  const user = person(before, run.flags.as ?? "alice");
  let message: GuildMessage;
  if (run.flags.text !== undefined) {
    const author = person(before, run.flags.author ?? "bob");
    const channel = place(before, run.flags.channel ?? "general");
    message = await run.link.postMessage({ channel: channel.id, author: author.id, content: run.flags.text });
    run.say(`@${author.name} wrote in #${channel.name} (id ${message.id}):`);
    for (const line of run.flags.text.split("\n")) run.say(`    ${line}`);
    before = await run.link.state();
  } else if (target === "last") {
    const channel = run.flags.channel === undefined ? undefined : place(before, run.flags.channel);
    const found = before.messages.findLast((m) => m.author !== before.botId && (channel === undefined || m.channel === channel.id));
    if (!found) throw new UsageError(`No message by a person${channel ? ` in #${channel.name}` : ""} yet: post one with --text "…".`);
    message = found;
  } else {
    const found = before.messages.find((m) => m.id === target);
    if (!found) throw new UsageError(`No message ${target}: see npm run discord -- state`);
    message = found;
  }
  if (!seenBy(message, user.id, before)) throw new UsageError(`@${user.name} can't see the message ${message.id}. --as picks who acts.`);
  run.say(`→ @${user.name} uses Apps → "${name}" on @${nameOf(message.author, before)}'s message ${message.id} in ${whereOf(message.channel, before)}`);
  return afterAct(run, before, user, { kind: "message_command", user: user.id, name, message: message.id });
}

/** `click <label|n>`: a button on the newest message showing one to the person (or on --message). */
async function click(run: Run, wanted: string): Promise<number> {
  const before = await run.link.state();
  const user = person(before, run.flags.as ?? "alice");
  const visible = before.messages.filter((m) => seenBy(m, user.id, before) && buttonsOf(m.components).length > 0);
  let message: GuildMessage | undefined;
  if (run.flags.message !== undefined) {
    message = before.messages.find((m) => m.id === run.flags.message);
    if (!message) throw new UsageError(`No message ${run.flags.message}: see npm run discord -- state`);
    if (!seenBy(message, user.id, before)) throw new UsageError(`@${user.name} can't see the message ${message.id}: it is someone else's. --as picks who presses.`);
  } else {
    message = visible.findLast((m) => pick(buttonsOf(m.components), wanted) !== undefined);
    if (!message) {
      const labels = [...new Set(visible.flatMap((m) => buttonsOf(m.components).map((b) => b.label)))];
      throw new UsageError(`No message shows @${user.name} a button ${wanted}${labels.length > 0 ? `: there are ${labels.join(", ")}.${didYouMean(wanted, labels)}` : " (no message with buttons yet)."}`);
    }
  }
  const buttons = buttonsOf(message.components);
  const button = pick(buttons, wanted);
  if (!button) throw new UsageError(`No button ${wanted} on the message ${message.id}: ${buttons.map((b, i) => `${i + 1} ${b.label}`).join(", ") || "it has none"}.`);
  if (button.customId === undefined) refuseFormFlags(run, `[${button.label}]`);
  run.say(`→ @${user.name} presses [${button.label}] on the message ${message.id} in ${whereOf(message.channel, before)}`);
  if (button.customId === undefined) {
    // A link button opens its URL in the browser; Discord sends the bot nothing.
    run.say(`  Discord opens ${button.url ?? "its link"} in the browser; the bot hears nothing of it.`);
    return 0;
  }
  return afterAct(run, before, user, { kind: "button", user: user.id, message: message.id, customId: button.customId, label: button.label });
}

/** `submit [interaction id|last]`: fills and submits a modal the bot opened. */
async function submitModal(run: Run, target: string): Promise<number> {
  const state = await run.link.state();
  const modals = state.interactions.filter((i) => i.response?.["type"] === 9);
  const opening = target === "last" ? modals.at(-1) : modals.find((i) => i.id === target);
  if (!opening) throw new UsageError(target === "last" ? "The bot has not opened a modal yet." : `No modal opened by the interaction ${target}: see npm run discord -- state`);
  const user = person(state, run.flags.as ?? opening.user);
  return fillAndSubmit(run, state, opening, user, `The modal opened by ${opening.id}, for @${nameOf(opening.user, state)}:`);
}

/** `state`: the latest messages, and the modals the bot opened. */
async function showState(run: Run): Promise<number> {
  const state = await run.link.state();
  const latest = state.messages.slice(-12);
  run.say(latest.length === 0 ? "No messages yet." : `The latest ${latest.length} of ${state.messages.length} messages:`);
  for (const message of latest) for (const line of describeMessage(message, state, message.edited)) run.say(line);
  const modals = state.interactions.filter((i) => i.response?.["type"] === 9);
  if (modals.length > 0) {
    run.say();
    run.say("Modals the bot opened (npm run discord -- submit <id>):");
    for (const opening of modals.slice(-5)) run.say(`  ${opening.id} for @${nameOf(opening.user, state)}: ${readModal(opening.response?.["data"])?.title ?? "?"}`);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// What follows an act

/** Sends the act, shows the answer and what the bot did after it, and fills the modal it opened, if any. */
async function afterAct(run: Run, before: GuildState, user: Named, act: DiscordAct): Promise<number> {
  const pagesBefore = await run.link.pages();
  const outcome = await run.link.send(act);
  const failure = failureOf(outcome);
  if (failure !== undefined) {
    run.say(`← ${failure}`);
    return 1;
  }
  for (const line of answerLines(outcome.answer!, user.name)) run.say(line);
  const type = outcome.answer!["type"];
  const after = await settle(run, { waitForEdit: type === 5 || type === 6 ? outcome.interaction.id : undefined, before });
  await printChanges(run, before, after, pagesBefore, outcome.interaction.id);
  if (type !== 9) return 0;
  const opening = after.interactions.find((i) => i.id === outcome.interaction.id);
  if (!opening) return 0;
  return fillAndSubmit(run, after, opening, user, undefined);
}

/** Fills the modal from the flags and submits it, or says how to; shows what came of it. */
async function fillAndSubmit(run: Run, state: GuildState, opening: GuildInteraction, user: Named, heading: string | undefined): Promise<number> {
  const modal = readModal(opening.response?.["data"]);
  if (!modal) throw new UsageError(`The interaction ${opening.id} did not open a modal.`);
  let fields: ModalField[] = modal.fields;
  const problems: string[] = [];
  for (const name of DISCORD_FIELD_FLAGS) {
    const text = run.flags[name];
    if (text === undefined) continue;
    const index = fields.findIndex((field) => field.id === name || field.label.toLowerCase().startsWith(name));
    if (index === -1) {
      problems.push(`This modal has no ${name} input`);
      continue;
    }
    const filled = fillField(fields[index]!, text);
    if (filled.ok) fields = fields.map((field, i) => (i === index ? filled.field : field));
    else problems.push(filled.problem);
  }
  if (heading) {
    run.say();
    run.say(heading);
    for (const line of modalLines({ ...modal, fields })) run.say(`  ${line}`);
  }
  const leftOpen = `npm run discord -- submit ${opening.id} --title "…" (or --submit to keep what it holds)`;
  if (problems.length > 0) {
    run.say(`${problems.join("; ")}.`);
    run.say(`The modal stays open: ${leftOpen}`);
    return 2;
  }
  const given = DISCORD_FIELD_FLAGS.some((name) => run.flags[name] !== undefined);
  if (run.flags["no-submit"] || (!(given || run.flags.submit) && !run.ask)) {
    run.say(`It stays open. To submit it: ${leftOpen}`);
    return 0;
  }
  if (!(given || run.flags.submit) && run.ask) fields = await promptFields(run, fields, run.ask);
  const refused = checkFields(fields);
  if (refused.length > 0) {
    run.say(`Discord won't submit this: ${refused.join("; ")}.`);
    run.say(`The modal stays open: ${leftOpen}`);
    return 1;
  }
  const shown = fields.filter((field) => (field.kind === "text" ? field.value !== "" : field.value !== undefined)).map((field) => `${field.label} = ${JSON.stringify(field.kind === "text" ? field.value : field.options.find((o) => o.value === field.value)?.label)}`);
  run.say(`→ @${user.name} presses [Submit]${shown.length > 0 ? ` with ${shown.join(", ")}` : ""}`);
  const before = await run.link.state();
  const pagesBefore = await run.link.pages();
  const outcome = await run.link.send({ kind: "modal_submit", user: user.id, opening: opening.id, values: submittedValues(fields) });
  const failure = failureOf(outcome);
  if (failure !== undefined) {
    run.say(`← ${failure}`);
    return 1;
  }
  run.say("  The modal closes.");
  for (const line of answerLines(outcome.answer!, user.name)) run.say(line);
  const type = outcome.answer!["type"];
  const after = await settle(run, { waitForEdit: type === 5 || type === 6 ? outcome.interaction.id : undefined, before });
  await printChanges(run, before, after, pagesBefore, outcome.interaction.id);
  return 0;
}

/** Asks for each input in a terminal: Enter keeps what is shown, "-" empties it; a select takes a label or its number. */
async function promptFields(run: Run, fields: readonly ModalField[], ask: (question: string) => Promise<string>): Promise<ModalField[]> {
  const filled = [...fields];
  run.say('Fill in the modal: Enter keeps what is shown in [brackets], "-" empties it.');
  for (const [index, field] of filled.entries()) {
    for (;;) {
      const shown = field.kind === "text" ? field.value : (field.options.find((option) => option.value === field.value)?.label ?? "");
      const choices = field.kind === "select" ? ` (${field.options.map((option, i) => `${i + 1} ${option.label}`).join(", ")})` : "";
      const answer = (await ask(`${field.label}${field.required ? "" : " (optional)"}${choices} [${shown}]: `)).trim();
      if (answer === "") break;
      const text = answer === "-" ? "" : field.kind === "select" && /^\d+$/.test(answer) ? (field.options[Number(answer) - 1]?.value ?? answer) : answer;
      const result = fillField(field, text);
      if (result.ok) {
        filled[index] = result.field;
        break;
      }
      run.say(`  ${result.problem}`);
    }
  }
  return filled;
}

/**
 * Waits until the bot is done: nothing under way in the functions and no call since the last look,
 * when they can say (served in process), else no call for quietMs; after a deferred answer, also
 * until its @original is edited or something is posted (or SETTLE_MAX_MS).
 */
async function settle(run: Run, options: { waitForEdit: string | undefined; before: GuildState }): Promise<GuildState> {
  const started = Date.now();
  let { activity } = await run.link.activity();
  let changedAt = started;
  let state = await run.link.state();
  const shown = (now: GuildState) =>
    now.messages.length > options.before.messages.length ||
    now.messages.some((m) => m.interaction === options.waitForEdit && m.edited) ||
    now.messages.some((m) => JSON.stringify(m) !== JSON.stringify(options.before.messages.find((b) => b.id === m.id) ?? m));
  let satisfied = options.waitForEdit === undefined || shown(state);
  const maxMs = options.waitForEdit === undefined ? 3_000 : SETTLE_MAX_MS;
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await run.link.activity();
    const moved = now.activity !== activity;
    if (moved) {
      activity = now.activity;
      changedAt = Date.now();
      if (!satisfied) satisfied = shown((state = await run.link.state()));
    }
    const done = now.busy === undefined ? Date.now() - changedAt >= run.quietMs : now.busy === 0 && !moved;
    if (satisfied && done) break;
  }
  return run.link.state();
}

/** What the bot posted or edited between two states, and the pages it created or changed. */
async function printChanges(run: Run, before: GuildState, after: GuildState, pagesBefore: SandboxPage[], answered: string): Promise<void> {
  const known = new Map(before.messages.map((message) => [message.id, JSON.stringify(message)]));
  // The answer's own message (@original, made first) was shown with the answer, or is still "thinking": only its edits are news.
  const original = after.messages.find((message) => message.interaction === answered);
  const changed = after.messages.filter((message) => known.get(message.id) !== JSON.stringify(message) && !(message === original && !message.edited && !known.has(message.id)));
  if (changed.length > 0) {
    run.say();
    run.say("The bot posted:");
    for (const message of changed) for (const line of describeMessage(message, after, known.has(message.id) || message.edited)) run.say(line);
  }
  const pages = new Map(pagesBefore.map((page) => [page.id, page.last_edited_time]));
  const pagesAfter = await run.link.pages();
  const moved = pagesAfter.filter((page) => pages.get(page.id) !== page.last_edited_time);
  if (moved.length > 0) {
    run.say();
    run.say("In Notion:");
    for (const page of moved) run.say(`  ${pages.has(page.id) ? "~ updated" : "+ created"} ${describePage(page)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Who, where, which

function person(state: GuildState, wanted: string): Named {
  const key = wanted.replace(/^@/, "").toLowerCase();
  const found = state.people.find((p) => p.id === key || p.name.toLowerCase() === key);
  if (!found) throw new UsageError(`No person ${wanted} in the sandbox's guild: ${state.people.map((p) => p.name).join(", ")}.${didYouMean(key, state.people.map((p) => p.name))}`);
  return found;
}

function place(state: GuildState, wanted: string): Named {
  const key = wanted.replace(/^#/, "").toLowerCase();
  const found = state.channels.find((c) => c.id === key || c.name.toLowerCase() === key);
  if (!found) throw new UsageError(`No channel ${wanted} in the sandbox's guild: ${state.channels.map((c) => c.name).join(", ")}.${didYouMean(key, state.channels.map((c) => c.name))}`);
  return found;
}

/** A button by its number (from 1), else its label (case aside), else part of its label. */
function pick<T extends { label: string }>(buttons: readonly T[], wanted: string): T | undefined {
  if (/^\d+$/.test(wanted)) return buttons[Number(wanted) - 1];
  const lower = wanted.toLowerCase();
  return buttons.find((b) => b.label.toLowerCase() === lower) ?? buttons.find((b) => b.label.toLowerCase().includes(lower));
}

/** Form flags where no form will open are refused before anything is sent. */
function refuseFormFlags(run: Run, what: string): void {
  const given = ([...DISCORD_FIELD_FLAGS, "submit", "no-submit"] as const).filter((name) => run.flags[name] !== undefined);
  if (given.length > 0) throw new UsageError(`${what} opens no form: ${given.map((name) => `--${name}`).join(", ")} would have nothing to fill or submit.`);
}

function isUnanswered(error: unknown): boolean {
  return (error instanceof TypeError && error.message === "fetch failed") || (error instanceof Error && error.name === "TimeoutError");
}

await runIfMain(import.meta.url, ({ argv, out, env }) => runDiscordCli({ argv, out, env, interactive: process.stdin.isTTY === true }));
