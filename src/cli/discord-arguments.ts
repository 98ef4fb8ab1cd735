/**
 * What `npm run discord` takes: its usage text, its flags, and which command reads which. Every word
 * and flag is checked here before anything is sent.
 */
import { parseArgs } from "node:util";
import { didYouMean } from "./closest.js";
import { UsageError } from "./slack-arguments.js";

export { UsageError };

/** What `npm run discord -- help` prints. */
export const DISCORD_USAGE = `Usage: npm run discord -- <command> [options]     (start the sandbox first: npm run sandbox)

Commands:
  /task [text]                 the slash command, with its text option: /task "Fix login", /task list,
                               /task help, /task review
  remind <message id|last>     the message command "Remind of process" (Apps menu) on a message
  create <message id|last>     the message command "Create task" on a message
      --text "…"               instead of an id: the message, posted first by --author (default bob)
                               in --channel
  click <label|n>              press a button (by its label, or its number from 1) on the newest
                               message that shows one to --as, or on --message <id>
  submit [interaction id|last] fill and submit a modal the bot opened (default: the last one)
  state                        the guild's latest messages and the modals still open

Options:
  --as <user>                  who acts: alice (default) or bob, by name or id
  --channel <channel>          where: general (default) or tasks, by name or id
  --title, --description, --priority, --due <YYYY-MM-DD>
                               fill the modal's inputs (then it is submitted)
  --submit / --no-submit       submit the modal as it is / only show it
  --dir <path>                 the sandbox's state directory (default .sandbox, or SANDBOX_DIR)

Each interaction is signed with the sandbox's Discord key, as Discord signs it, and sent to the
functions' /discord/interactions; the CLI then shows the bot's answer and what it posted.`;

/** The flags that fill a modal's inputs, each named after its input. */
export const DISCORD_FIELD_FLAGS = ["title", "description", "priority", "due"] as const;
const FORM_FLAGS = [...DISCORD_FIELD_FLAGS, "submit", "no-submit"] as const;

/** A command's family: each reads its own flags. */
export type DiscordCommandKind = "task" | "remind" | "create" | "click" | "submit" | "state";

const DISCORD_FLAGS = {
  help: { type: "boolean", short: "h" },
  as: { type: "string" },
  channel: { type: "string" },
  author: { type: "string" },
  text: { type: "string" },
  message: { type: "string" },
  title: { type: "string" },
  description: { type: "string" },
  priority: { type: "string" },
  due: { type: "string" },
  submit: { type: "boolean" },
  "no-submit": { type: "boolean" },
  dir: { type: "string" },
} as const;

export type DiscordFlags = ReturnType<typeof parseDiscordFlags>["values"];
type FlagName = keyof DiscordFlags;

/** The flags each command reads, besides --dir and --help: any other one is refused before anything is sent. */
const COMMAND_FLAGS: Record<DiscordCommandKind, readonly FlagName[]> = {
  task: ["as", "channel", ...FORM_FLAGS],
  remind: ["as", "channel", "author", "text"],
  create: ["as", "channel", "author", "text", ...FORM_FLAGS],
  click: ["as", "message", ...FORM_FLAGS],
  submit: ["as", ...FORM_FLAGS],
  state: [],
};

/** How many words may follow each command (the slash command's are its text). */
const MAX_POSITIONALS: Record<DiscordCommandKind, number> = { task: Infinity, remind: 1, create: 1, click: Infinity, submit: 1, state: 0 };

const COMMANDS = ["task", "remind", "create", "click", "submit", "state", "help"] as const;

/** Reads the words and flags; throws a UsageError, one line naming the flag, for a flag the CLI does not know, one missing its value, or a value given to a switch. */
export function parseDiscordFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options: DISCORD_FLAGS });
  } catch (error) {
    throw new UsageError(describeFlagError(argv) ?? (error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

/** The first flag in argv that parseArgs refuses, said in one line. */
function describeFlagError(argv: readonly string[]): string | undefined {
  const { tokens } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options: DISCORD_FLAGS });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (!Object.hasOwn(DISCORD_FLAGS, token.name)) return `Unknown flag ${token.rawName}.${didYouMean(token.rawName.replace(/^-+/, "--"), Object.keys(DISCORD_FLAGS).map((name) => `--${name}`))}`;
    const flag = DISCORD_FLAGS[token.name as keyof typeof DISCORD_FLAGS];
    if (flag.type === "boolean" && token.value !== undefined) return `${token.rawName} takes no value: pass ${token.rawName} alone.`;
    if (flag.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) return `${token.rawName} needs a value (one that starts with a dash goes as ${token.rawName}=…).`;
  }
  return undefined;
}

/** The command's kind, once its words and flags are ones it takes; throws a UsageError otherwise. */
export function checkDiscordArguments(command: string, rest: readonly string[], flags: DiscordFlags): DiscordCommandKind {
  const kind = command === "/task" || command === "task" ? "task" : command;
  if (!Object.hasOwn(COMMAND_FLAGS, kind)) {
    const hint = command.startsWith("/") ? ` The application's one slash command is /task.` : didYouMean(command, COMMANDS);
    throw new UsageError(`Unknown command ${command}.${hint}`);
  }
  const known = kind as DiscordCommandKind;
  const shown = known === "task" ? "/task" : known;
  if (rest.length > MAX_POSITIONALS[known]) throw new UsageError(`${shown} takes ${MAX_POSITIONALS[known] === 0 ? "no argument" : "one argument"}: what is ${rest.slice(MAX_POSITIONALS[known]).join(" ")}?`);
  const given = (Object.keys(flags) as FlagName[]).filter((name) => flags[name] !== undefined && name !== "dir" && name !== "help");
  const unread = given.filter((name) => !COMMAND_FLAGS[known].includes(name));
  if (unread.length > 0) throw new UsageError(`${shown} does not take ${unread.map((name) => `--${name}`).join(", ")}.`);
  if (flags.submit && flags["no-submit"]) throw new UsageError("--submit and --no-submit say opposite things: pass one.");
  if ((known === "remind" || known === "create") && rest[0] !== undefined && flags.text !== undefined) {
    throw new UsageError(`${shown} takes a message id or --text for a new message: pass one or the other.`);
  }
  if ((known === "remind" || known === "create") && rest[0] === undefined && flags.text === undefined) {
    throw new UsageError(`Which message? Pass its id (see npm run discord -- state), last, or --text "…" to post one first.`);
  }
  if ((known === "remind" || known === "create") && flags.text === undefined && flags.author !== undefined) {
    throw new UsageError("--author describes the message --text posts: pass --text too.");
  }
  if (known === "click" && rest.length === 0) throw new UsageError("Which button? Pass its label (or its number from 1): npm run discord -- click Start");
  return known;
}
