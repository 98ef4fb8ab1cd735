/**
 * `npm run teams -- <act>`: plays Microsoft Teams against the running sandbox (`npm run sandbox`),
 * as `npm run slack` plays Slack. Each act is an activity as Teams sends it, signed with the Teams
 * emulator's key as the Bot Connector signs it and POSTed to the functions' /teams/messages
 * (sandbox-teams.ts); the CLI then shows what Teams would: the invoke's answer (a dialog, a
 * redrawn card, a message), what the bot posted or redrew in each conversation once its work is
 * done, and what landed in Notion.
 *
 * This file is the entry: it reads the words and flags, finds the sandbox, and runs the act (teams-acts.ts).
 */
import { parseArgs } from "node:util";
import type { EnvSource } from "../env.js";
import { didYouMean } from "./closest.js";
import type { Output } from "./report.js";
import { createSandboxControlClient, SandboxRefused } from "./sandbox-control.js";
import { readSandboxFile, sandboxDir } from "./sandbox-file.js";
import { runIfMain } from "./script.js";
import { UsageError } from "./slack-arguments.js";
import { QUIET_MS } from "./slack-settle.js";
import { click, EXTENSION_COMMANDS, extensionCommand, openForm, say, sendTask, showState, submitDialog, TEAMS_FIELD_FLAGS, type TeamsRun } from "./teams-acts.js";

/** What `npm run teams -- help` prints. */
export const TEAMS_USAGE = `Usage: npm run teams -- <act> [options]     (start the sandbox first: npm run sandbox)

Acts:
  task [text]                  a message to the bot in --as's 1:1 chat with it: task "Fix login",
                               task list, task help, task review; --channel: @chatops task … in General
  open                         press the newest card's button that opens a form: the dialog
  submit                       send the dialog last opened for --as, its inputs as the bot filled
                               them, changed by --title, --description, --priority, --due
  remind <message id|last>     the message extension's "Remind of process" on a message in General
  create-task <message id|last>  its "Create task": the dialog prefilled from the message (then submit)
  click <label>                press a card's button (Start, Done) on the newest card that shows it
                               to --as, or on --message <id>
  say <text>                   write in General as --as, mentioning nobody (the bot does not hear
                               it): a message for remind and create-task
  state                        the latest messages --as sees and the dialogs opened for them

Options:
  --as <user>                  who acts: alice (default) or bob, by name or id
  --channel                    with task: in General, mentioning the bot
  --title, --description, --priority, --due <YYYY-MM-DD>
                               fill the dialog's inputs (submit; with task "<title>", the form is
                               then opened and submitted at once)
  --message <id>               the message whose button click presses
  --dir <path>                 the sandbox's state directory (default .sandbox, or SANDBOX_DIR)

Each act is signed with the Teams emulator's key, as the Bot Connector signs activities, and sent
to the functions' /teams/messages.`;

const NOTHING_SENT = "Nothing was sent. See npm run teams -- help";
const ACTS = ["task", "open", "submit", "remind", "create-task", "click", "say", "state", "help"] as const;
/** Which act reads which flag: any other is refused before anything is sent. */
const READS: Readonly<Record<string, readonly string[]>> = {
  task: ["channel", ...TEAMS_FIELD_FLAGS],
  submit: TEAMS_FIELD_FLAGS,
  click: ["message"],
};

export interface TeamsCliOptions {
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  /** No call for this long means the bot is done, where the functions cannot say (netlify dev). */
  quietMs?: number;
}

export interface TeamsArguments {
  values: Record<string, string | boolean | undefined>;
  /** undefined or "help" when the usage is what to print. */
  act: string | undefined;
  rest: string[];
}

/** Reads the words and flags; throws parseArgs's TypeError on an unknown flag, UsageError on an unknown act or a flag the act does not read. */
export function parseTeamsArguments(argv: readonly string[]): TeamsArguments {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" }, as: { type: "string" }, channel: { type: "boolean" }, message: { type: "string" }, dir: { type: "string" }, ...Object.fromEntries(TEAMS_FIELD_FLAGS.map((flag) => [flag, { type: "string" as const }])) },
  });
  const [act, ...rest] = positionals;
  if (values.help === true) return { values, act: "help", rest };
  if (act !== undefined && !(ACTS as readonly string[]).includes(act)) throw new UsageError(`No act ${act}.${didYouMean(act, ACTS)}`);
  const stray = Object.keys(values).filter((flag) => !["as", "dir", "help"].includes(flag) && !(READS[act ?? ""] ?? []).includes(flag));
  if (act !== undefined && stray.length > 0) throw new UsageError(`${act} does not read --${stray[0]}.`);
  if ((act === "remind" || act === "create-task") && rest.length !== 1) throw new UsageError(`${act} needs one message: its id (from say or state), or last.`);
  return { values, act, rest };
}

/** Runs one act against the sandbox; returns the exit code (2: refused before anything was sent, 1: no sandbox, or the functions did not answer 200). */
export async function runTeamsCli(options: TeamsCliOptions): Promise<number> {
  const print = (text = "") => void options.out.write(`${text}\n`);
  const refuse = (message: string) => {
    print(message);
    print(NOTHING_SENT);
    return 2;
  };
  let parsed: TeamsArguments;
  try {
    parsed = parseTeamsArguments(options.argv);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) return refuse(error.message);
    throw error;
  }
  const { values, act, rest } = parsed;
  if (act === undefined || act === "help") {
    print(TEAMS_USAGE);
    return act === undefined && values["help"] !== true ? 2 : 0;
  }

  const file = readSandboxFile(sandboxDir(typeof values["dir"] === "string" ? values["dir"] : undefined, options.env));
  const control = file && createSandboxControlClient(file.controlUrl);
  if (!file || !control || !(await control.activity().then(() => true, () => false))) {
    print("The sandbox isn't running. Start it in another terminal with: npm run sandbox");
    return 1;
  }
  try {
    const wanted = typeof values["as"] === "string" ? values["as"] : "alice";
    const user = file.teams.people.find((person) => person.id === wanted || person.name === wanted.replace(/^@/, "").toLowerCase());
    if (!user) throw new UsageError(`No person ${wanted} in the sandbox's tenant.${didYouMean(wanted, file.teams.people.map((person) => person.name))}`);
    const run: TeamsRun = {
      file,
      control,
      user,
      inChannel: values["channel"] === true,
      fields: Object.fromEntries(TEAMS_FIELD_FLAGS.flatMap((flag) => (typeof values[flag] === "string" ? [[flag, values[flag]]] : []))),
      message: typeof values["message"] === "string" ? values["message"] : undefined,
      quietMs: options.quietMs ?? QUIET_MS,
      say: print,
    };
    switch (act) {
      case "task":
        return await sendTask(run, rest.join(" "));
      case "open":
        return await openForm(run);
      case "submit":
        return await submitDialog(run);
      case "remind":
      case "create-task":
        return await extensionCommand(run, act as keyof typeof EXTENSION_COMMANDS, rest[0]!);
      case "click":
        return await click(run, rest.join(" "));
      case "say":
        return await say(run, rest.join(" "));
      default:
        return await showState(run);
    }
  } catch (error) {
    if (error instanceof UsageError) return refuse(error.message);
    if (error instanceof SandboxRefused) return refuse(`The sandbox refused it: ${error.message}.`);
    if ((error instanceof TypeError && error.message === "fetch failed") || (error instanceof Error && error.name === "TimeoutError")) {
      print("The sandbox stopped answering: is npm run sandbox still running?");
      return 1;
    }
    throw error;
  }
}

await runIfMain(import.meta.url, ({ argv, out, env }) => runTeamsCli({ argv, out, env }));
