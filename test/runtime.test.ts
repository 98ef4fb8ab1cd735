/**
 * Which platforms a runtime turns on: each when its variables are set (Slack's alone is exactly the
 * bot it was), a half-set one stops the function saying what is missing, and none at all is refused.
 */
import { describe, expect, it } from "vitest";
import { EnvError } from "../src/env.js";
import { DISCORD_WIRING } from "../src/platforms/discord/wiring.js";
import { MATTERMOST_WIRING } from "../src/platforms/mattermost/wiring.js";
import { SLACK_WIRING } from "../src/platforms/slack/wiring.js";
import { createRuntime, LOCAL_STORE_TIMEOUT_MS, REQUIRED_VARIABLES } from "../src/runtime.js";
import { STORE_TIMEOUT_MS, StoreError } from "../src/store/store.js";
import { startBlobsEmulator } from "../dev/blobs-server.js";
import { TEAMS_WIRING } from "../src/platforms/teams/wiring.js";

const notion = { NOTION_TOKEN: "ntn_abcdefghijklmnop", NOTION_DATABASE_ID: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d" };
const slack = { SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef", SLACK_REVIEW_CHANNEL_ID: "C0REVIEW" };
const mattermost = { MATTERMOST_URL: "https://chat.example.com", MATTERMOST_BOT_TOKEN: "b".repeat(26), MATTERMOST_COMMAND_TOKEN: "c".repeat(26), MATTERMOST_TASKS_CHANNEL_ID: "t".repeat(26) };
const teams = { TEAMS_APP_ID: "00000000-0000-4000-8000-00000000b07a", TEAMS_APP_PASSWORD: "teams-client-secret-0123456789", TEAMS_TENANT_ID: "00000000-0000-4000-8000-0000000071e1" };
/** What the schedules and Notion's webhooks are wired with: both platforms. */
const BOTH = { ...SLACK_WIRING, ...DISCORD_WIRING };
const discord = { DISCORD_APPLICATION_ID: "1100000000000000001", DISCORD_PUBLIC_KEY: "a".repeat(64), DISCORD_BOT_TOKEN: "discord-bot-token-0123456789", DISCORD_REVIEW_CHANNEL_ID: "1300000000000000001" };

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("the platforms a runtime turns on", () => {
  it("with only Slack's variables: Slack's ChatApi and channels, and no Discord", () => {
    const { ports, slack: slackParts, discord: parts } = createRuntime({ env: { ...notion, ...slack } }, REQUIRED_VARIABLES.schedule, BOTH).load();
    expect([Object.keys(ports.chats), ports.settings.channels, slackParts?.signingSecret, parts]).toEqual([["slack"], { slack: { tasks: undefined, review: "C0REVIEW" } }, slack.SLACK_SIGNING_SECRET, undefined]);
  });

  it("with only Discord's: Discord's ChatApi and channels, and no Slack parts at all", () => {
    const { ports, slack: slackParts, discord: parts } = createRuntime({ env: { ...notion, ...discord } }, REQUIRED_VARIABLES.schedule, BOTH).load();
    expect([Object.keys(ports.chats), ports.settings.channels, parts?.allowedGuildIds, slackParts]).toEqual([["discord"], { discord: { tasks: undefined, review: "1300000000000000001" } }, undefined, undefined]);
  });

  it("with both: both", () => {
    const { ports } = createRuntime({ env: { ...notion, ...slack, ...discord } }, REQUIRED_VARIABLES.notion, BOTH).load();
    expect(Object.keys(ports.settings.channels).sort()).toEqual(["discord", "slack"]);
  });

  it("a function not wired for Discord (Slack's) leaves it off even when its variables are set", () => {
    const { ports, discord: parts } = createRuntime({ env: { ...notion, ...slack, ...discord } }, REQUIRED_VARIABLES.slack, SLACK_WIRING).load();
    expect([Object.keys(ports.chats), Object.keys(ports.settings.channels), parts]).toEqual([["slack"], ["slack"], undefined]);
  });

  it("a function not wired for Slack (Discord's) leaves it off even when its variables are set: no client, no channels, no Home tab", () => {
    const home = { slack: () => ({ refresh: async () => ({ published: true as const }) }) };
    const { ports, slack: slackParts } = createRuntime({ env: { ...notion, ...slack, ...discord }, personalViews: home }, REQUIRED_VARIABLES.discord, DISCORD_WIRING).load();
    expect([Object.keys(ports.chats), Object.keys(ports.settings.channels), Object.keys(ports.personalViews ?? {}), slackParts]).toEqual([["discord"], ["discord"], [], undefined]);
  });

  it("a function wired for Slack builds Slack's personal view with Slack's parts, and Slack's allow lists beside them", () => {
    const built: unknown[] = [];
    const home = { slack: (parts: unknown) => (built.push(parts), { refresh: async () => ({ published: true as const }) }) };
    const env = { ...notion, ...slack, SLACK_ALLOWED_TEAM_IDS: "T0OURS", TASK_ALLOWED_CHANNEL_IDS: "C0REQUESTS" };
    const { ports, slack: slackParts } = createRuntime({ env, personalViews: home }, REQUIRED_VARIABLES.slack, SLACK_WIRING).load();
    expect([Object.keys(ports.personalViews ?? {}), built]).toEqual([["slack"], [slackParts]]);
    expect(slackParts?.access).toEqual({ allowedTeamIds: ["T0OURS"], appId: undefined, allowedChannelIds: ["C0REQUESTS"] });
  });

  it("refuses a schedule with no platform on, naming every platform's variables", () => {
    expect(problemsOf(() => createRuntime({ env: notion }, REQUIRED_VARIABLES.schedule).load())).toEqual([
      "no chat platform is on: set Slack's SLACK_BOT_TOKEN, Discord's DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID, Mattermost's MATTERMOST_URL, MATTERMOST_BOT_TOKEN, MATTERMOST_COMMAND_TOKEN, or Teams' TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID (npm run doctor says where each comes from)",
    ]);
  });

  it("with Teams' three: Teams' ChatApi and its review conversation; half-set, it stops saying what is missing; its password is masked", () => {
    const lines: string[] = [];
    const runtime = createRuntime({ env: { ...notion, ...teams, TEAMS_REVIEW_CONVERSATION_ID: "19:review@thread.tacv2" }, logSink: (line) => lines.push(line) }, REQUIRED_VARIABLES.teams, TEAMS_WIRING);
    const { ports, teams: parts } = runtime.load();
    expect([Object.keys(ports.chats), ports.settings.channels, parts?.appId]).toEqual([["teams"], { teams: { tasks: undefined, review: "19:review@thread.tacv2" } }, teams.TEAMS_APP_ID]);
    runtime.log.info("probe", { leaked: teams.TEAMS_APP_PASSWORD });
    expect(lines.join("\n")).not.toContain(teams.TEAMS_APP_PASSWORD);
    expect(problemsOf(() => createRuntime({ env: { ...notion, ...slack, TEAMS_APP_ID: teams.TEAMS_APP_ID } }, REQUIRED_VARIABLES.slack).load()).map((problem) => problem.split(" ")[0])).toEqual(["TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"]);
  });

  it("stops on a half-set Discord, saying what is missing", () => {
    expect(problemsOf(() => createRuntime({ env: { ...notion, ...slack, DISCORD_BOT_TOKEN: discord.DISCORD_BOT_TOKEN } }, REQUIRED_VARIABLES.slack).load())).toEqual([
      expect.stringMatching(/^DISCORD_APPLICATION_ID is missing: /),
    ]);
  });

  it("the Discord function needs Discord's three, not Slack's", () => {
    expect(() => createRuntime({ env: { ...notion, ...discord } }, REQUIRED_VARIABLES.discord).load()).not.toThrow();
    expect(problemsOf(() => createRuntime({ env: { ...notion, ...slack } }, REQUIRED_VARIABLES.discord).load()).map((problem) => problem.split(" ")[0])).toEqual(["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"]);
  });

  it("masks Discord's bot token in every line", () => {
    const lines: string[] = [];
    const runtime = createRuntime({ env: { ...notion, ...discord }, logSink: (line) => lines.push(line) }, REQUIRED_VARIABLES.discord);
    runtime.load();
    runtime.log.warn("leak", { header: `Bot ${discord.DISCORD_BOT_TOKEN}` });
    expect(lines.join("\n")).not.toContain(discord.DISCORD_BOT_TOKEN);
  });

  it("with only Mattermost's three: Mattermost's ChatApi and channels; half of them stops the function saying what is missing", () => {
    const { ports, mattermost: parts } = createRuntime({ env: { ...notion, ...mattermost } }, REQUIRED_VARIABLES.schedule, MATTERMOST_WIRING).load();
    expect([Object.keys(ports.chats), ports.settings.channels, parts?.serverUrl]).toEqual([["mattermost"], { mattermost: { tasks: "t".repeat(26), review: undefined } }, "https://chat.example.com"]);
    expect(problemsOf(() => createRuntime({ env: { ...notion, MATTERMOST_URL: mattermost.MATTERMOST_URL } }, REQUIRED_VARIABLES.schedule).load()).map((problem) => problem.split(" ")[0])).toEqual(["MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN"]);
    expect(problemsOf(() => createRuntime({ env: { ...notion, ...slack } }, REQUIRED_VARIABLES.mattermost).load()).map((problem) => problem.split(" ")[0])).toEqual(["MATTERMOST_URL", "MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN"]);
  });

  it("masks Mattermost's two tokens in every line", () => {
    const lines: string[] = [];
    const runtime = createRuntime({ env: { ...notion, ...mattermost }, logSink: (line) => lines.push(line) }, REQUIRED_VARIABLES.mattermost, MATTERMOST_WIRING);
    runtime.load();
    runtime.log.warn("leak", { header: `Bearer ${mattermost.MATTERMOST_BOT_TOKEN}`, token: mattermost.MATTERMOST_COMMAND_TOKEN });
    expect(lines.join("\n")).not.toMatch(/b{26}|c{26}/);
  });
});

describe("the store's timeout", () => {
  // A real timeout is the subject: the store answers 1.5 s late, twice the store's own 800 ms and well inside netlify dev's 5 s.
  const LATE_MS = 2 * STORE_TIMEOUT_MS - 100;
  async function readLate(env: Record<string, string>): Promise<unknown> {
    const blobs = await startBlobsEmulator();
    try {
      blobs.fail({ kind: "late", ms: LATE_MS }, { method: "GET", key: "records/late" });
      return await createRuntime({ env: { ...notion, ...slack, ...env }, blobs: blobs.connection }, REQUIRED_VARIABLES.slack).load().ports.store.read("records/late").then(
        () => "answered",
        (error: unknown) => (error instanceof StoreError ? error.code : error),
      );
    } finally {
      await blobs.close();
    }
  }

  it("under netlify dev waits LOCAL_STORE_TIMEOUT_MS for its own Blobs server, which a busy machine slows past the store's 800 ms", async () => {
    expect(LOCAL_STORE_TIMEOUT_MS).toBeGreaterThan(3 * LATE_MS);
    expect(await readLate({ NETLIFY_DEV: "true" })).toBe("answered");
  });

  it("elsewhere gives up at the store's own timeout", async () => {
    expect(await readLate({})).toBe("timeout");
  });
});
