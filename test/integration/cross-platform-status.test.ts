/**
 * Where two platforms meet in the status loop: a press in a function wired for one platform (Slack's
 * interactions, SLACK_WIRING) about a task whose requester is on another that is on (Discord). The
 * real Slack handlers and the Notion webhook receiver (wired for every platform) against the Slack,
 * Discord and Notion emulators and the real Blobs server.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS, discordKeyPair } from "../../dev/discord-signed.js";
import { TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../../dev/emulator-env.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { imChannelIdFor, SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { appHomeOpened, clickHomeButton, eventCallback } from "../../dev/slack-payloads.js";
import { COMPLETE_TASK_ACTION, STATUS_ROW_IDS, statusButtonRow } from "../../src/features/task-status/status-buttons.js";
import { createDiscordChatApi } from "../../src/platforms/discord/chat-api.js";
import { createDiscordRest } from "../../src/platforms/discord/rest.js";
import { owedKey, OWED_PREFIX } from "../../src/store/owed-sends.js";
import { readTaskRecord, recordTaskOrigin } from "../../src/store/task-records.js";

let h: Harness | undefined;
let discord: DiscordEmulator | undefined;
afterEach(async () => {
  await h?.close();
  await discord?.close();
  h = discord = undefined;
});

async function start(): Promise<{ h: Harness; discord: DiscordEmulator }> {
  discord = await startDiscordEmulator({});
  h = await startHarness({
    env: { DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId, DISCORD_PUBLIC_KEY: discordKeyPair().publicKeyHex, DISCORD_BOT_TOKEN: DISCORD_SEED.botToken, DISCORD_API_URL: discord.apiUrl },
  });
  return { h, discord };
}

const statusOf = (h: Harness, pageId: string) => (h.notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;

/** Bob asked on Discord for a task on the board assigned to Alice; Alice presses Done on her Slack Home tab; then the hourly sync. Resolves Bob's replies as they are after each sync. */
async function aliceFinishesBobsTask(): Promise<{ afterFirstSync: string[]; afterSecondSync: string[]; pageId: string; h: Harness }> {
  const { h, discord } = await start();
  const alice = h.notion.addUser({ name: "Alice", email: "alice@example.com" });
  const page = h.notion.addPage(h.board.dataSourceId, {
    Name: { title: [{ text: { content: "Bob asked on Discord" } }] },
    Status: { status: { name: "Not started" } },
    "Requested by": { rich_text: [{ text: { content: `Bob (discord:${DISCORD_SEED.bob})` } }] },
    Assignee: { people: [{ id: alice.id }] },
  });
  const message = discord.postUserMessage({ channelId: DISCORD_SEED.general, authorId: DISCORD_SEED.bob, content: "Bob asked on Discord" });
  const asked = { platform: "discord" as const, workspace: DISCORD_SEED.guildId, conversation: DISCORD_SEED.general };
  await recordTaskOrigin(h.store, page.id, { requester: { platform: "discord", workspace: DISCORD_SEED.guildId, userId: DISCORD_SEED.bob }, place: { ...asked, message: message.id }, asked, group: "to_do", createdAt: Date.now() });

  await h.event(eventCallback(appHomeOpened({ user: SLACK_SEED.alice })));
  await h.settle();
  await h.interact(clickHomeButton(h.slack.homeView(SLACK_SEED.alice)!, COMPLETE_TASK_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.alice) }));
  await h.settle();
  const replies = () => discord.messages.filter((posted) => posted.message_reference?.message_id === message.id).map((reply) => reply.content);
  // The Slack function has no Discord client: the message is left to one that has (Notion's event about the move, the sync).
  await h.runTaskSync();
  await h.settle();
  const afterFirstSync = replies();
  await h.runTaskSync();
  await h.settle();
  return { afterFirstSync, afterSecondSync: replies(), pageId: page.id, h };
}

describe("a Slack press about a Discord requester's task", () => {
  it("Done on Alice's Home tab (the task is assigned to her) tells Bob on Discord, once", async () => {
    const { afterFirstSync, afterSecondSync, pageId, h } = await aliceFinishesBobsTask();
    expect(statusOf(h, pageId)).toBe("Done");
    expect((await readTaskRecord(h.store, pageId))?.value.group).toBe("complete");
    expect(afterFirstSync).toEqual([expect.stringMatching(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*, moved by .+\.$/)]);
    expect(afterSecondSync).toHaveLength(1);
  });

  // An owed send keeps the name Slack gave with the press: the function that delivers it (one wired
  // for Discord) has no other way to know it, and a Slack id means nothing on Discord.
  it("names Alice as Bob can read her on Discord, not by her Slack id", async () => {
    const { afterFirstSync } = await aliceFinishesBobsTask();
    expect(afterFirstSync).toEqual([expect.stringMatching(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*, moved by alice on Slack\.$/)]);
    expect(afterFirstSync[0]).not.toContain("U0ALICE");
  });

  it("delivers a press owed before names were kept, saying where the mover was instead of their id", async () => {
    const { h, discord } = await start();
    const page = h.notion.addPage(h.board.dataSourceId, {
      Name: { title: [{ text: { content: "Owed before the names" } }] },
      Status: { status: { name: "Done" } },
      "Requested by": { rich_text: [{ text: { content: `Bob (discord:${DISCORD_SEED.bob})` } }] },
    });
    const message = discord.postUserMessage({ channelId: DISCORD_SEED.general, authorId: DISCORD_SEED.bob, content: "Owed before the names" });
    const asked = { platform: "discord" as const, workspace: DISCORD_SEED.guildId, conversation: DISCORD_SEED.general };
    await recordTaskOrigin(h.store, page.id, { requester: { platform: "discord", workspace: DISCORD_SEED.guildId, userId: DISCORD_SEED.bob }, place: { ...asked, message: message.id }, asked, group: "complete", createdAt: Date.now() });
    // As the Slack function wrote it before this change: the presser's ids only.
    const send = { kind: "status" as const, pageId: page.id, group: "complete" as const, by: { platform: "slack" as const, userId: SLACK_SEED.alice } };
    await h.store.write(owedKey(send), { v: 1, send, since: Date.now(), notBefore: Date.now() });
    await h.runTaskSync();
    await h.settle();
    const replies = discord.messages.filter((posted) => posted.message_reference?.message_id === message.id).map((reply) => reply.content);
    expect(replies).toEqual([expect.stringMatching(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*, moved by someone on Slack\.$/)]);
    expect((await h.store.list(OWED_PREFIX)).keys).toEqual([]);
  });
});

describe("a Discord press about a Slack requester's task", () => {
  let dh: DiscordHarness | undefined;
  let slack: SlackEmulator | undefined;
  afterEach(async () => {
    await dh?.close();
    await slack?.close();
    dh = slack = undefined;
  });

  it("tells Bob on Slack that Alice on Discord moved it, by the name Discord gave with her press", async () => {
    slack = await startSlackEmulator();
    // Slack is on but not wired in Discord's function: the message is owed, and the hourly sync (wired for every platform) delivers it.
    dh = await startDiscordHarness({ env: { SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: TEST_SLACK_TOKEN, SLACK_API_URL: slack.apiUrl } });
    const database = (await (await fetch(`${dh.notion.url}/v1/databases/${dh.env.NOTION_DATABASE_ID}`, { headers: { authorization: `Bearer ${TEST_NOTION_TOKEN}`, "notion-version": "2025-09-03" } })).json()) as { data_sources: { id: string }[] };
    const pageId = dh.notion.addPage(database.data_sources[0]!.id, { Name: { title: [{ text: { content: "Bob asked on Slack" } }] }, Status: { status: { name: "Not started" } } }).id;
    await recordTaskOrigin(dh.store, pageId, { requester: { platform: "slack", workspace: SLACK_SEED.teamId, userId: SLACK_SEED.bob }, group: "to_do", createdAt: Date.now() });
    // A message of the bot's on Discord with the task's buttons (as a confirmation draws them).
    const chat = createDiscordChatApi(createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: dh.discord.apiUrl }), { store: dh.store, now: Date.now });
    const groups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
    const posted = await chat.post({ platform: "discord", workspace: DISCORD_SEED.guildId, conversation: DISCORD_SEED.general }, { summary: ["Bob asked on Slack"], blocks: [statusButtonRow({ pageId, group: "to_do" }, groups, "confirmation")!] });
    const interaction = dh.discord.issueInteraction({ type: 3, messageId: posted.place.message! });
    // Alice is every payload's member (global name "Alice").
    await dh.send(DISCORD_PAYLOADS.buttonPress(interaction, `${COMPLETE_TASK_ACTION};${STATUS_ROW_IDS.confirmation};${pageId}`, { id: posted.place.message! }));
    await dh.settle();
    const dms = () => slack!.messages.filter((message) => message.kind === "message" && message.channel === imChannelIdFor(SLACK_SEED.bob)).map((message) => message.text);
    expect(dms()).toEqual([]);
    await dh.runSchedule("task-sync");
    await dh.settle();
    expect(dms()).toEqual(["Your task Bob asked on Slack is now Done, moved by Alice on Discord."]);
  });
});
