/**
 * `npm run discord:register [-- --guild <id>]`: registers the bot's commands with Discord by a bulk
 * overwrite (PUT /applications/{id}/commands, or one server's, which applies at once), then lists
 * them back to confirm. Global commands reach every server the app is installed in and its DMs;
 * a server's own are for trying the bot there (and show beside the global ones: register one or the
 * other). Each failure is one line with its fix.
 */
import { parseArgs } from "node:util";
import type { EnvSource } from "../env.js";
import { commandDefinitions } from "../platforms/discord/commands.js";
import { createDiscordRest, DiscordApiError, DiscordErrorCode, type CommandDefinition, type RegisteredCommand } from "../platforms/discord/rest.js";
import type { EnvName } from "../env.js";
import { readDiscordSettings, SNOWFLAKE } from "./discord-env.js";
import { DEFAULT_TIMEOUT_MS } from "./doctor-transport.js";
import { createReport, type Output, type Report } from "./report.js";
import { runIfMain } from "./script.js";

export interface DiscordRegisterOptions {
  /** The arguments after `--`: `--guild <server id>` or nothing. */
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  fetch?: typeof fetch;
  /** Per Discord call (DEFAULT_TIMEOUT_MS when unset). */
  timeoutMs?: number;
}

const USAGE = "usage: npm run discord:register [-- --guild <server id>]";
const AGAIN = "then run npm run discord:register again";

/** The flags discord:register reads, as parseArgs takes them (the docs' commands are checked against it). */
export const DISCORD_REGISTER_FLAGS = { guild: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

/** The variables this command reads; the public key (the function's) may be unset or wrong without stopping it. */
const USED: readonly EnvName[] = ["DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN", "DISCORD_API_URL"];

/** Registers the commands; returns the exit code: 0 when Discord lists every one, 2 for bad arguments, else 1. */
export async function runDiscordRegister(options: DiscordRegisterOptions): Promise<number> {
  const report = createReport(options.out);
  let guildId: string | undefined;
  try {
    const { values } = parseArgs({ args: [...options.argv], options: DISCORD_REGISTER_FLAGS, strict: true, allowPositionals: false });
    if (values.help) {
      report.line(USAGE);
      return 0;
    }
    guildId = values.guild?.trim();
  } catch (error) {
    report.line(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (guildId !== undefined && !SNOWFLAKE.test(guildId)) {
    report.line(`--guild must be a server id, 17 to 20 digits (right-click the server icon -> Copy Server ID, with Developer Mode on).\n${USAGE}`);
    return 2;
  }

  const { settings, problems } = readDiscordSettings(options.env, ["DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN"]);
  const blocking = problems.filter((problem) => (USED as readonly string[]).includes(problem.name));
  for (const problem of blocking) report.fail(problem.problem, problem.fix);
  const { applicationId, botToken } = settings;
  if (blocking.length > 0 || applicationId === undefined || botToken === undefined) return 1;

  const rest = createDiscordRest({
    token: botToken,
    applicationId,
    apiUrl: settings.apiUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const where = guildId === undefined ? "globally" : `in the server ${guildId}`;
  const wanted = commandDefinitions();
  let listed: RegisteredCommand[];
  try {
    await rest.overwriteCommands(wanted, guildId);
    // What Discord keeps, not what it answered the PUT with: the list the clients are shown.
    const answer: unknown = await rest.listCommands(guildId);
    listed = Array.isArray(answer) ? (answer as RegisteredCommand[]) : [];
  } catch (error) {
    if (!(error instanceof DiscordApiError)) throw error;
    failWith(report, error, { applicationId, guildId, apiUrl: settings.apiUrl });
    return 1;
  }
  const missing = wanted.filter((command) => !listed.some((entry) => sameCommand(entry, command)));
  if (missing.length > 0) {
    report.fail(
      `Discord took the overwrite but lists no ${missing.map(describeCommand).join(", ")} ${where}`,
      `run npm run discord:register again; if it persists, compare with the Developer Portal's list`,
    );
    return 1;
  }
  report.line(`Registered ${wanted.length} commands ${where} for the application ${applicationId}; Discord lists them back:`);
  for (const command of wanted) {
    const entry = listed.find((candidate) => sameCommand(candidate, command));
    report.ok(`${describeCommand(command)} (id ${entry?.id ?? "?"})`);
  }
  const others = listed.filter((entry) => !wanted.some((command) => sameCommand(entry, command)));
  if (others.length > 0) report.warn(`Discord also lists ${others.map(describeCommand).join(", ")}, which a bulk overwrite should have removed`, "look in the Developer Portal");
  report.line(
    guildId === undefined
      ? "Global commands reach every server the bot is installed in and its DMs."
      : "A server's commands apply there at once. Registered globally as well, each shows twice in that server: keep one or the other.",
  );
  return 0;
}

/** The command as a person sees it: `/task [text]`, or a MESSAGE command's name in the Apps menu. */
function describeCommand(command: Pick<CommandDefinition, "name" | "type" | "options">): string {
  if (command.type === 3) return `"${command.name}" (Apps menu on a message)`;
  const options = (command.options ?? []).map((option) => (option.required ? `<${option.name}>` : `[${option.name}]`));
  return `/${[command.name, ...options].join(" ")}`;
}

function sameCommand(entry: Pick<CommandDefinition, "name" | "type">, command: CommandDefinition): boolean {
  return entry.name === command.name && (entry.type ?? 1) === command.type;
}

/** One line for a refusal, with what to do about it. */
function failWith(report: Report, error: DiscordApiError, context: { applicationId: string; guildId: string | undefined; apiUrl: string | undefined }): void {
  const { applicationId, guildId } = context;
  if (error.status === "timeout" || error.status === "network_error" || (typeof error.status === "number" && error.status >= 500)) {
    report.fail(`could not reach Discord (${error.status})`, `check the network connection${context.apiUrl ? " and DISCORD_API_URL" : ""}, ${AGAIN}`);
  } else if (error.status === 429) {
    report.fail(`Discord is rate limiting this bot (retry after ${Math.ceil((error.rateLimit?.retryAfterMs ?? 0) / 1000)} s)`, `wait, ${AGAIN}`);
  } else if (error.status === 401) {
    report.fail("Discord refused DISCORD_BOT_TOKEN (401 Unauthorized)", `copy a new one: Developer Portal -> your application -> Bot -> Reset Token, ${AGAIN}`);
  } else if (error.code === DiscordErrorCode.MissingAccess && guildId !== undefined) {
    report.fail(`the bot is not in the server ${guildId} (50001 Missing Access)`, `install it there with the link in docs/discord.md (scopes bot and applications.commands), or check --guild, ${AGAIN}`);
  } else if (error.code === DiscordErrorCode.UnknownApplication || error.code === DiscordErrorCode.MissingAccess || error.status === 403 || error.status === 404) {
    report.fail(
      `Discord knows no application ${applicationId} for this bot token (${error.code ?? error.status})`,
      `DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN must come from the same application: Developer Portal -> General Information -> Application ID, and Bot -> Reset Token; ${AGAIN}`,
    );
  } else {
    report.fail(`Discord refused the commands (${error.code ?? error.status}${error.discordMessage ? ` ${error.discordMessage}` : ""})`, "the definitions are chatops's own (src/platforms/discord/commands.ts): report this line as a bug");
  }
}

await runIfMain(import.meta.url, ({ env, out, argv }) => runDiscordRegister({ env, out, argv }));
