import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnv } from "../../src/env.js";
import { SANDBOX_BOARD, SANDBOX_DISCORD, SANDBOX_MATTERMOST, SANDBOX_TEAMS, sandboxBotEnv, seedBoard } from "../../src/cli/sandbox-seed.js";
import { startNotionEmulator, type NotionEmulator } from "../../dev/notion-emulator.js";

let dir: string | undefined;
let notion: NotionEmulator | undefined;

afterEach(async () => {
  await notion?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  notion = dir = undefined;
});

describe("seedBoard", () => {
  it("seeds the board on the first run only, and a restart finds it and its tasks in the state file", async () => {
    dir = mkdtempSync(join(tmpdir(), "chatops-seed-"));
    const statePath = join(dir, "notion.json");
    notion = await startNotionEmulator({ statePath });
    expect(seedBoard(notion, new Date("2030-01-09T12:00:00Z"))).toBe(true);
    const seeded = notion.pages(SANDBOX_BOARD.dataSourceId).map((page) => page.id);
    expect(seeded.length).toBeGreaterThan(3);
    await notion.close();

    notion = await startNotionEmulator({ statePath });
    expect(seedBoard(notion, new Date("2030-01-10T12:00:00Z"))).toBe(false);
    expect(notion.pages(SANDBOX_BOARD.dataSourceId).map((page) => page.id)).toEqual(seeded);
  });
});

const URLS = { slackApiUrl: "http://127.0.0.1:3001/api/", notionUrl: "http://127.0.0.1:3002", discordApiUrl: "http://127.0.0.1:3005/api/v10", discordPublicKey: "ab".repeat(32), mattermostUrl: "http://127.0.0.1:3006", teamsOrigin: "http://127.0.0.1:3007" };

describe("sandboxBotEnv", () => {
  it("is a valid configuration for every function, pointing at the emulators", () => {
    const env = readEnv(["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID", "SLACK_REVIEW_CHANNEL_ID"], sandboxBotEnv(URLS));
    expect(env).toMatchObject({ SLACK_API_URL: "http://127.0.0.1:3001/api/", NOTION_API_URL: "http://127.0.0.1:3002", NOTION_DATABASE_ID: SANDBOX_BOARD.databaseId });
  });

  it("turns Discord on beside Slack: the emulator's API, the session's public key, the guild's channels, only that guild allowed", () => {
    // Read as the Discord function reads them: each value passes env.ts's rule.
    const env = readEnv(["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID"], sandboxBotEnv(URLS));
    expect(env.problems).toEqual({});
    expect(env).toMatchObject({
      DISCORD_APPLICATION_ID: SANDBOX_DISCORD.applicationId,
      DISCORD_PUBLIC_KEY: URLS.discordPublicKey,
      DISCORD_BOT_TOKEN: SANDBOX_DISCORD.botToken,
      DISCORD_API_URL: "http://127.0.0.1:3005/api/v10",
      DISCORD_REVIEW_CHANNEL_ID: SANDBOX_DISCORD.channels.general.id,
      DISCORD_TASKS_CHANNEL_ID: SANDBOX_DISCORD.channels.tasks.id,
      DISCORD_ALLOWED_GUILD_IDS: [SANDBOX_DISCORD.guildId],
    });
  });

  it("turns Mattermost on too: the emulator's Site URL, its bot and command tokens, ~review and ~tasks", () => {
    // Read as the Mattermost functions read them: each value passes env.ts's rule.
    const env = readEnv(["MATTERMOST_URL", "MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID"], sandboxBotEnv(URLS));
    expect(env.problems).toEqual({});
    expect(env).toMatchObject({
      MATTERMOST_URL: "http://127.0.0.1:3006",
      MATTERMOST_BOT_TOKEN: SANDBOX_MATTERMOST.botToken,
      MATTERMOST_COMMAND_TOKEN: SANDBOX_MATTERMOST.commandToken,
      MATTERMOST_REVIEW_CHANNEL_ID: SANDBOX_MATTERMOST.channels.review.id,
      MATTERMOST_TASKS_CHANNEL_ID: SANDBOX_MATTERMOST.channels.tasks.id,
    });
  });

  it("turns Teams on too: the emulator's keys, token endpoint and connector (its origin allowed), the sandbox's app and tenant, General for the review", () => {
    // Read as the Teams function reads them: each value passes env.ts's rule.
    const env = readEnv(["TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID", "NOTION_TOKEN", "NOTION_DATABASE_ID"], sandboxBotEnv(URLS));
    expect(env.problems).toEqual({});
    expect(env).toMatchObject({
      TEAMS_APP_ID: SANDBOX_TEAMS.appId,
      TEAMS_TENANT_ID: SANDBOX_TEAMS.tenantId,
      TEAMS_OPENID_URL: "http://127.0.0.1:3007/openid",
      TEAMS_TOKEN_URL: `http://127.0.0.1:3007/${SANDBOX_TEAMS.tenantId}/oauth2/v2.0/token`,
      TEAMS_SERVICE_URL_ALLOW: ["http://127.0.0.1:3007"],
      TEAMS_REVIEW_CONVERSATION_ID: SANDBOX_TEAMS.conversations.general.id,
    });
  });

  it("sets every variable env.ts reads, the unused ones empty, so no .env file can fill one in under netlify dev", () => {
    // netlify dev lets the process environment win over .env files, for empty values too.
    const env = sandboxBotEnv(URLS);
    const read = new Set<string>();
    const recorder = new Proxy({}, { get: (_target, name) => (typeof name === "string" && read.add(name), undefined) });
    readEnv([], recorder);
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !(name in env))).toEqual([]);
    expect(env.SLACK_APP_ID).toBe("");
  });
});
