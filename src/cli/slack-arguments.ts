/**
 * What `npm run slack` takes: its usage text, its flags, and which command reads which. Every word
 * and flag is checked here before anything is sent.
 */
import { parseArgs } from "node:util";
import { didYouMean } from "./closest.js";

/** What `npm run slack -- help` prints. */
export const SLACK_USAGE = `Usage: npm run slack -- <command> [options]     (start the sandbox first: npm run sandbox)

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
                               signed webhook event goes to the functions, and the requester hears back.
                               Of several tasks with the title, the newest; pass a page id for another
      --by <name|bot>          who changes it: a Notion person (default Nora Notion), or bot (the
                               integration: not echoed; the sync tells what nobody was told of)
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

/** The flags that fill a modal's inputs, each named after its input. */
export const FIELD_FLAGS = ["title", "description", "priority", "due"] as const;
/** The flags that fill or submit a modal: refused where no modal will open. */
export const FORM_FLAGS = [...FIELD_FLAGS, "submit", "no-submit"] as const;

type FlagName = keyof Flags;
/** A command's family: each reads its own flags (COMMAND_FLAGS). */
export type CommandKind = "slash" | "shortcut" | "click" | "mention" | "home" | "submit" | "review" | "notion" | "sync" | "state";

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

/** The flags as parsed, each undefined when not given. */
export type Flags = ReturnType<typeof parseSlackFlags>["values"];

/** A command or flag the CLI refuses, before anything is sent. */
export class UsageError extends Error {}

/** The flags `npm run slack` knows, as parseArgs reads them. */
const SLACK_FLAGS = {
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
} as const;

type ValueFlag = { [Name in keyof typeof SLACK_FLAGS]: (typeof SLACK_FLAGS)[Name]["type"] extends "string" ? Name : never }[keyof typeof SLACK_FLAGS];

/** What each flag that takes a value takes, as the usage writes it (every such flag has one). */
const FLAG_VALUES: Record<ValueFlag, string> = {
  as: "<user>",
  channel: "<channel>",
  author: "<user>",
  text: '"…"',
  ts: "<ts>",
  thread: "<ts>",
  button: "<n|label>",
  title: '"…"',
  description: '"…"',
  priority: "<priority>",
  due: "<YYYY-MM-DD>",
  dir: "<path>",
  by: "<name|bot>",
};

/** The commands, for "did you mean …?" (`task` is /task without its slash, as checkArguments reads it). */
const COMMANDS = ["task", "shortcut", "mention", "home", "click", "submit", "review", "notion", "sync", "state", "help"] as const;

/** Reads the words and flags; throws a UsageError, one line naming the flag, for a flag the CLI does not know, one missing its value, or a value given to a switch. */
export function parseSlackFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options: SLACK_FLAGS });
  } catch (error) {
    // parseArgs's own message is written for a program's author (and quotes the flag unevenly): say it for the person typing.
    throw new UsageError(describeFlagError(argv) ?? (error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

/** The first flag in argv that parseArgs refuses, said in one line; undefined when none is found. */
function describeFlagError(argv: readonly string[]): string | undefined {
  const { tokens } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options: SLACK_FLAGS });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (!Object.hasOwn(SLACK_FLAGS, token.name)) {
      const flags = Object.keys(SLACK_FLAGS).map((name) => `--${name}`);
      return `Unknown flag ${token.rawName}.${didYouMean(token.rawName.replace(/^-+/, "--"), flags)}`;
    }
    const flag = SLACK_FLAGS[token.name as keyof typeof SLACK_FLAGS];
    if (flag.type === "boolean" && token.value !== undefined) return `${token.rawName} takes no value: pass ${token.rawName} alone, not ${token.rawName}=${token.value}.`;
    if (flag.type !== "string") continue;
    const usage = `${token.rawName} ${FLAG_VALUES[token.name as ValueFlag]}`;
    if (token.value === undefined) return `${token.rawName} needs a value: ${usage}.`;
    if (!token.inlineValue && token.value.startsWith("-")) return `${token.rawName} is followed by ${token.value}, not a value: ${usage} (a value that starts with a dash goes as ${token.rawName}=${token.value}).`;
  }
  return undefined;
}

/** The command's kind, once its words and flags are ones it takes; throws a UsageError otherwise. */
export function checkArguments(command: string, rest: readonly string[], flags: Flags): CommandKind {
  const kind: string = command.startsWith("/") || command === "task" ? "slash" : command;
  if (!Object.hasOwn(COMMAND_FLAGS, kind)) throw new UsageError(`Unknown command ${command}.${didYouMean(command, COMMANDS)}`);
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
