/**
 * Doctor's Discord checks, when a Discord variable is set: the bot token works (GET /users/@me),
 * DISCORD_APPLICATION_ID is its application, the commands are registered (globally, or in each
 * server DISCORD_ALLOWED_GUILD_IDS names), the bot can see the channels it posts to (GET
 * /channels/{id}), and with --site, that the deployed /discord/interactions refuses a request Discord
 * did not sign, as Discord checks before it saves the Interactions Endpoint URL.
 */
import type { EnvSource } from "../env.js";
import { commandDefinitions } from "../platforms/discord/commands.js";
import { createDiscordRest, DiscordApiError, DiscordErrorCode, type CommandDefinition, type DiscordRest, type RegisteredCommand } from "../platforms/discord/rest.js";
import { readDiscordSettings, type DiscordSettings } from "./discord-env.js";
import { AGAIN, DEFAULT_TIMEOUT_MS, type CallOptions } from "./doctor-transport.js";
import type { Report } from "./report.js";

/**
 * Checks what a working token allows; the variables themselves (missing, malformed, the public key's
 * form) are the Environment section's, since env.ts reads them as it reads every other one.
 */
export async function checkDiscord(report: Report, source: EnvSource, options: CallOptions & { siteUrl?: string | undefined }): Promise<void> {
  const { settings } = readDiscordSettings(source);
  report.section(settings.apiUrl ? `Discord (at ${settings.apiUrl}, from DISCORD_API_URL)` : "Discord");
  if (options.siteUrl) await checkEndpoint(report, options.siteUrl, options);
  // The public key's form is all doctor can check: only a request Discord signed proves it the application's.
  if (settings.publicKey !== undefined) report.ok("DISCORD_PUBLIC_KEY is 64 hex characters (saving the Interactions Endpoint URL in the Developer Portal proves it this application's)");
  const { applicationId, botToken } = settings;
  if (botToken === undefined) {
    report.skip("the bot token, commands and channels not checked: DISCORD_BOT_TOKEN is not usable (see above)");
    return;
  }
  const rest = createDiscordRest({
    token: botToken,
    applicationId: applicationId ?? "",
    apiUrl: settings.apiUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let bot: { id: string; username: string };
  try {
    bot = await rest.getCurrentUser();
  } catch (error) {
    if (!(error instanceof DiscordApiError)) throw error;
    if (isTransport(error)) report.fail(`could not reach Discord (${describe(error)})`, transportFix(error));
    else report.fail(`Discord refused DISCORD_BOT_TOKEN (${describe(error)})`, `copy a new one: Developer Portal -> your application -> Bot -> Reset Token, ${AGAIN}`);
    report.skip("the application, commands and channels not checked: the token must work first");
    return;
  }
  report.ok(`DISCORD_BOT_TOKEN works: bot @${bot.username} (${bot.id})`);

  const sameApplication = applicationId !== undefined && (await checkApplication(report, rest, bot.id, applicationId));
  if (sameApplication) await checkCommands(report, rest, settings.allowedGuildIds);
  else report.skip("commands not checked: they are read from DISCORD_APPLICATION_ID's application, which must be the token's");

  const channels = [
    { variable: "DISCORD_REVIEW_CHANNEL_ID", label: "review channel", id: settings.reviewChannelId },
    { variable: "DISCORD_TASKS_CHANNEL_ID", label: "tasks channel", id: settings.tasksChannelId },
  ] as const;
  for (const channel of channels) {
    if (channel.id !== undefined) await checkChannel(report, rest, { ...channel, id: channel.id }, settings);
  }
}

/**
 * The token's bot belongs to DISCORD_APPLICATION_ID's application. Since 2020 a bot user's id is its
 * application's id; an older application's bot user has an id of its own, so a difference is settled
 * by GET /applications/@me (the token's own application) before it is called a mismatch.
 */
async function checkApplication(report: Report, rest: DiscordRest, botId: string, applicationId: string): Promise<boolean> {
  if (botId === applicationId) {
    report.ok(`DISCORD_APPLICATION_ID is the bot's application (the bot user's id is the application's)`);
    return true;
  }
  let application: { id: string; name: string };
  try {
    application = await rest.getCurrentApplication();
  } catch (error) {
    if (!(error instanceof DiscordApiError)) throw error;
    report.fail(
      `the bot's id ${botId} is not DISCORD_APPLICATION_ID ${applicationId}, and Discord did not say whose bot it is (${describe(error)})`,
      `compare DISCORD_APPLICATION_ID with Developer Portal -> General Information -> Application ID of the application whose bot token you copied (an application made before 2020 has a bot id of its own), ${AGAIN}`,
    );
    return false;
  }
  if (application.id === applicationId) {
    report.ok(`DISCORD_APPLICATION_ID is the bot's application ${application.name} (an older application: its bot user has an id of its own, ${botId})`);
    return true;
  }
  report.fail(
    `DISCORD_BOT_TOKEN is the bot of the application ${application.name} (${application.id}), not of DISCORD_APPLICATION_ID ${applicationId}`,
    `take both from one application: set DISCORD_APPLICATION_ID to ${application.id}, or copy the bot token of ${applicationId} (Developer Portal -> Bot -> Reset Token)`,
  );
  return false;
}

/**
 * The three commands are registered: globally, or in each server DISCORD_ALLOWED_GUILD_IDS names
 * (a server sees its own commands and the global ones). A command registered both ways shows twice.
 */
async function checkCommands(report: Report, rest: DiscordRest, guildIds: readonly string[]): Promise<void> {
  const wanted = commandDefinitions();
  let global: RegisteredCommand[];
  try {
    global = listOf(await rest.listCommands());
  } catch (error) {
    if (!(error instanceof DiscordApiError)) throw error;
    report.fail(`could not list the application's commands (${describe(error)})`, isTransport(error) ? transportFix(error) : `check DISCORD_APPLICATION_ID, ${AGAIN}`);
    return;
  }
  const missingGlobally = wanted.filter((command) => !global.some((entry) => sameCommand(entry, command)));
  if (guildIds.length === 0 || missingGlobally.length === 0) {
    if (missingGlobally.length === 0) report.ok(`the commands are registered globally: ${wanted.map(describeCommand).join(", ")}`);
    else report.fail(`${missingGlobally.map(describeCommand).join(", ")} ${missingGlobally.length === 1 ? "is" : "are"} not registered`, `npm run discord:register, ${AGAIN}`);
  }
  for (const guildId of guildIds) {
    let own: RegisteredCommand[];
    try {
      own = listOf(await rest.listCommands(guildId));
    } catch (error) {
      if (!(error instanceof DiscordApiError)) throw error;
      if (error.code === DiscordErrorCode.MissingAccess) report.fail(`the bot is not in the server ${guildId}, which DISCORD_ALLOWED_GUILD_IDS names (50001 Missing Access)`, "install it there with the link in docs/discord.md, or correct DISCORD_ALLOWED_GUILD_IDS");
      else report.fail(`could not list the commands of the server ${guildId} (${describe(error)})`, isTransport(error) ? transportFix(error) : AGAIN);
      continue;
    }
    const missing = missingGlobally.filter((command) => !own.some((entry) => sameCommand(entry, command)));
    const twice = wanted.filter((command) => own.some((entry) => sameCommand(entry, command)) && global.some((entry) => sameCommand(entry, command)));
    if (missing.length > 0) report.fail(`in the server ${guildId}, ${missing.map(describeCommand).join(", ")} ${missing.length === 1 ? "is" : "are"} not registered`, `npm run discord:register (or npm run discord:register -- --guild ${guildId}), ${AGAIN}`);
    else if (missingGlobally.length > 0) report.ok(`the commands are registered in the server ${guildId}`);
    if (twice.length > 0) report.warn(`in the server ${guildId}, ${twice.map(describeCommand).join(", ")} ${twice.length === 1 ? "is" : "are"} registered globally and in the server, so people see each twice`, "keep one: the global ones reach every server; the server's go with a bulk overwrite of an empty list (PUT /applications/{id}/guilds/{guild}/commands with [])");
  }
}

/** GET /channels/{id}: it answers only when the bot can see the channel (View Channel). */
async function checkChannel(report: Report, rest: DiscordRest, channel: { variable: string; label: string; id: string }, settings: DiscordSettings): Promise<void> {
  const { variable, label, id } = channel;
  let found: { id: string; name?: string; guild_id?: string };
  try {
    found = await rest.getChannel(id);
  } catch (error) {
    if (!(error instanceof DiscordApiError)) throw error;
    if (error.code === DiscordErrorCode.UnknownChannel) report.fail(`Discord has no channel ${id} (${variable})`, `check ${variable}: right-click the channel -> Copy Channel ID (with Developer Mode on)`);
    else if (error.code === DiscordErrorCode.MissingAccess || error.status === 403) {
      report.fail(`the bot cannot see the ${label} ${id} (${describe(error)})`, "let its role View Channel, Send Messages and Read Message History there (the channel -> Edit Channel -> Permissions), or install it in that server");
    } else report.fail(`could not check the ${label} ${id} (${describe(error)})`, isTransport(error) ? transportFix(error) : AGAIN);
    return;
  }
  const name = found.name ? `#${found.name}` : id;
  if (settings.allowedGuildIds.length > 0 && found.guild_id !== undefined && !settings.allowedGuildIds.includes(found.guild_id)) {
    report.fail(`the ${label} ${name} is in the server ${found.guild_id}, which DISCORD_ALLOWED_GUILD_IDS leaves out`, `add ${found.guild_id} to DISCORD_ALLOWED_GUILD_IDS, or set ${variable} to a channel of an allowed server`);
    return;
  }
  // Whether it may also send there is the channel's permission overwrites: Discord says so on the first post (50013).
  report.ok(`${label} ${name}: the bot can see it (it needs Send Messages there too, which only a post shows)`);
}

/**
 * The deployed endpoint, probed as Discord probes it when the Interactions Endpoint URL is saved: a
 * request with a bad signature must be refused 401 (Discord will not save a URL that accepts one).
 * Doctor holds no private key, so a signed PING is Discord's to send; the refusal is what it can see.
 */
async function checkEndpoint(report: Report, siteUrl: string, options: CallOptions): Promise<void> {
  const url = `${siteUrl.replace(/\/+$/, "")}/discord/interactions`;
  const body = JSON.stringify({ type: 1 });
  let status: number;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      // Well formed, but a signature no key made: 64 zero bytes.
      headers: { "content-type": "application/json", "x-signature-ed25519": "0".repeat(128), "x-signature-timestamp": String(Math.floor(Date.now() / 1000)) },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    await response.text().catch(() => undefined);
    status = response.status;
  } catch (error) {
    report.fail(`could not reach ${url} (${error instanceof Error ? error.name : "error"})`, "check the site's domain, and that the site is deployed");
    return;
  }
  if (status === 401) report.ok(`${url} refuses a request Discord did not sign (401): the Interactions Endpoint URL can be saved in the Developer Portal`);
  else if (status === 503) report.fail(`${url} answers 503: the function is not configured`, "set Discord's variables in Netlify and redeploy; the log of discord-interactions names what is missing");
  else if (status === 404) report.fail(`${url} answered 404`, "deploy this version of the bot (the function discord-interactions serves /discord/interactions), then run npm run doctor again");
  else report.fail(`${url} answered ${status} to a bad signature, not 401: Discord will not save it`, "deploy this version of the bot, then run npm run doctor again");
}

function listOf(answer: unknown): RegisteredCommand[] {
  return Array.isArray(answer) ? (answer as RegisteredCommand[]) : [];
}

function sameCommand(entry: Pick<CommandDefinition, "name" | "type">, command: CommandDefinition): boolean {
  return entry.name === command.name && (entry.type ?? 1) === command.type;
}

function describeCommand(command: CommandDefinition): string {
  return command.type === 3 ? `"${command.name}"` : `/${command.name}`;
}

function isTransport(error: DiscordApiError): boolean {
  return error.status === "timeout" || error.status === "network_error" || error.status === 429 || (typeof error.status === "number" && error.status >= 500);
}

function transportFix(error: DiscordApiError): string {
  if (error.status === 429) return `wait a minute, ${AGAIN}`;
  return `check the network connection (and DISCORD_API_URL, if it is set), ${AGAIN}`;
}

/** "401", "404 10003", "timeout": what Discord (or the way there) answered, never a value. */
function describe(error: DiscordApiError): string {
  return error.code === undefined || error.code === 0 ? String(error.status) : `${error.status} ${error.code}`;
}
