import { describe, expect, it } from "vitest";
import { conversationKind, humanAuthorOf, mentionedText, plainTextFrom, threadOf } from "../../../src/platforms/slack/message.js";

const message = (fields: Record<string, unknown> = {}) => ({ ts: "1760000001.000101", type: "message", user: "U0ALICE", text: "hi", ...fields });

describe("humanAuthorOf", () => {
  it("is the user of a person's message", () => {
    expect(humanAuthorOf(message())).toEqual({ id: "U0ALICE", name: undefined });
  });

  it("takes the name from the message's user_profile when Slack sends one", () => {
    expect(humanAuthorOf(message({ user_profile: { display_name: "", real_name: "Alice A.", name: "alice" } }))).toEqual({ id: "U0ALICE", name: "Alice A." });
  });

  it("counts a thread broadcast or a file share as the person's", () => {
    expect(humanAuthorOf(message({ subtype: "thread_broadcast" }))?.id).toBe("U0ALICE");
    expect(humanAuthorOf(message({ subtype: "file_share" }))?.id).toBe("U0ALICE");
  });

  it.each([
    ["a bot's message", { bot_id: "B1", subtype: "bot_message" }],
    ["a bot user's message without a subtype", { bot_id: "B1" }],
    ["a system message", { subtype: "channel_join" }],
    ["Slackbot", { user: "USLACKBOT" }],
    ["a message without a user", { user: undefined }],
    ["a malformed user id", { user: "U0X><!channel>" }],
  ])("is nobody for %s", (_name, fields) => {
    expect(humanAuthorOf(message(fields))).toBeUndefined();
  });
});

describe("threadOf", () => {
  it("is the message's thread when it is in one, else the message itself", () => {
    expect(threadOf(message({ thread_ts: "1760000000.000001" }))).toBe("1760000000.000001");
    expect(threadOf(message())).toBe("1760000001.000101");
  });
});

describe("plainTextFrom", () => {
  it.each([
    ["<@U0BOB>", "@U0BOB"],
    ["<@U0BOB|bob>", "@bob"],
    ["<#C0GENERAL|general>", "#general"],
    ["<#C0GENERAL>", "#C0GENERAL"],
    ["<!here> <!channel>", "@here @channel"],
    ["<!subteam^S0DEV|@devs>", "@devs"],
    ["<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"],
    ["<https://x.example/a|the page>", "the page (https://x.example/a)"],
    ["<https://x.example/a>", "https://x.example/a"],
    ["<https://x.example/a|https://x.example/a>", "https://x.example/a"],
    ["<mailto:ops@example.com|ops@example.com>", "ops@example.com"],
    ["a &lt;b&gt; &amp;lt; c", "a <b> &lt; c"],
  ])("reads %s as %s", (slack, plain) => {
    expect(plainTextFrom(slack)).toBe(plain);
  });

  it("reads a missing text as empty", () => {
    expect(plainTextFrom(undefined)).toBe("");
  });
});

describe("mentionedText", () => {
  it.each([
    ["<@U0BOT> list", "U0BOT", "list"],
    ["<@U0BOT|chatops>  review ", "U0BOT", "review"],
    ["hey <@U0BOT> can you track this?", "U0BOT", "hey can you track this?"],
    ["<@U0BOT> ask <@U0BOB> about it", "U0BOT", "ask <@U0BOB> about it"],
    ["<@U0BOT>", "U0BOT", ""],
    ["<@U0BOT> line one\nline two", "U0BOT", "line one\nline two"],
    // Without the bot's id, only the mention that starts the text is the bot's.
    ["<@U0BOT> help <@U0BOB>", undefined, "help <@U0BOB>"],
  ])("reads %j (bot %s) as %j", (text, bot, expected) => {
    expect(mentionedText(text, bot)).toBe(expected);
  });
});

describe("conversationKind", () => {
  it.each([
    [{ id: "C0GENERAL", name: "general" }, "public"],
    [{ id: "D0ALICE", name: "directmessage" }, "dm"],
    [{ id: "G0MPIM", name: "mpdm-alice--bob-1" }, "group_dm"],
    [{ id: "G0SECRET", name: "secret" }, "private"],
    [{ id: "C0PRIVATE", name: "privategroup" }, "private"],
  ])("reads %j as %s", (channel, kind) => {
    expect(conversationKind(channel)).toBe(kind);
  });
});
