import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../../dev/slack-emulator.js";
import type { Card } from "../../../src/chat/card.js";
import { ChatError } from "../../../src/chat/chat-error.js";
import { createSlackChatApi, toChatError } from "../../../src/platforms/slack/chat-api.js";
import { createSlackApi, SlackApiError } from "../../../src/platforms/slack/client.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";

// Slack's ChatApi against the emulator: each method's call, and each of Slack's failures as the
// port's ChatError with Slack's word, its Retry-After and the SlackApiError kept.

const TOKEN = "xoxb-chat-api-test";
/** Answered calls get seconds: a busy machine can be slow to answer a prompt call. */
const TIMEOUT_MS = 10_000;
const TEAM = SLACK_SEED.teamId;
const general = { platform: "slack", workspace: TEAM, conversation: SLACK_SEED.general } as const;
const alice = { platform: "slack", workspace: TEAM, userId: SLACK_SEED.alice } as const;
const card: Card = { summary: ["New task from ", { mention: alice }, ": Fix <login>"], blocks: [{ kind: "text", text: [{ bold: "Fix <login>" }] }] };

let emu: SlackEmulator;
const chatWithin = (timeoutMs: number, apiUrl = emu.apiUrl) => createSlackChatApi(createSlackApi({ token: TOKEN, apiUrl, timeoutMs }));

beforeAll(async () => {
  emu = await startSlackEmulator({ token: TOKEN });
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

describe("createSlackChatApi", () => {
  it("posts a card as its Block Kit, and says where it landed", async () => {
    const posted = await chatWithin(TIMEOUT_MS).post(general, card);
    const [message] = emu.messages;
    expect(message).toMatchObject({ channel: SLACK_SEED.general, ...renderSlackCard(card) });
    expect(message!.text).toBe(`New task from <@${SLACK_SEED.alice}>: Fix &lt;login&gt;`);
    expect(posted).toEqual({ place: { ...general, message: message!.ts }, link: `https://slack.com/archives/${SLACK_SEED.general}/p${message!.ts.replace(".", "")}` });
  });

  it("replies in the place's thread, or under the message when it starts none", async () => {
    const chat = chatWithin(TIMEOUT_MS);
    await chat.reply({ ...general, thread: "1700000000.000100", message: "1700000000.000200" }, card);
    await chat.reply({ ...general, message: "1700000000.000300" }, card);
    expect(emu.messages.map((message) => message.thread_ts)).toEqual(["1700000000.000100", "1700000000.000300"]);
  });

  it("tells a person privately by a DM, and reads a display name with users.info", async () => {
    const chat = chatWithin(TIMEOUT_MS);
    const posted = await chat.tellPrivately(alice, card);
    expect(emu.callsTo("chat.postMessage")[0]!.args.channel).toBe(SLACK_SEED.alice);
    expect(posted.place.conversation).toMatch(/^D/);
    expect(await chat.displayNameOf(alice)).toBe((await createSlackApi({ token: TOKEN, apiUrl: emu.apiUrl }).getUser(SLACK_SEED.alice)).name);
  });

  it("asks Slack for a message's permalink, and for a person's email, for the task it becomes", async () => {
    const chat = chatWithin(TIMEOUT_MS);
    const message = { ...general, thread: "1700000000.000100", message: "1700000000.000200" };
    expect(await chat.permalinkOf!(message)).toMatch(/^https:\/\/[a-z0-9-]+\.slack\.com\/archives\//);
    expect(emu.callsTo("chat.getPermalink")[0]!.args).toMatchObject({ channel: SLACK_SEED.general, message_ts: "1700000000.000200" });
    const slack = createSlackApi({ token: TOKEN, apiUrl: emu.apiUrl });
    expect(await chat.emailOf!(alice)).toBe((await slack.getUser(SLACK_SEED.alice)).email);
    emu.fail("chat.getPermalink", { kind: "error", error: "message_not_found" });
    await expect(chat.permalinkOf!(message)).rejects.toMatchObject({ code: "not_found", platformCode: "message_not_found" });
  });

  it("maps each of Slack's refusals onto the port's code, keeping Slack's word and the SlackApiError", async () => {
    const cases = [
      ["channel_not_found", "not_found"],
      ["not_found", "not_found"],
      ["message_not_found", "not_found"],
      ["not_in_channel", "forbidden"],
      ["is_archived", "forbidden"],
      ["restricted_action", "forbidden"],
      ["cannot_dm_bot", "cannot_message_user"],
      ["user_not_found", "cannot_message_user"],
      ["expired_trigger_id", "expired"],
      ["invalid_blocks", "invalid_request"],
      ["toString", "invalid_request"],
    ] as const;
    for (const [word, code] of cases) {
      emu.fail("chat.postMessage", { kind: "error", error: word });
      const error = await chatWithin(TIMEOUT_MS).post(general, card).catch((thrown: unknown) => thrown);
      expect(error, word).toBeInstanceOf(ChatError);
      expect(error, word).toMatchObject({ code, platform: "slack", platformCode: word, retryAfterMs: undefined });
      expect((error as ChatError).cause, word).toBeInstanceOf(SlackApiError);
    }
  });

  it("a real refusal too: a private channel the bot is not in is not_found", async () => {
    await expect(chatWithin(TIMEOUT_MS).post({ ...general, conversation: SLACK_SEED.secret }, card)).rejects.toMatchObject({ code: "not_found", platformCode: "channel_not_found" });
  });

  it("keeps a rate limit's Retry-After, in ms", async () => {
    emu.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 7 });
    await expect(chatWithin(TIMEOUT_MS).post(general, card)).rejects.toMatchObject({ code: "rate_limited", platformCode: "rate_limited", retryAfterMs: 7_000 });
  });

  it("maps transport failures: an HTTP error, no answer, no server", async () => {
    emu.fail("chat.postMessage", { kind: "http", status: 503 });
    await expect(chatWithin(TIMEOUT_MS).post(general, card)).rejects.toMatchObject({ code: "http_error" });
    emu.fail("users.info", { kind: "hang" });
    await expect(chatWithin(300).displayNameOf(alice)).rejects.toMatchObject({ code: "timeout" });
    await expect(chatWithin(TIMEOUT_MS, "http://127.0.0.1:1/api/").post(general, card)).rejects.toMatchObject({ code: "network_error" });
  });

  it("passes a ChatError through and reads anything else as a network error", () => {
    const chatError = new ChatError("forbidden", "slack");
    expect(toChatError(chatError)).toBe(chatError);
    expect(toChatError(new Error("boom"))).toMatchObject({ code: "network_error", platformCode: "network_error" });
  });
});
