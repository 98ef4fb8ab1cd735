/**
 * `npm run mattermost -- <command>`: plays Mattermost against the running sandbox (`npm run
 * sandbox`), as `npm run slack` plays Slack. Each command is what the Mattermost server posts to
 * the bot (sandbox-mattermost.ts): `/task` with the command token to /mattermost/commands, a
 * dialog's submission to the dialog's url, a button's action to its integration URL, each body
 * with what the bot signed itself (state, context) taken from what it sent. The CLI then shows
 * what Mattermost would: the command's answer, the dialog opened, the posts made or redrawn (and
 * who alone sees an ephemeral one), and what landed in Notion.
 */
import { parseArgs } from "node:util";
import type { EnvSource } from "../env.js";
import { didYouMean } from "./closest.js";
import type { Output } from "./report.js";
import type { SandboxPage } from "./sandbox-control-shapes.js";
import type { MattermostSandboxState } from "./sandbox-control-mattermost.js";
import { createSandboxControlClient, SandboxRefused, type SandboxControlClient } from "./sandbox-control.js";
import { buttonsOf, dialogStaysOpen, nameOf, printAnswer, printPost } from "./mattermost-print.js";
import { readSandboxFile, sandboxDir, type SandboxFile } from "./sandbox-file.js";
import { sendMattermostAct, type MattermostAct, type MattermostOutcome } from "./sandbox-mattermost.js";
import { runIfMain } from "./script.js";
import { UsageError } from "./slack-arguments.js";
import { checkTaskFlags, submitOpened } from "./task-flags.js";
import { describePage } from "./slack-print.js";
import { QUIET_MS, SETTLE_MAX_MS, settle } from "./slack-settle.js";

/** What `npm run mattermost -- help` prints. */
export const MATTERMOST_USAGE = `Usage: npm run mattermost -- <command> [options]     (start the sandbox first: npm run sandbox)

Commands:
  /task [text]              the slash command: /task "Fix login", /task list, /task help, /task review,
                            /task remind <permalink>, /task from <permalink> (a post's Copy Link)
  submit [n|last]           submit a dialog still open (default: the last one), with its fields
                            as the bot filled them, changed by the flags below
  click <label>             press a button (Start, Done, Create task from this message) on the newest
                            post that shows it to --as, or on --post <id>
  say <text>                write a post as --as in --channel; prints its permalink
  state                     the latest posts and the dialogs still open

Options:
  --as <user>               who acts: alice (default), bob or carol, by name or id
  --channel <channel>       where: town-square (default), tasks or review, by name or id
  --title, --description, --priority, --due <YYYY-MM-DD>
                            fill the dialog's fields; with /task, the dialog is then submitted at once
  --post <id>               the post whose button click presses
  --dir <path>              the sandbox's state directory (default .sandbox, or SANDBOX_DIR)

Each act is posted to the functions' /mattermost/* as the Mattermost server posts it.`;

const NOTHING_SENT = "Nothing was sent. See npm run mattermost -- help";
const FIELD_FLAGS = ["title", "description", "priority", "due"] as const;
const COMMANDS = ["/task", "submit", "click", "say", "state", "help"] as const;

export interface MattermostCliOptions {
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  /** No call for this long means the bot is done, where the functions cannot say (netlify dev). */
  quietMs?: number;
}

interface Run {
  file: SandboxFile;
  control: SandboxControlClient;
  user: { id: string; name: string };
  channel: { id: string; name: string };
  fields: Partial<Record<(typeof FIELD_FLAGS)[number], string>>;
  post: string | undefined;
  quietMs: number;
  say: (text?: string) => void;
}

export interface MattermostArguments {
  values: Record<string, string | boolean | undefined>;
  /** undefined or "help" when the usage is what to print. */
  command: string | undefined;
  rest: string[];
}

/** Reads the words and flags; throws parseArgs's TypeError on an unknown flag, UsageError on an unknown command. */
export function parseMattermostArguments(argv: readonly string[]): MattermostArguments {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" }, as: { type: "string" }, channel: { type: "string" }, post: { type: "string" }, dir: { type: "string" }, ...Object.fromEntries(FIELD_FLAGS.map((flag) => [flag, { type: "string" as const }])) },
  });
  const [command, ...rest] = positionals;
  if (values.help === true) return { values, command: "help", rest };
  if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`No command ${command}.${didYouMean(command, COMMANDS)}`);
  return { values, command, rest };
}

/** Runs one command against the sandbox; returns the exit code (2: refused before anything was sent, 1: no sandbox or it stopped). */
export async function runMattermostCli(options: MattermostCliOptions): Promise<number> {
  const say = (text = "") => void options.out.write(`${text}\n`);
  const refuse = (message: string) => {
    say(message);
    say(NOTHING_SENT);
    return 2;
  };
  let parsed: MattermostArguments;
  try {
    parsed = parseMattermostArguments(options.argv);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) return refuse(error.message);
    throw error;
  }
  const { values, command, rest } = parsed;
  if (command === undefined || command === "help") {
    say(MATTERMOST_USAGE);
    return command === undefined && values["help"] !== true ? 2 : 0;
  }

  const file = readSandboxFile(sandboxDir(typeof values["dir"] === "string" ? values["dir"] : undefined, options.env));
  const control = file && createSandboxControlClient(file.controlUrl);
  if (!file || !control || !(await control.activity().then(() => true, () => false))) {
    say("The sandbox isn't running. Start it in another terminal with: npm run sandbox");
    return 1;
  }
  const named = (list: readonly { id: string; name: string }[], wanted: string, what: string) => {
    const found = list.find((item) => item.id === wanted || item.name === wanted.replace(/^[@~]/, ""));
    if (!found) throw new UsageError(`No ${what} ${wanted} in the sandbox's team.${didYouMean(wanted, list.map((item) => item.name))}`);
    return found;
  };
  try {
    const fields = Object.fromEntries(FIELD_FLAGS.flatMap((flag) => (typeof values[flag] === "string" ? [[flag, values[flag]]] : [])));
    const run: Run = {
      file,
      control,
      user: named(file.mattermost.people, typeof values["as"] === "string" ? values["as"] : "alice", "person"),
      channel: named(file.mattermost.channels, typeof values["channel"] === "string" ? values["channel"] : "town-square", "channel"),
      fields,
      post: typeof values["post"] === "string" ? values["post"] : undefined,
      quietMs: options.quietMs ?? QUIET_MS,
      say,
    };
    switch (command) {
      case "/task":
        return await slashTask(run, rest.join(" "));
      case "submit":
        return await submitDialog(run, rest[0] ?? "last");
      case "click":
        return await click(run, rest.join(" "));
      case "say": {
        if (rest.length === 0) throw new UsageError("say needs the post's text.");
        const written = await control.mattermost.postMessage({ channel: run.channel.id, author: run.user.id, message: rest.join(" ") });
        say(`@${run.user.name} wrote in ~${run.channel.name}: ${written.permalink}`);
        return 0;
      }
      default: {
        const state = await control.mattermost.state();
        for (const post of state.posts.slice(-10)) printPost(say, state, post, "Post");
        for (const [index, dialog] of state.dialogs.entries()) if (!dialog.closed) say(`dialog ${index + 1}: "${String(dialog.dialog["title"])}" opened for @${nameOf(state, dialog.userId)}`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) return refuse(error.message);
    if (error instanceof SandboxRefused) return refuse(`The sandbox refused it: ${error.message}.`);
    if ((error instanceof TypeError && error.message === "fetch failed") || (error instanceof Error && error.name === "TimeoutError")) {
      say("The sandbox stopped answering: is npm run sandbox still running?");
      return 1;
    }
    throw error;
  }
}

/** `/task <text>`; with field flags, the dialog it opens is submitted at once. */
async function slashTask(run: Run, text: string): Promise<number> {
  // A priority the dialog's select would not offer is refused before the command goes (its due is a text element: the bot judges it).
  if (Object.keys(run.fields).length > 0) await checkTaskFlags(run.control, run.file.env, run.fields, { dueIsDate: false });
  const before = await snapshot(run);
  const outcome = await act(run, { kind: "command", user: run.user.id, channel: run.channel.id, text });
  const after = await printChanges(run, before, outcome, "command");
  const opened = after.state.dialogs.length > before.state.dialogs.length;
  if (opened && Object.keys(run.fields).length > 0) return submitOpened(run, () => submitDialog(run, String(after.state.dialogs.length)), "npm run mattermost -- submit");
  if (opened) run.say(`Fill it in: npm run mattermost -- submit --priority High --due YYYY-MM-DD (or --title, --description)`);
  return outcome.status === 200 ? 0 : 1;
}

/** Submits dialog `which` (1-based, or "last") with the bot's defaults, overridden by the field flags. */
async function submitDialog(run: Run, which: string): Promise<number> {
  const before = await snapshot(run);
  const count = before.state.dialogs.length;
  const index = which === "last" ? before.state.dialogs.findLastIndex((candidate) => !candidate.closed) : Number(which) - 1;
  const dialog = before.state.dialogs[index];
  if (which === "last" && dialog === undefined) throw new UsageError("No dialog is open: /task <title> opens one.");
  if (!Number.isInteger(index) || dialog === undefined) throw new UsageError(count === 0 ? "No dialog is open: /task <title> opens one." : `No dialog ${which}: there are ${count} (1 to ${count}, or last).`);
  // Mattermost's web app has no closed dialog left to submit in.
  if (dialog.closed) throw new UsageError(`Dialog ${which} is closed (submitted, or cancelled on the page): npm run mattermost -- state lists those still open.`);
  const elements = Array.isArray(dialog.dialog["elements"]) ? (dialog.dialog["elements"] as Record<string, unknown>[]) : [];
  const values: Record<string, string | null> = {};
  for (const element of elements) {
    const name = String(element["name"]);
    const typed = (run.fields as Record<string, string | undefined>)[name];
    const fallback = typeof element["default"] === "string" && element["default"] !== "" ? element["default"] : null;
    values[name] = typed ?? fallback;
    // Mattermost's web app offers a select's options only.
    const options = Array.isArray(element["options"]) ? (element["options"] as { text?: string; value: string }[]) : undefined;
    if (typed !== undefined && options !== undefined) {
      const option = options.find((candidate) => candidate.value.toLowerCase() === typed.toLowerCase() || candidate.text?.toLowerCase() === typed.toLowerCase());
      if (!option) throw new UsageError(`No ${String(element["display_name"])} ${typed} in the dialog: ${options.map((candidate) => candidate.value).join(", ")}.${didYouMean(typed, options.map((candidate) => candidate.value))}`);
      values[name] = option.value;
    }
  }
  const unknown = Object.keys(run.fields).filter((name) => !elements.some((element) => element["name"] === name));
  if (unknown.length > 0) throw new UsageError(`The dialog has no field ${unknown.join(", ")}.`);
  const outcome = await act(run, { kind: "submit", user: dialog.userId, dialog: index, values });
  // Closed where the page sees it too, by the rule the page's server follows.
  if (outcome.status === 200 && !dialogStaysOpen(outcome.answer ?? {})) await run.control.mattermost.closeDialog(index);
  await printChanges(run, before, outcome, "dialog");
  return outcome.status === 200 ? 0 : 1;
}

/** Presses the button named `label` on --post, else on the newest post --as sees that has one. */
async function click(run: Run, label: string): Promise<number> {
  if (label === "") throw new UsageError("click needs the button's label, e.g. click Start.");
  const before = await snapshot(run);
  const candidates = before.state.posts.filter((post) => (run.post === undefined || post.id === run.post) && (post.ephemeralFor === undefined || post.ephemeralFor === run.user.id));
  const names = candidates.flatMap((post) => buttonsOf(post));
  const post = candidates.reverse().find((candidate) => buttonsOf(candidate).some((name) => name.toLowerCase() === label.toLowerCase()));
  if (!post) throw new UsageError(`No post ${run.post === undefined ? "" : `${run.post} `}shows @${run.user.name} a button "${label}".${didYouMean(label, new Set(names))}`);
  const button = buttonsOf(post).find((name) => name.toLowerCase() === label.toLowerCase())!;
  const outcome = await act(run, { kind: "click", user: run.user.id, post: post.id, button });
  await printChanges(run, before, outcome, "action");
  return outcome.status === 200 ? 0 : 1;
}

async function act(run: Run, mattermostAct: MattermostAct): Promise<MattermostOutcome> {
  return sendMattermostAct(run.file, run.control, mattermostAct);
}

interface Snapshot {
  state: MattermostSandboxState;
  pages: SandboxPage[];
}

async function snapshot(run: Run): Promise<Snapshot> {
  return { state: await run.control.mattermost.state(), pages: (await run.control.state()).pages };
}

/** Waits for the bot to be done, then shows the answer and everything that changed since `before`. */
async function printChanges(run: Run, before: Snapshot, outcome: MattermostOutcome, kind: "command" | "dialog" | "action"): Promise<Snapshot> {
  const { say } = run;
  printAnswer(say, outcome, kind);
  await settle({ control: run.control, quietMs: run.quietMs }, { maxMs: SETTLE_MAX_MS });
  const after = await snapshot(run);
  for (const dialog of after.state.dialogs.slice(before.state.dialogs.length)) {
    say(`Mattermost opens the dialog "${String(dialog.dialog["title"])}" for @${nameOf(after.state, dialog.userId)}:`);
    // What the web app shows around the inputs too: the dialog's introduction, each element's help text.
    if (typeof dialog.dialog["introduction_text"] === "string") say(`  ${dialog.dialog["introduction_text"]}`);
    for (const element of Array.isArray(dialog.dialog["elements"]) ? (dialog.dialog["elements"] as Record<string, unknown>[]) : []) {
      const options = Array.isArray(element["options"]) ? ` (${(element["options"] as { value: string }[]).map((option) => option.value).join(", ")})` : "";
      const value = typeof element["default"] === "string" && element["default"] !== "" ? `: ${element["default"]}` : "";
      say(`  --${String(element["name"])}  ${String(element["display_name"])}${element["optional"] === true ? "" : " (required)"}${options}${value}`);
      if (typeof element["help_text"] === "string") say(`  ${element["help_text"]}`);
    }
  }
  for (const response of after.state.responses.slice(before.state.responses.length)) {
    const { body } = response;
    const text = typeof body === "object" && body !== null && "text" in body ? String(body.text) : JSON.stringify(body);
    say(`Only you (through the command's response_url): ${text}`);
  }
  for (const post of after.state.posts.slice(before.state.posts.length)) printPost(say, after.state, post, "New post");
  for (const post of after.state.posts.slice(0, before.state.posts.length)) {
    const was = before.state.posts.find((candidate) => candidate.id === post.id);
    if (was && (was.message !== post.message || JSON.stringify(was.props) !== JSON.stringify(post.props))) printPost(say, after.state, post, "Redrawn post");
  }
  for (const page of after.pages) {
    const was = before.pages.find((candidate) => candidate.id === page.id);
    if (!was) say(`Notion: a new task ${describePage(page)}`);
    else if (was.last_edited_time !== page.last_edited_time || JSON.stringify(was.properties) !== JSON.stringify(page.properties)) say(`Notion: ${describePage(page)}`);
  }
  return after;
}

await runIfMain(import.meta.url, ({ argv, out, env }) => runMattermostCli({ argv, out, env }));
