/**
 * `npm run doctor`'s Discord checks against the Discord emulator (and the Slack and Notion
 * emulators for the whole run): only when a Discord variable is set; each failure's line and fix.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { startDiscordHarness } from "../../dev/discord-harness.js";
import { discordKeyPair } from "../../dev/discord-signed.js";
import { REFUSED_ORIGIN } from "../../dev/netlify-dev.js";
import { serveHandler } from "../../dev/serve-handler.js";
import { createDiscordInteractionsHandler } from "../../src/handlers.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { runDoctor } from "../../src/cli/doctor.js";
import { checkDiscord } from "../../src/cli/doctor-discord.js";
import { readManifest } from "../../src/cli/manifest.js";
import { createReport, MARKS } from "../../src/cli/report.js";
import { commandDefinitions } from "../../src/platforms/discord/commands.js";
import { createDiscordRest } from "../../src/platforms/discord/rest.js";

const PUBLIC_KEY = discordKeyPair().publicKeyHex;
let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;
let notion: NotionEmulator | undefined;

afterEach(async () => {
  await Promise.all([discord?.close(), slack?.close(), notion?.close()]);
  discord = slack = notion = undefined;
});

/** The emulator (an older application's bot id when told) with the commands registered globally, as the README says. */
async function start(options: { botUserId?: string; register?: boolean } = {}) {
  discord = await startDiscordEmulator(options.botUserId ? { botUserId: options.botUserId } : {});
  if (options.register !== false) {
    await createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: discord.apiUrl }).overwriteCommands(commandDefinitions());
    discord.calls.length = 0;
  }
  return discord;
}

function discordEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId,
    DISCORD_PUBLIC_KEY: PUBLIC_KEY,
    DISCORD_BOT_TOKEN: DISCORD_SEED.botToken,
    DISCORD_API_URL: discord?.apiUrl,
    DISCORD_REVIEW_CHANNEL_ID: DISCORD_SEED.general,
    ...overrides,
  };
}

/** Only the Discord section, as doctor prints it. */
async function check(env: Record<string, string | undefined>): Promise<{ lines: string[]; text: string; failures: number; warnings: number }> {
  let text = "";
  const report = createReport({ write: (chunk: string) => (text += chunk) });
  await checkDiscord(report, env, { timeoutMs: 5_000 });
  return { lines: text.split("\n").map((line) => line.trim()).filter(Boolean), text, failures: report.failures, warnings: report.warnings };
}

const marked = (lines: string[], mark: keyof typeof MARKS) => lines.filter((line) => line.startsWith(`${MARKS[mark]} `));

describe("doctor's Discord checks", () => {
  it("are all green on an application set up as the README says", async () => {
    await start();
    const { lines, failures, warnings } = await check(discordEnv());
    expect(lines).toEqual([
      `Discord (at ${discord!.apiUrl}, from DISCORD_API_URL)`,
      `${MARKS.ok} DISCORD_PUBLIC_KEY is 64 hex characters (saving the Interactions Endpoint URL in the Developer Portal proves it this application's)`,
      `${MARKS.ok} DISCORD_BOT_TOKEN works: bot @chatops (${DISCORD_SEED.botUserId})`,
      `${MARKS.ok} DISCORD_APPLICATION_ID is the bot's application (the bot user's id is the application's)`,
      `${MARKS.ok} the commands are registered globally: /task, "Remind of process", "Create task"`,
      `${MARKS.ok} review channel #general: the bot can see it (it needs Send Messages there too, which only a post shows)`,
    ]);
    expect([failures, warnings]).toEqual([0, 0]);
    expect(discord!.calls.map((call) => call.route)).toEqual(["get_current_user", "list_commands", "get_channel"]);
  });

  it("fails on a token Discord refuses, skipping what needs it, and never prints it", async () => {
    await start();
    const { lines, text } = await check(discordEnv({ DISCORD_BOT_TOKEN: "revoked.discord.token" }));
    expect(marked(lines, "fail")).toEqual([`${MARKS.fail} Discord refused DISCORD_BOT_TOKEN (401) — fix: copy a new one: Developer Portal -> your application -> Bot -> Reset Token, then run npm run doctor again`]);
    expect(marked(lines, "skip")).toEqual([`${MARKS.skip} the application, commands and channels not checked: the token must work first`]);
    expect(text).not.toContain("revoked.discord.token");
  });

  it("fails when Discord cannot be reached", async () => {
    await start();
    discord!.fail("get_current_user", { kind: "http", status: 502 });
    const { lines } = await check(discordEnv());
    expect(marked(lines, "fail")).toEqual([`${MARKS.fail} could not reach Discord (502) — fix: check the network connection (and DISCORD_API_URL, if it is set), then run npm run doctor again`]);
  });

  it("fails when the token is another application's bot, naming that application's id", async () => {
    await start();
    const { lines } = await check(discordEnv({ DISCORD_APPLICATION_ID: "1100000000000000999" }));
    expect(marked(lines, "fail")).toEqual([
      `${MARKS.fail} DISCORD_BOT_TOKEN is the bot of the application chatops (${DISCORD_SEED.applicationId}), not of DISCORD_APPLICATION_ID 1100000000000000999 — fix: take both from one application: set DISCORD_APPLICATION_ID to ${DISCORD_SEED.applicationId}, or copy the bot token of 1100000000000000999 (Developer Portal -> Bot -> Reset Token)`,
    ]);
    expect(marked(lines, "skip")).toEqual([`${MARKS.skip} commands not checked: they are read from DISCORD_APPLICATION_ID's application, which must be the token's`]);
  });

  it("accepts an older application whose bot user has an id of its own, by asking whose bot it is", async () => {
    await start({ botUserId: "1100000000000000777" });
    const { lines, failures } = await check(discordEnv());
    expect(lines).toContain(`${MARKS.ok} DISCORD_APPLICATION_ID is the bot's application chatops (an older application: its bot user has an id of its own, 1100000000000000777)`);
    expect(failures).toBe(0);
  });

  it("fails when the commands are not registered, with the command that registers them", async () => {
    await start({ register: false });
    const { lines } = await check(discordEnv());
    expect(marked(lines, "fail")).toEqual([`${MARKS.fail} /task, "Remind of process", "Create task" are not registered — fix: npm run discord:register, then run npm run doctor again`]);
  });

  it("accepts commands registered in each server DISCORD_ALLOWED_GUILD_IDS names, and fails for a server the bot is not in", async () => {
    await start({ register: false });
    await createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: discord!.apiUrl }).overwriteCommands(commandDefinitions(), DISCORD_SEED.guildId);
    const inGuild = await check(discordEnv({ DISCORD_ALLOWED_GUILD_IDS: DISCORD_SEED.guildId }));
    expect(inGuild.lines).toContain(`${MARKS.ok} the commands are registered in the server ${DISCORD_SEED.guildId}`);
    expect(inGuild.failures).toBe(0);
    const elsewhere = await check(discordEnv({ DISCORD_ALLOWED_GUILD_IDS: `${DISCORD_SEED.guildId}, 1200000000000000999` }));
    expect(marked(elsewhere.lines, "fail")).toEqual([
      `${MARKS.fail} the bot is not in the server 1200000000000000999, which DISCORD_ALLOWED_GUILD_IDS names (50001 Missing Access) — fix: install it there with the link in docs/discord.md, or correct DISCORD_ALLOWED_GUILD_IDS`,
    ]);
  });

  it("warns when a command is registered both globally and in a server, where people see it twice", async () => {
    await start();
    await createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: discord!.apiUrl }).overwriteCommands(commandDefinitions(), DISCORD_SEED.guildId);
    const { lines, failures } = await check(discordEnv({ DISCORD_ALLOWED_GUILD_IDS: DISCORD_SEED.guildId }));
    expect(marked(lines, "warn")[0]).toContain(`in the server ${DISCORD_SEED.guildId}, /task, "Remind of process", "Create task" are registered globally and in the server, so people see each twice`);
    expect(failures).toBe(0);
  });

  it("fails for a review channel Discord does not have, or one the bot cannot see", async () => {
    await start();
    const unknown = await check(discordEnv({ DISCORD_REVIEW_CHANNEL_ID: "1300000000000000999" }));
    expect(marked(unknown.lines, "fail")).toEqual([`${MARKS.fail} Discord has no channel 1300000000000000999 (DISCORD_REVIEW_CHANNEL_ID) — fix: check DISCORD_REVIEW_CHANNEL_ID: right-click the channel -> Copy Channel ID (with Developer Mode on)`]);
    discord!.fail("get_channel", { kind: "error", status: 403, code: 50001, message: "Missing Access" });
    const hidden = await check(discordEnv());
    expect(marked(hidden.lines, "fail")).toEqual([
      `${MARKS.fail} the bot cannot see the review channel ${DISCORD_SEED.general} (403 50001) — fix: let its role View Channel, Send Messages and Read Message History there (the channel -> Edit Channel -> Permissions), or install it in that server`,
    ]);
  });

  it("checks the tasks channel too, and that a channel is in an allowed server", async () => {
    await start();
    const { lines } = await check(discordEnv({ DISCORD_TASKS_CHANNEL_ID: DISCORD_SEED.readOnly, DISCORD_ALLOWED_GUILD_IDS: "1200000000000000999" }));
    expect(marked(lines, "fail")).toContain(
      `${MARKS.fail} the tasks channel #read-only is in the server ${DISCORD_SEED.guildId}, which DISCORD_ALLOWED_GUILD_IDS leaves out — fix: add ${DISCORD_SEED.guildId} to DISCORD_ALLOWED_GUILD_IDS, or set DISCORD_TASKS_CHANNEL_ID to a channel of an allowed server`,
    );
  });
});

describe("doctor --site with Discord", () => {
  it("probes the deployed /discord/interactions as Discord does on save: a bad signature must be refused 401", async () => {
    const harness = await startDiscordHarness();
    const served = await serveHandler(harness.handler, { waitUntil: () => {} });
    const unconfigured = await serveHandler(createDiscordInteractionsHandler({ env: { ...harness.env, DISCORD_PUBLIC_KEY: "" }, logSink: () => {} }), { waitUntil: () => {} });
    try {
      discord = harness.discord;
      const site = async (siteUrl: string) => {
        let text = "";
        const report = createReport({ write: (chunk: string) => (text += chunk) });
        await checkDiscord(report, { ...discordEnv(), DISCORD_API_URL: harness.discord.apiUrl, DISCORD_PUBLIC_KEY: harness.pair.publicKeyHex }, { timeoutMs: 5_000, siteUrl });
        return text.split("\n").map((line) => line.trim());
      };
      expect(await site(served.origin)).toContain(`${MARKS.ok} ${served.origin}/discord/interactions refuses a request Discord did not sign (401): the Interactions Endpoint URL can be saved in the Developer Portal`);
      expect(marked(await site(unconfigured.origin), "fail")).toContain(
        `${MARKS.fail} ${unconfigured.origin}/discord/interactions answers 503: the function is not configured — fix: set Discord's variables in Netlify and redeploy; the log of discord-interactions names what is missing`,
      );
      expect(marked(await site(REFUSED_ORIGIN), "fail")).toContain(`${MARKS.fail} could not reach ${REFUSED_ORIGIN}/discord/interactions (TypeError) — fix: check the site's domain, and that the site is deployed`);
      // Refused with no other effect: nothing reached Discord's API for it.
      expect(harness.discord.calls.filter((call) => call.route !== "get_current_user" && call.route !== "list_commands" && call.route !== "get_channel")).toEqual([]);
    } finally {
      discord = undefined;
      await Promise.all([served.close(), unconfigured.close()]);
      await harness.close();
    }
  });
});

describe("npm run doctor with Discord", () => {
  async function doctor(env: Record<string, string | undefined>) {
    let text = "";
    const code = await runDoctor({ env, out: { write: (chunk: string) => (text += chunk) }, timeoutMs: 5_000, envFile: "/project/.env" });
    return { code, text, lines: text.split("\n").map((line) => line.trim()) };
  }

  async function notionEnv() {
    notion = await startNotionEmulator({ token: "ntn_doctor_token_abcdef123456" });
    const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
    return { NOTION_TOKEN: "ntn_doctor_token_abcdef123456", NOTION_DATABASE_ID: board.databaseId, NOTION_API_URL: notion.url };
  }

  it("with only Discord's variables and Notion's, serves Discord alone: Slack's are not missing", async () => {
    await start();
    const { code, lines, text } = await doctor({ ...(await notionEnv()), ...discordEnv() });
    expect(lines).toContain(`${MARKS.skip} Slack not checked: no Slack variable is set, so the bot serves Discord alone`);
    expect(text).not.toContain("SLACK_SIGNING_SECRET is missing");
    expect(lines).toContain(`${MARKS.ok} the commands are registered globally: /task, "Remind of process", "Create task"`);
    expect(marked(lines, "fail")).toEqual([]);
    expect(code).toBe(0);
  });

  it("with no Discord variable, checks nothing of Discord, as before", async () => {
    await start();
    slack = await startSlackEmulator({ token: "xoxb-doctor-token-123456", scopes: readManifest().oauth_config.scopes.bot });
    const { lines } = await doctor({
      ...(await notionEnv()),
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-doctor-token-123456",
      SLACK_API_URL: slack.apiUrl,
      SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general,
    });
    expect(lines.some((line) => line.startsWith("Discord"))).toBe(false);
    expect(discord!.calls).toEqual([]);
  });

  it("names a public key that is not 64 hex characters in the environment, and still checks the rest of Discord", async () => {
    await start();
    const { code, lines } = await doctor({ ...(await notionEnv()), ...discordEnv({ DISCORD_PUBLIC_KEY: "not-a-key" }) });
    expect(marked(lines, "fail")).toEqual([`${MARKS.fail} DISCORD_PUBLIC_KEY must be the 64 hex characters the portal shows — fix: Discord Developer Portal -> your application -> General Information -> Public Key`]);
    expect(lines).toContain(`${MARKS.ok} DISCORD_BOT_TOKEN works: bot @chatops (${DISCORD_SEED.botUserId})`);
    expect(code).toBe(1);
  });

  it("with one Discord variable set, names the other two as missing", async () => {
    await start();
    const { code, lines } = await doctor({ ...(await notionEnv()), DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId, DISCORD_API_URL: discord!.apiUrl });
    expect(marked(lines, "fail")).toEqual([
      `${MARKS.fail} DISCORD_PUBLIC_KEY is missing — fix: Discord Developer Portal -> your application -> General Information -> Public Key`,
      `${MARKS.fail} DISCORD_BOT_TOKEN is missing — fix: Discord Developer Portal -> your application -> Bot -> Reset Token`,
    ]);
    expect(code).toBe(1);
  });
});
