/** Mattermost's ChatApi and REST client against the emulator: each call, each of Mattermost's failures as its ChatError, and calls kept to MATTERMOST_URL. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MATTERMOST_SEED, startMattermostEmulator, type MattermostEmulator } from "../../../dev/mattermost-emulator.js";
import type { Card } from "../../../src/chat/card.js";
import { createMattermostChatApi, type MattermostChatApi } from "../../../src/platforms/mattermost/chat-api.js";
import { createMattermostRest, type MattermostRest } from "../../../src/platforms/mattermost/rest.js";
import { signingKeyOf } from "../../../src/platforms/mattermost/signed.js";

let emulator: MattermostEmulator;
let rest: MattermostRest;
let chat: MattermostChatApi;
const card = (text: string): Card => ({ summary: [text], blocks: [{ kind: "text", text: [text] }] });
const place = () => ({ platform: "mattermost" as const, workspace: MATTERMOST_SEED.teamId, conversation: MATTERMOST_SEED.townSquare });

beforeAll(async () => {
  emulator = await startMattermostEmulator();
  rest = createMattermostRest({ serverUrl: emulator.url, token: MATTERMOST_SEED.botToken, timeoutMs: 5_000 });
  chat = createMattermostChatApi(rest, { signingKey: signingKeyOf(MATTERMOST_SEED.botToken, MATTERMOST_SEED.commandToken), siteUrl: "https://site.example", serverUrl: emulator.url, now: Date.now });
});
afterAll(() => emulator.close());
afterEach(() => emulator.reset());

describe("Mattermost's ChatApi", () => {
  it("posts, replies in the root's thread (a reply to a reply too), redraws its post, and links each by _redirect/pl", async () => {
    const posted = await chat.post(place(), card("Hello"));
    expect(posted.link).toBe(`${emulator.url}/_redirect/pl/${posted.place.message}`);
    const reply = await chat.reply(posted.place, card("In thread"));
    await chat.reply(reply.place, card("Still in thread"));
    await chat.update(posted.place, card("Hello again"));
    expect(emulator.posts.map((post) => [post.root_id === "" ? "root" : post.root_id === posted.place.message ? "thread" : "elsewhere", post.message, post.edited])).toEqual([
      ["root", "Hello again", true],
      ["thread", "In thread", false],
      ["thread", "Still in thread", false],
    ]);
  });

  it("links a post by the server's _redirect/pl without a call, as a task made from a reminder's button links back; a channel has no link", () => {
    expect(chat.linkOf?.({ ...place(), message: "p".repeat(26) })).toBe(`${emulator.url}/_redirect/pl/${"p".repeat(26)}`);
    expect(chat.linkOf?.(place())).toBeUndefined();
    expect(emulator.calls).toEqual([]);
  });

  it("sends a direct message through the direct channel with the bot's own id, read once", async () => {
    await chat.tellPrivately({ platform: "mattermost", workspace: MATTERMOST_SEED.teamId, userId: MATTERMOST_SEED.alice }, card("Psst"));
    await chat.tellPrivately({ platform: "mattermost", workspace: MATTERMOST_SEED.teamId, userId: MATTERMOST_SEED.alice }, card("Again"));
    expect(emulator.callsTo("get_me")).toHaveLength(1);
    expect(emulator.callsTo("create_direct_channel")[0]?.body).toEqual([MATTERMOST_SEED.botUserId, MATTERMOST_SEED.alice]);
    expect(emulator.posts.map((post) => post.channel_id)).toEqual([emulator.directChannelOf(MATTERMOST_SEED.alice), emulator.directChannelOf(MATTERMOST_SEED.alice)]);
  });

  it("names a person by nickname, else full name, else username", async () => {
    expect(await chat.displayNameOf({ platform: "mattermost", workspace: MATTERMOST_SEED.teamId, userId: MATTERMOST_SEED.alice })).toBe("Alice Martin");
    expect(await chat.displayNameOf({ platform: "mattermost", workspace: MATTERMOST_SEED.teamId, userId: MATTERMOST_SEED.bob })).toBe("bob");
  });

  it("turns each of Mattermost's failures into the port's ChatError, keeping Mattermost's id", async () => {
    const person = { platform: "mattermost" as const, workspace: MATTERMOST_SEED.teamId, userId: MATTERMOST_SEED.carol };
    await expect(chat.tellPrivately(person, card("x"))).rejects.toMatchObject({ code: "cannot_message_user", platformCode: "api.context.permissions.app_error" });
    await expect(chat.post({ ...place(), conversation: MATTERMOST_SEED.secret }, card("x"))).rejects.toMatchObject({ code: "forbidden" });
    await expect(chat.update({ ...place(), message: "z".repeat(26) }, card("x"))).rejects.toMatchObject({ code: "not_found", platformCode: "app.post.get.app_error" });
    emulator.fail("create_post", { kind: "rate_limited", retryAfterSeconds: 2 });
    await expect(chat.post(place(), card("x"))).rejects.toMatchObject({ code: "rate_limited", retryAfterMs: 2_000 });
    emulator.fail("create_post", { kind: "http", status: 502 });
    await expect(chat.post(place(), card("x"))).rejects.toMatchObject({ code: "http_error", platformCode: 502 });
    emulator.fail("create_post", { kind: "drop" });
    await expect(chat.post(place(), card("x"))).rejects.toMatchObject({ code: "network_error" });
    await expect(chat.post(place(), { summary: ["x"], blocks: [{ kind: "text", text: ["x".repeat(17_000)] }] })).resolves.toBeDefined();
  });

  it("says a hung call timed out, at its own timeout", async () => {
    const quick = createMattermostRest({ serverUrl: emulator.url, token: MATTERMOST_SEED.botToken, timeoutMs: 200 });
    emulator.fail("get_post", { kind: "hang" });
    await expect(quick.getPost("p".repeat(26))).rejects.toMatchObject({ status: "timeout" });
  });
});

describe("Mattermost's REST client", () => {
  it("never calls a response_url off MATTERMOST_URL's origin", async () => {
    const elsewhere = await startMattermostEmulator();
    try {
      await expect(rest.respond(elsewhere.issueResponseUrl(), { text: "x" })).rejects.toMatchObject({ status: "off_server" });
      expect(elsewhere.calls).toEqual([]);
      await rest.respond(emulator.issueResponseUrl(), { text: "y" });
      expect(emulator.responses.map((response) => response.body)).toEqual([{ text: "y" }]);
    } finally {
      await elsewhere.close();
    }
  });

  it("maps an expired trigger_id to expired", async () => {
    const chatError = await rest.openDialog({ trigger_id: "nope", url: "https://site.example/mattermost/dialogs", dialog: { callback_id: "f", title: "t", elements: [], submit_label: "s", notify_on_cancel: false, state: "" } }).catch((error: unknown) => error);
    expect(chatError).toMatchObject({ status: 400, id: "interactive_message.decode_trigger_id.signature_decode_failed" });
    emulator.fail("open_dialog", { kind: "error", id: "interactive_message.decode_trigger_id.expired" });
    const { toChatError } = await import("../../../src/platforms/mattermost/chat-api.js");
    const expired = await rest.openDialog({ trigger_id: emulator.issueTrigger(MATTERMOST_SEED.alice), url: "x", dialog: { callback_id: "f", title: "t", elements: [], submit_label: "s", notify_on_cancel: false, state: "" } }).catch(toChatError);
    expect(expired).toMatchObject({ code: "expired" });
  });
});
