/**
 * The weekly review on Discord: the real scheduled function with Discord's variables (alone, or beside
 * Slack's), against the Discord emulator (which refuses content over 2,000 characters, as Discord
 * does), the Slack and Notion emulators and the real Blobs server.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { startDiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS, discordKeyPair } from "../../dev/discord-signed.js";
import { taskBoardSchema } from "../../dev/notion-emulator.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { owedKey } from "../../src/features/owed-work/owed-work.js";
import { createClaims } from "../../src/store/claims.js";
import { discordLength } from "../../src/platforms/discord/limits.js";

/** Monday 6 January 2025, 09:00 UTC: when the schedule runs. */
const MONDAY_9_UTC = Date.parse("2025-01-06T09:00:00Z");
/** Slack's variables blanked: the bot serves Discord alone. */
const SLACK_OFF = { SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "", SLACK_REVIEW_CHANNEL_ID: "" };

let h: Harness | undefined;
let discord: DiscordEmulator | undefined;
afterEach(async () => {
  await h?.close();
  await discord?.close();
  h = discord = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ h: Harness; discord: DiscordEmulator }> {
  discord = await startDiscordEmulator({ now: () => MONDAY_9_UTC });
  h = await startHarness({
    now: () => MONDAY_9_UTC,
    env: {
      DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId,
      DISCORD_PUBLIC_KEY: discordKeyPair().publicKeyHex,
      DISCORD_BOT_TOKEN: DISCORD_SEED.botToken,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_REVIEW_CHANNEL_ID: DISCORD_SEED.general,
      ...env,
    },
  });
  return { h, discord };
}

function addTask(h: Harness, title: string, due?: string): { url: string } {
  return h.notion.addPage(h.board.dataSourceId, {
    Name: { title: [{ text: { content: title } }] },
    Status: { status: { name: "Not started" } },
    ...(due ? { Due: { date: { start: due } } } : {}),
  });
}

const discordReviews = (discord: DiscordEmulator) => discord.messages.filter((message) => message.channel_id === DISCORD_SEED.general);
const slackReviews = (h: Harness) => h.slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message");

describe("the weekly review on Discord", () => {
  it("posts to DISCORD_REVIEW_CHANNEL_ID with only Discord on, once a week, pinging nobody", async () => {
    const { h, discord } = await start(SLACK_OFF);
    const page = addTask(h, "Fix *login* @everyone", "2025-01-08");
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ platform: "discord", outcome: "posted", channel: DISCORD_SEED.general, counts: { open: 1 } });
    const [review, ...others] = discordReviews(discord);
    expect(others).toHaveLength(0);
    expect(review?.content.split("\n")).toEqual([
      "### Weekly review, week of 6 Jan",
      "**1 open task**: 0 overdue, 1 due this week, 0 due later, 0 without a due date.",
      // Parentheses are escaped: Discord would read `(…)` after `]` as a link's target.
      "📅 **Due this week \\(1\\)**",
      `• [Fix \\*login\\* @\u200beveryone](${page.url}) · due Wed 8 Jan`,
      expect.stringMatching(/^-# Open \[the board\]\(https:\/\/www\.notion\.so\/[^)]+\) in Notion\.$/),
    ]);
    expect(review?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(h.slack.calls).toHaveLength(0);

    expect((await h.runWeeklyReview()).json).toMatchObject({ platform: "discord", outcome: "already_posted" });
    expect(discordReviews(discord)).toHaveLength(1);
  });

  it("posts to Slack's and Discord's review channels when both are on, each once a week, Slack's unchanged", async () => {
    const { h, discord } = await start();
    addTask(h, "Fix login", "2025-01-03");
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ platforms: { slack: { outcome: "posted", channel: SLACK_SEED.general }, discord: { outcome: "posted", channel: DISCORD_SEED.general } } });
    expect(slackReviews(h).map((message) => message.text)).toEqual(["Weekly review, week of 6 Jan: 1 open task, 1 overdue, 0 due this week, 0 due later, 0 without a due date."]);
    expect(discordReviews(discord)).toHaveLength(1);
    // One Notion read for both.
    expect(h.notion.requestsTo("dataSources.query")).toHaveLength(1);

    const again = await h.runWeeklyReview();
    expect(again.json).toMatchObject({ platforms: { slack: { outcome: "already_posted" }, discord: { outcome: "already_posted" } } });
    expect(slackReviews(h)).toHaveLength(1);
    expect(discordReviews(discord)).toHaveLength(1);
  });

  it("sends a long review as several messages under 2,000 characters, split between its groups, every task shown", async () => {
    const { h, discord } = await start();
    const dues = ["2025-01-01", "2025-01-08", "2025-03-01", undefined];
    // Each group's 15 lines fit one message, two groups do not.
    for (let i = 0; i < 60; i++) addTask(h, `Task ${i}`, dues[i % 4]);
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ platforms: { slack: { outcome: "posted" }, discord: { outcome: "posted" } } });
    const sent = discordReviews(discord).map((message) => message.content);
    expect(sent.length).toBeGreaterThan(1);
    for (const content of sent) expect(discordLength(content)).toBeLessThanOrEqual(2000);
    expect(sent[0]).toMatch(/^### Weekly review, week of 6 Jan\n/);
    // Each further message begins at a group's heading (or is the closing note): no group is split.
    expect(sent.slice(1).every((content) => /^((🚨|📅|📆|❔) \*\*|-# )/u.test(content))).toBe(true);
    expect(sent.join("\n").match(/^• /gm)).toHaveLength(60);
    // Slack's is one message, as before.
    expect(slackReviews(h)).toHaveLength(1);
    expect(slackReviews(h)[0]?.blocks?.length).toBeLessThanOrEqual(50);
  });

  it("owes only the platform that failed: Discord rate-limited past the run's budget is posted by the owed-work run, Slack's not again", async () => {
    const { h, discord } = await start();
    addTask(h, "Fix login", "2025-01-03");
    discord.fail("create_message", { kind: "rate_limited", retryAfterSeconds: 60 });
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ platform: "discord", outcome: "failed", failed: "discord", reason: "rate_limited", platforms: { slack: { outcome: "posted" } } });
    expect(await h.store.read(owedKey("weekly-review"))).toBeUndefined();
    expect((await h.store.read(owedKey("weekly-review.discord")))?.value).toMatchObject({ reason: "rate_limited", week: "2025-01-06" });

    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "done", ran: ["weekly-review.discord"] });
    expect(discordReviews(discord)).toHaveLength(1);
    expect(slackReviews(h)).toHaveLength(1);
    expect(await h.store.read(owedKey("weekly-review.discord"))).toBeUndefined();
  });

  it("never sends a split review again once a part of it is in the channel, whatever the failure", async () => {
    const { h, discord } = await start(SLACK_OFF);
    for (let i = 0; i < 60; i++) addTask(h, `Task ${i} ${"x".repeat(40)}`, "2025-01-01");
    // The first part goes; the second is refused for now, which alone would be worth a retry.
    discord.fail("create_message", { kind: "delay", ms: 0 });
    discord.fail("create_message", { kind: "rate_limited", retryAfterSeconds: 1 });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "discord", reason: "rate_limited", fix: expect.stringContaining("may or may not have been posted") });
    expect(discord.callsTo("create_message")).toHaveLength(2);
    // The week counts as (maybe) posted: neither owed nor posted again.
    expect((await h.runWeeklyReview()).json).toMatchObject({ outcome: "already_posted" });
    expect(discord.callsTo("create_message")).toHaveLength(2);
  });

  it("takes a Slack review posted before the deploy (its claim digest:<channel>:<week>) as this week's, and still posts Discord's", async () => {
    const { h, discord } = await start();
    addTask(h, "Fix login");
    // What the run before Discord existed left in the store after posting Monday's review.
    const before = await createClaims(h.store).claim<{ ts?: string }>(`digest:${SLACK_SEED.general}:2025-01-06`, { now: MONDAY_9_UTC, leaseMs: 60_000, horizonMs: 7 * 86_400_000 });
    if (before.kind !== "won") throw new Error(`the claim was ${before.kind}`);
    await before.complete({ ts: "1736154000.000100" });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ platforms: { slack: { outcome: "already_posted", ts: "1736154000.000100" }, discord: { outcome: "posted" } } });
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
    expect(discordReviews(discord)).toHaveLength(1);
  });

  it("posts to Discord alone when Slack is on without a review channel, and says in the log how to have it on Slack too", async () => {
    const { h, discord } = await start({ SLACK_REVIEW_CHANNEL_ID: "" });
    addTask(h, "Fix login");
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ platform: "discord", outcome: "posted" });
    expect(discordReviews(discord)).toHaveLength(1);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
    const line = h.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((logged) => logged.event === "weekly_review.no_channel");
    expect(line).toMatchObject({ level: "info", platform: "slack", fix: "set SLACK_REVIEW_CHANNEL_ID to post the review there too" });
  });

  it("names DISCORD_REVIEW_CHANNEL_ID when the bot may not post in the channel, and does not owe it", async () => {
    const { h } = await start({ ...SLACK_OFF, DISCORD_REVIEW_CHANNEL_ID: DISCORD_SEED.readOnly });
    addTask(h, "Fix login");
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "discord", reason: "forbidden", fix: expect.stringContaining("DISCORD_REVIEW_CHANNEL_ID") });
    expect(await h.store.read(owedKey("weekly-review.discord"))).toBeUndefined();
  });
});

describe("/task review on Discord", () => {
  it("answers privately, a long review as the response and ephemeral follow-ups, each under 2,000 characters", async () => {
    const board = { databaseId: "2a1b3c4d-0000-4000-8000-00000000b0a1", dataSourceId: "2a1b3c4d-0000-4000-8000-00000000d5a1" };
    const dh = await startDiscordHarness({ env: { NOTION_DATABASE_ID: board.databaseId } });
    try {
      dh.notion.addDatabase({ title: "Tasks", ...board, properties: taskBoardSchema() });
      for (let i = 0; i < 20; i++) dh.notion.addPage(board.dataSourceId, { Name: { title: [{ text: { content: `Task ${i} ${"x".repeat(60)}` } }] }, Status: { status: { name: "Not started" } } });
      const interaction = dh.discord.issueInteraction({ type: 2 });
      const answer = await dh.send(DISCORD_PAYLOADS.taskCommand(interaction, "review"));
      expect(answer.refused).toBeUndefined();
      expect(answer.json).toMatchObject({ type: 4, data: { flags: 64 } });
      await dh.settle();
      const first = String(answer.json?.data?.content);
      const rest = dh.discord.callsTo("follow_up").map((call) => call.body as { content: string; flags: number });
      expect(rest.length).toBeGreaterThan(0);
      expect(rest.every((body) => body.flags === 64)).toBe(true);
      const sent = [first, ...rest.map((body) => body.content)];
      for (const content of sent) expect(discordLength(content)).toBeLessThanOrEqual(2000);
      expect(first).toMatch(/^### Weekly review, week of /);
      expect(sent.join("\n").match(/^• /gm)).toHaveLength(15);
      expect(sent.join("\n")).toContain("…and 5 more on [the board]");
      expect(dh.discord.messages.filter((message) => message.interaction_token === undefined)).toHaveLength(0);
    } finally {
      await dh.close();
    }
  });
});
