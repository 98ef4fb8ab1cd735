/**
 * Where two platforms meet in the status loop: a press in a function wired for one platform (Slack's
 * interactions, SLACK_WIRING) about a task whose requester is on another that is on (Discord). The
 * real Slack handlers and the Notion webhook receiver (wired for every platform) against the Slack,
 * Discord and Notion emulators and the real Blobs server.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { discordKeyPair } from "../../dev/discord-signed.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { appHomeOpened, clickHomeButton, eventCallback } from "../../dev/slack-payloads.js";
import { COMPLETE_TASK_ACTION } from "../../src/features/task-status/status-buttons.js";
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

  // Not fixed: the mover is a `{ mention }` of a Slack person, which Discord can only write as the
  // id (`moved by @U0ALICE`), and an owed send keeps ids only, so her name is not at hand. Fixing it
  // means keeping the presser's display name (and platform) in the owed send and describing a mover
  // on another platform in words ("moved by Alice on Slack").
  it.fails("names Alice as Bob can read her on Discord, not by her Slack id", async () => {
    const { afterFirstSync } = await aliceFinishesBobsTask();
    expect(afterFirstSync).toHaveLength(1);
    expect(afterFirstSync[0]).not.toContain("U0ALICE");
  });
});
