/**
 * The status loop on Discord, end to end in process with Discord's variables only: the real
 * discord-interactions handler (signed as Discord signs) and the Notion webhook receiver against the
 * Discord and Notion emulators and the real Blobs server. A Discord task's record is written as the
 * task request writes it (recordTaskOrigin, v2), and its announcement posted through Discord's own
 * ChatApi, so what is under test is the press, the redraw, and the requester hearing back.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, type EmulatedMessage } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS } from "../../dev/discord-signed.js";
import { TEST_NOTION_TOKEN, TEST_NOTION_WEBHOOK_SECRET } from "../../dev/emulator-env.js";
import { serveHandler, type ServedHandler } from "../../dev/serve-handler.js";
import type { Card } from "../../src/chat/card.js";
import type { Place } from "../../src/chat/model.js";
import { COMPLETE_TASK_ACTION, START_TASK_ACTION, STATUS_ROW_IDS, statusButtonRow } from "../../src/features/task-status/status-buttons.js";
import { createNotionWebhooksHandler, type InvocationContext } from "../../src/handlers.js";
import { createDiscordChatApi } from "../../src/platforms/discord/chat-api.js";
import { createDiscordRest } from "../../src/platforms/discord/rest.js";
import { readTaskRecord, recordTaskOrigin, type TaskOrigin } from "../../src/store/task-records.js";

const GUILD = DISCORD_SEED.guildId;
const groups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };

let h: DiscordHarness;
let receiver: ServedHandler | undefined;
const pending: Promise<unknown>[] = [];
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await h?.close();
});

/** The handlers' clock: real time, moved on by a test that waits out a Retry-After. */
let skewMs = 0;
const now = () => Date.now() + skewMs;

/** The harness, and Notion's webhooks delivered to the real receiver built with the same (Discord-only) variables. */
async function start(options: { webhooks?: boolean } = {}): Promise<DiscordHarness> {
  skewMs = 0;
  h = await startDiscordHarness({ env: { NOTION_WEBHOOK_SECRET: TEST_NOTION_WEBHOOK_SECRET }, now });
  if (options.webhooks !== false) {
    const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
    const handler = createNotionWebhooksHandler({ env: h.env, logSink: (line) => h.logs.push(line), blobs: h.blobs.connection, storeTimeoutMs: 5_000, sleep: async () => undefined, now });
    receiver = await serveHandler(handler, context);
    h.notion.configureWebhooks({ url: `${receiver.origin}/notion/webhooks`, token: TEST_NOTION_WEBHOOK_SECRET });
  }
  return h;
}

/** Every deferred piece of work done, Notion's events (and the work they defer) included. */
async function settle(): Promise<void> {
  for (;;) {
    await h.notion.webhooks.flush();
    await h.settle();
    if (pending.length === 0) return;
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));
  }
}

const logLines = () => h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
const statusOf = (pageId: string) => (h.notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;

/** A page on the board, as the bot's save makes it (authored by the bot). */
async function taskPage(title: string): Promise<string> {
  const database = (await (await fetch(`${h.notion.url}/v1/databases/${h.env.NOTION_DATABASE_ID}`, { headers: { authorization: `Bearer ${TEST_NOTION_TOKEN}`, "notion-version": "2025-09-03" } })).json()) as { data_sources: { id: string }[] };
  return h.notion.addPage(database.data_sources[0]!.id, { Name: { title: [{ text: { content: title } }] }, Status: { status: { name: "Not started" } } }).id;
}

/** Bob asked for a task from his own message in #general: the record the task request writes. */
async function bobsTask(title: string, origin: Partial<TaskOrigin> = {}): Promise<{ pageId: string; message: EmulatedMessage }> {
  const pageId = await taskPage(title);
  const message = h.discord.postUserMessage({ channelId: DISCORD_SEED.general, authorId: DISCORD_SEED.bob, content: title });
  const asked: Place = { platform: "discord", workspace: GUILD, conversation: DISCORD_SEED.general };
  await recordTaskOrigin(h.store, pageId, {
    requester: { platform: "discord", workspace: GUILD, userId: DISCORD_SEED.bob },
    place: { ...asked, message: message.id },
    asked,
    group: "to_do",
    createdAt: Date.now(),
    ...origin,
  });
  return { pageId, message };
}

/** The announcement with its status buttons, posted as the bot posts it (Discord's ChatApi, real REST client). */
async function announce(pageId: string, title: string): Promise<EmulatedMessage> {
  const chat = createDiscordChatApi(createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: h.discord.apiUrl }), { store: h.store, now: Date.now });
  const bob = { mention: { platform: "discord" as const, userId: DISCORD_SEED.bob } };
  // The announcement's words as the task request writes them; its button row as the status buttons draw it.
  const card: Card = {
    summary: ["New task from ", bob, ": ", title],
    blocks: [{ kind: "text", text: [{ emoji: "new" }, " ", bob, " asked for ", { link: h.notion.page(pageId)!.url, text: title, bold: true }] }, statusButtonRow({ pageId, group: "to_do" }, groups, "announcement")!],
  };
  const posted = await chat.post({ platform: "discord", workspace: GUILD, conversation: DISCORD_SEED.general }, card);
  return h.discord.messages.find((message) => message.id === posted.place.message)!;
}

/** The custom_id of the button labelled `label` on `message`. */
function buttonOn(message: { components: unknown[] }, label: string): string {
  const buttons = (message.components as { components: { label: string; custom_id: string }[] }[]).flatMap((row) => row.components);
  const found = buttons.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no ${label} button`);
  return found.custom_id;
}

/** Alice (every payload's member) presses the button `customId` (or the one labelled so) on `message`. */
function press(message: EmulatedMessage, button: string) {
  const interaction = h.discord.issueInteraction({ type: 3, messageId: message.id });
  const customId = button.includes(";") ? button : buttonOn(message, button);
  return h.send(DISCORD_PAYLOADS.buttonPress(interaction, customId, { id: message.id }));
}

describe("the status buttons on Discord", () => {
  it("Done moves the task in Notion and redraws the message as the first response (type 7); a second press writes nothing", async () => {
    await start();
    const { pageId } = await bobsTask("Fix login on Safari");
    const announcement = await announce(pageId, "Fix login on Safari");
    const done = buttonOn(announcement, "Done");
    expect(done).toBe(`${COMPLETE_TASK_ACTION};${STATUS_ROW_IDS.announcement};${pageId}`);

    const first = await press(announcement, done);
    expect(first.refused).toBeUndefined();
    expect(first.json?.type).toBe(7);
    const redrawn = first.json?.data as { content: string; components: unknown[] };
    expect(redrawn.content).toContain("Status: **Done**, moved by <@1400000000000000001>");
    expect(redrawn.components).toEqual([]);
    await settle();
    expect(statusOf(pageId)).toBe("Done");
    expect(h.notion.requestsTo("pages.update")).toHaveLength(1);

    // The same button pressed again (a double click, or a client that had not redrawn yet): nothing is
    // written; the redraw still says where the task is.
    const second = await press(announcement, done);
    await settle();
    expect(second.json?.type).toBe(7);
    expect((second.json?.data as { content: string }).content).toContain("Status: **Done**");
    expect(h.notion.requestsTo("pages.update")).toHaveLength(1);
    // Bob asked for it and Alice moved it: Bob hears of it once, as a reply to his message; Notion's event about the bot's write says nothing.
    const told = h.discord.messages.filter((message) => message.content.includes("is now"));
    expect(told).toHaveLength(1);
    expect(logLines().filter((line) => line.event === "task_status.event").map((line) => line.outcome)).toEqual(["own_change"]);
    expect((await readTaskRecord(h.store, pageId))?.value.group).toBe("complete");
  });

  it("Start on the announcement tells the requester in a reply to their message that pings only them", async () => {
    await start();
    const { pageId, message } = await bobsTask("Renew the certificate");
    const announcement = await announce(pageId, "Renew the certificate");
    await press(announcement, "Start");
    await settle();
    expect(statusOf(pageId)).toBe("In progress");
    const replies = h.discord.messages.filter((posted) => posted.message_reference?.message_id === message.id);
    expect(replies.map((reply) => reply.content)).toEqual([
      expect.stringMatching(/^▶️ <@1400000000000000002>, your task \*\*\[Renew the certificate\]\(.+\)\*\* is now \*\*In progress\*\*, moved by <@1400000000000000001>\.$/),
    ]);
    expect(replies[0]!.allowed_mentions).toEqual({ parse: [], users: [DISCORD_SEED.bob], replied_user: false });
    expect(buttonOn(h.discord.messages.find((posted) => posted.id === announcement.id)!, "Done")).toContain(COMPLETE_TASK_ACTION);
  });

  it("refuses a button whose value is not a page with a private answer, and writes nothing", async () => {
    await start();
    const { pageId } = await bobsTask("Forged");
    const announcement = await announce(pageId, "Forged");
    const interaction = h.discord.issueInteraction({ type: 3, messageId: announcement.id });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(interaction, `${START_TASK_ACTION};${STATUS_ROW_IDS.announcement};not-a-page`, { id: announcement.id }));
    await settle();
    expect(answer.json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((answer.json?.data as { content: string }).content).toMatch(/older version of the bot/);
    expect(h.notion.requestsTo("pages.update")).toHaveLength(0);
  });
});

describe("a Discord requester hearing back", () => {
  it("a change in Notion: one reply to the message the task came from, however often Notion sends the event", async () => {
    await start();
    const { pageId, message } = await bobsTask("Export times out");
    const delivery = (await h.notion.setStatus(pageId, "Done"))!;
    await settle();
    await h.notion.webhooks.redeliver(delivery);
    await settle();
    const replies = h.discord.messages.filter((posted) => posted.message_reference?.message_id === message.id);
    expect(replies.map((reply) => reply.content)).toEqual([expect.stringMatching(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*, moved by Nora Notion in Notion\.$/)]);
    expect(h.discord.callsTo("create_dm")).toHaveLength(0);
  });

  it("a task not made from a message: a direct message", async () => {
    await start();
    const { pageId } = await bobsTask("Asked with /task", { place: undefined });
    await h.notion.setStatus(pageId, "In progress");
    await settle();
    expect(h.discord.callsTo("create_dm").map((call) => call.body)).toEqual([{ recipient_id: DISCORD_SEED.bob }]);
    const dm = h.discord.callsTo("create_message").at(-1)!;
    expect((dm.body as { content: string }).content).toMatch(/^▶️ Your task .+ is now \*\*In progress\*\*/);
  });

  it("a direct message refused (50007): the reply goes to the channel the task was asked in, mentioning them", async () => {
    await start();
    const { pageId } = await bobsTask("Carol's task", { place: undefined, requester: { platform: "discord", workspace: GUILD, userId: DISCORD_SEED.carol } });
    await h.notion.setStatus(pageId, "Done");
    await settle();
    const inChannel = h.discord.messages.filter((posted) => posted.channel_id === DISCORD_SEED.general && posted.author_id === DISCORD_SEED.botUserId);
    expect(inChannel.map((posted) => posted.content)).toEqual([expect.stringMatching(/^✅ <@1400000000000000003>, your task .+ is now \*\*Done\*\*/)]);
    expect(inChannel[0]!.allowed_mentions).toMatchObject({ users: [DISCORD_SEED.carol] });
    expect(logLines().find((line) => line.event === "task_status.retrying")).toMatchObject({ via: "dm", next: "channel", error_code: "50007" });
    expect(logLines().find((line) => line.event === "task_status.told")).toMatchObject({ via: "channel" });
  });

  it("the hourly sync tells a Discord requester of a change no event delivered, once", async () => {
    await start({ webhooks: false });
    const { pageId, message } = await bobsTask("Event lost");
    await h.notion.setStatus(pageId, "Done");
    const first = await h.runSchedule("task-sync");
    await settle();
    const second = await h.runSchedule("task-sync");
    await settle();
    expect(first.json).toMatchObject({ outcome: "synced", told: 1 });
    expect(second.json).toMatchObject({ outcome: "synced", told: 0 });
    expect(h.discord.messages.filter((posted) => posted.message_reference?.message_id === message.id).map((reply) => reply.content)).toEqual([
      expect.stringMatching(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*\.$/),
    ]);
  });

  it("a reply Discord refuses for longer than the invocation has (a 429) is owed, and the next sync delivers it once", async () => {
    await start();
    const { pageId, message } = await bobsTask("Rate limited");
    h.discord.fail("create_message", { kind: "rate_limited", retryAfterSeconds: 120 });
    await h.notion.setStatus(pageId, "Done");
    await settle();
    expect(logLines().find((line) => line.event === "task_status.owed")).toMatchObject({ page_id: pageId, via: "thread", error_code: "429" });
    expect(h.discord.messages.filter((posted) => posted.message_reference?.message_id === message.id)).toHaveLength(0);
    skewMs = 121_000;
    const run = await h.runSchedule("task-sync");
    await settle();
    expect(run.json).toMatchObject({ delivered: 1 });
    expect(h.discord.messages.filter((posted) => posted.message_reference?.message_id === message.id).map((reply) => reply.content)).toEqual([
      // Rebuilt from Notion and the record as they are now: an owed send keeps ids only, not a Notion person's name.
      expect.stringMatching(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*\.$/),
    ]);
    expect((await h.runSchedule("task-sync")).json).toMatchObject({ delivered: 0, told: 0 });
  });
});
