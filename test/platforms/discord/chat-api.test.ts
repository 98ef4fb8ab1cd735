/**
 * The port's ChatApi on Discord, through the real REST client to the emulator and the real Blobs
 * server: what each method sends, who may be pinged, parked values written before the message, and
 * each Discord error as the port's ChatError.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startBlobsEmulator, type BlobsEmulator } from "../../../dev/blobs-server.js";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../../dev/discord-emulator.js";
import type { Card } from "../../../src/chat/card.js";
import type { ChatApi } from "../../../src/chat/chat-api.js";
import { ChatError } from "../../../src/chat/chat-error.js";
import type { Place } from "../../../src/chat/model.js";
import { createDiscordChatApi, toChatError } from "../../../src/platforms/discord/chat-api.js";
import { PARKED_PREFIX, readParked } from "../../../src/platforms/discord/parking.js";
import { createDiscordRest, DiscordApiError } from "../../../src/platforms/discord/rest.js";
import { createBlobsStore, type Store } from "../../../src/store/store.js";

let emulator: DiscordEmulator;
let blobs: BlobsEmulator;
let store: Store;
let chat: ChatApi;

beforeAll(async () => {
  emulator = await startDiscordEmulator();
  blobs = await startBlobsEmulator();
  store = createBlobsStore({ connection: blobs.connection, timeoutMs: 5_000 });
  chat = createDiscordChatApi(createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: emulator.apiUrl, timeoutMs: 10_000 }), { store, now: Date.now });
});
afterAll(async () => {
  await emulator.close();
  await blobs.close();
});
beforeEach(() => emulator.reset());

const general: Place = { platform: "discord", workspace: DISCORD_SEED.guildId, conversation: DISCORD_SEED.general };
const bob = { platform: "discord" as const, workspace: DISCORD_SEED.guildId, userId: DISCORD_SEED.bob, displayName: "Bob" };
const alice = { platform: "discord" as const, userId: DISCORD_SEED.alice };
const NO_PINGS = { parse: [], replied_user: false };

/** The error a call rejects with. */
async function failure(call: Promise<unknown>): Promise<ChatError> {
  const error = await call.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ChatError);
  return error as ChatError;
}

describe("post", () => {
  it("posts a card that pings nobody, even the people it mentions, and says where it went", async () => {
    const card: Card = { summary: ["New task"], blocks: [{ kind: "text", text: ["New task from ", { mention: bob }, ": @everyone look"] }] };
    const posted = await chat.post(general, card);
    expect(emulator.callsTo("create_message")[0]?.body).toEqual({ content: `New task from <@${DISCORD_SEED.bob}>: @\u200beveryone look`, components: [], allowed_mentions: NO_PINGS });
    const message = emulator.messages.at(-1)!;
    expect(posted).toEqual({
      place: { ...general, message: message.id },
      link: `https://discord.com/channels/${DISCORD_SEED.guildId}/${DISCORD_SEED.general}/${message.id}`,
    });
  });

  it("parks a button's long value in the store before the message is sent", async () => {
    const value = "x".repeat(300);
    await chat.post(general, { summary: ["r"], blocks: [{ kind: "buttons", buttons: [{ kind: "action", action: "create_task_from_reminder", label: "Create task", value }] }] });
    const customId = ((emulator.messages.at(-1)!.components[0] as { components: { custom_id: string }[] }).components[0]!).custom_id;
    const key = customId.split("~")[1]!;
    expect(await readParked(store, key)).toBe(value);
    expect((await store.list(PARKED_PREFIX)).keys).toContain(`${PARKED_PREFIX}${key}`);
  });
});

describe("reply", () => {
  it("replies to the message with a reference that does not fail if it is gone, pinging only `mention`", async () => {
    const original = emulator.postUserMessage({ authorId: DISCORD_SEED.bob, content: "can someone fix login" });
    const card: Card = { summary: ["r"], blocks: [{ kind: "text", text: ["Hi ", { mention: bob }, " and ", { mention: alice }] }] };
    await chat.reply({ ...general, message: original.id }, card, { mention: bob });
    expect(emulator.callsTo("create_message")[0]?.body).toEqual({
      content: `Hi <@${DISCORD_SEED.bob}> and <@${DISCORD_SEED.alice}>`,
      components: [],
      allowed_mentions: { parse: [], users: [DISCORD_SEED.bob], replied_user: false },
      message_reference: { message_id: original.id, fail_if_not_exists: false },
    });
  });
});

describe("update", () => {
  it("edits the bot's message", async () => {
    const posted = await chat.post(general, { summary: ["a"], blocks: [{ kind: "text", text: ["Status: to do"] }] });
    await chat.update(posted.place, { summary: ["b"], blocks: [{ kind: "text", text: ["Status: done"] }] });
    expect(emulator.messages.at(-1)).toMatchObject({ content: "Status: done", edited: true });
  });

  it("rejects not_found for a message that is gone (10008)", async () => {
    expect(await failure(chat.update({ ...general, message: "1500000000000000404" }, { summary: ["b"], blocks: [] }))).toMatchObject({ code: "not_found", platformCode: 10008 });
  });
});

describe("tellPrivately", () => {
  it("opens the DM and posts there", async () => {
    const posted = await chat.tellPrivately(bob, { summary: ["hi"], blocks: [{ kind: "text", text: ["Your task is done."] }] });
    expect(emulator.callsTo("create_dm")[0]?.body).toEqual({ recipient_id: DISCORD_SEED.bob });
    expect(posted.place).toMatchObject({ platform: "discord", workspace: "@me", conversation: emulator.messages.at(-1)!.channel_id });
  });

  it("rejects cannot_message_user for a person who refuses DMs (50007)", async () => {
    expect(await failure(chat.tellPrivately({ ...bob, userId: DISCORD_SEED.carol }, { summary: ["hi"], blocks: [] }))).toMatchObject({ code: "cannot_message_user", platformCode: 50007 });
  });
});

describe("displayNameOf", () => {
  it("is the person's display name, else their username", async () => {
    expect(await chat.displayNameOf(alice as never)).toBe("Alice");
    expect(await chat.displayNameOf(bob)).toBe("bob");
    expect(await failure(chat.displayNameOf({ ...bob, userId: "1400000000000000404" }))).toMatchObject({ code: "not_found", platformCode: 10013 });
  });
});

describe("Discord's errors as the port's", () => {
  it("maps each error the bot acts on", async () => {
    expect(await failure(chat.post({ ...general, conversation: DISCORD_SEED.readOnly }, { summary: ["x"], blocks: [] }))).toMatchObject({ code: "forbidden", platformCode: 50013 });
    expect(await failure(chat.post({ ...general, conversation: "1300000000000000404" }, { summary: ["x"], blocks: [] }))).toMatchObject({ code: "not_found", platformCode: 10003 });
    emulator.fail("create_message", { kind: "rate_limited", retryAfterSeconds: 1.25 });
    expect(await failure(chat.post(general, { summary: ["x"], blocks: [] }))).toMatchObject({ code: "rate_limited", retryAfterMs: 1250 });
    emulator.fail("create_message", { kind: "http", status: 502 });
    expect(await failure(chat.post(general, { summary: ["x"], blocks: [] }))).toMatchObject({ code: "http_error", platformCode: 502 });
    emulator.fail("create_message", { kind: "error", code: 50035, message: "Invalid Form Body" });
    expect(await failure(chat.post(general, { summary: ["x"], blocks: [] }))).toMatchObject({ code: "invalid_request", platformCode: 50035 });
  });

  it("reads an interaction token past its time as expired", () => {
    for (const code of [10015, 50027, 10062]) expect(toChatError(new DiscordApiError("edit_original", 404, { code })).code).toBe("expired");
    expect(toChatError(new DiscordApiError("create_message", 403, { code: 50001 })).code).toBe("forbidden");
    expect(toChatError(new DiscordApiError("create_message", 403, { code: 50278 })).code).toBe("cannot_message_user");
    expect(toChatError(new DiscordApiError("create_message", "timeout")).code).toBe("timeout");
  });
});
