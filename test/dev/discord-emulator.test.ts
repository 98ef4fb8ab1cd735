import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";

let emulator: DiscordEmulator;
beforeAll(async () => {
  emulator = await startDiscordEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** A raw call, as any client would make it ("" for no token): the emulator's own answers are the subject here. */
async function call(method: string, path: string, body?: unknown, token: string = DISCORD_SEED.botToken) {
  const response = await fetch(`${emulator.apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bot ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const label = (text: string, component: Record<string, unknown>) => ({ type: 18, label: text, component });
const input = (extra: Record<string, unknown> = {}) => ({ type: 4, custom_id: "title", style: 1, ...extra });

async function modal(data: Record<string, unknown>) {
  const interaction = emulator.issueInteraction({ type: 2 });
  return call("POST", `/interactions/${interaction.id}/${interaction.token}/callback`, { type: 9, data: { custom_id: "m", title: "New task", components: [label("Title", input())], ...data } }, "");
}

describe("the Discord emulator", () => {
  it("answers an invalid body as Discord does: 400, code 50035, and the field's path in nested errors", async () => {
    const answer = await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "x".repeat(2001) });
    expect(answer).toMatchObject({
      status: 400,
      json: { code: 50035, message: "Invalid Form Body", errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } } },
    });
  });

  it("checks a modal as Discord does: a title of 45 characters (code points), 1 to 5 components, no label on a text input inside a Label, 4,000 at most", async () => {
    expect((await modal({ title: "😀".repeat(45) })).status).toBe(204);
    expect((await modal({ title: "😀".repeat(46) })).json).toMatchObject({ code: 50035, errors: { data: { title: expect.anything() } } });
    expect((await modal({ components: Array.from({ length: 6 }, () => label("T", input())) })).json).toMatchObject({ code: 50035 });
    expect((await modal({ components: [label("T", input({ label: "T" }))] })).json).toMatchObject({ code: 50035 });
    expect((await modal({ components: [label("T", input({ max_length: 4001 }))] })).json).toMatchObject({ code: 50035 });
    expect((await modal({ components: [label("L".repeat(46), input())] })).json).toMatchObject({ code: 50035 });
  });

  it("refuses a row of six buttons and a custom_id of 101 characters", async () => {
    const button = (id: string) => ({ type: 2, style: 2, label: "B", custom_id: id });
    expect((await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "x", components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => button(`b${i}`)) }] })).status).toBe(400);
    expect((await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "x", components: [{ type: 1, components: [button("c".repeat(101))] }] })).status).toBe(400);
    expect((await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "x", components: [{ type: 1, components: [button("c".repeat(100))] }] })).status).toBe(200);
  });

  it("needs the bot's token on bot routes and none on an interaction's", async () => {
    expect(await call("GET", "/users/@me", undefined, "")).toMatchObject({ status: 401, json: { message: "401: Unauthorized", code: 0 } });
    const interaction = emulator.issueInteraction({ type: 2 });
    expect((await call("POST", `/interactions/${interaction.id}/${interaction.token}/callback`, { type: 5 }, "")).status).toBe(204);
  });

  it("answers a scripted 429 with retry_after in the body and Discord's headers", async () => {
    emulator.fail("*", { kind: "rate_limited", retryAfterSeconds: 2.5 });
    const answer = await call("GET", "/users/@me");
    expect(answer.status).toBe(429);
    expect(answer.json).toEqual({ message: "You are being rate limited.", retry_after: 2.5, global: false });
    expect(Object.fromEntries([...answer.headers].filter(([name]) => name.startsWith("x-ratelimit") || name === "retry-after"))).toEqual({
      "retry-after": "3",
      "x-ratelimit-bucket": "emulated-bucket",
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": "2.5",
      "x-ratelimit-scope": "user",
    });
    // One fault, used once.
    expect((await call("GET", "/users/@me")).status).toBe(200);
  });

  it("runs a fault as many times as asked, per route, and records every call, faulted ones included", async () => {
    emulator.fail("create_dm", { kind: "error", code: 50007, message: "Cannot send messages to this user", status: 403 }, { times: 2 });
    const body = { recipient_id: DISCORD_SEED.alice };
    expect((await call("POST", "/users/@me/channels", body)).json).toEqual({ message: "Cannot send messages to this user", code: 50007 });
    expect((await call("POST", "/users/@me/channels", body)).status).toBe(403);
    expect((await call("POST", "/users/@me/channels", body)).status).toBe(200);
    expect(emulator.callsTo("create_dm").map((recorded) => recorded.body)).toEqual([body, body, body]);
  });

  it("refuses a reply to a message that does not exist unless fail_if_not_exists is false", async () => {
    const reference = { message_id: "1599999999999999999" };
    expect((await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "x", message_reference: reference })).status).toBe(400);
    expect((await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "x", message_reference: { ...reference, fail_if_not_exists: false } })).status).toBe(200);
  });

  it("takes a first response given in the HTTP answer by the callback's rules: once, within the limits, and a 4 makes @original", async () => {
    const interaction = emulator.issueInteraction({ type: 2 });
    expect(emulator.receiveHttpResponse(interaction, { type: 9, data: { custom_id: "m", title: "T".repeat(46), components: [label("Title", input())] } })).toMatchObject({ code: 50035 });
    expect(emulator.receiveHttpResponse(interaction, { type: 4, data: { content: "saved", flags: 64 } })).toBeUndefined();
    expect(emulator.receiveHttpResponse(interaction, { type: 4, data: { content: "again" } })).toMatchObject({ code: 40060 });
    expect(emulator.messages.map((message) => [message.content, message.flags])).toEqual([["saved", 64]]);
    // Recorded as what the bot answered the POST with, not as a callback it made.
    expect(emulator.calls.map((call) => call.route)).toEqual(["http_response", "http_response", "http_response"]);
    const edited = await call("PATCH", `/webhooks/${DISCORD_SEED.applicationId}/${interaction.token}/messages/@original`, { content: "saved, with its link" }, "");
    expect(edited.status).toBe(200);
    expect(emulator.messages[0]).toMatchObject({ content: "saved, with its link", edited: true });
  });

  it("redraws the message a button is on for a 7, and @original after a 6 is that message", async () => {
    const posted = await call("POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "Fix login", components: [] });
    const messageId = String(posted.json?.["id"]);
    const pressed = emulator.issueInteraction({ type: 3, messageId });
    expect(emulator.receiveHttpResponse(pressed, { type: 7, data: { content: "Fix login · In progress" } })).toBeUndefined();
    expect(emulator.messages.find((message) => message.id === messageId)).toMatchObject({ content: "Fix login · In progress", edited: true });
    const deferred = emulator.issueInteraction({ type: 3, messageId });
    expect((await call("POST", `/interactions/${deferred.id}/${deferred.token}/callback`, { type: 6 }, "")).status).toBe(204);
    await call("PATCH", `/webhooks/${DISCORD_SEED.applicationId}/${deferred.token}/messages/@original`, { content: "Fix login · Done" }, "");
    expect(emulator.messages.map((message) => message.content)).toEqual(["Fix login · Done"]);
  });

  it("lets the bot send in the channels it was given, and answers 10003 for any other", async () => {
    const other = await startDiscordEmulator({ channels: ["1300000000000000009"] });
    try {
      const send = (channel: string) =>
        fetch(`${other.apiUrl}/channels/${channel}/messages`, { method: "POST", headers: { authorization: `Bot ${DISCORD_SEED.botToken}`, "content-type": "application/json" }, body: '{"content":"x"}' }).then(async (response) => ({ status: response.status, json: (await response.json()) as unknown }));
      expect((await send("1300000000000000009")).status).toBe(200);
      expect(await send("1300000000000000008")).toEqual({ status: 404, json: { message: "Unknown Channel", code: 10003 } });
    } finally {
      await other.close();
    }
  });

  it("keeps the guild's messages, DMs and commands in its state file across a restart, but no interaction and no ephemeral message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatops-discord-state-"));
    const statePath = join(dir, "discord.json");
    try {
      const first = await startDiscordEmulator({ statePath });
      const send = (emulator: DiscordEmulator, method: string, path: string, body: unknown) =>
        fetch(`${emulator.apiUrl}${path}`, { method, headers: { authorization: `Bot ${DISCORD_SEED.botToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      await send(first, "POST", `/channels/${DISCORD_SEED.general}/messages`, { content: "posted" });
      await send(first, "POST", "/users/@me/channels", { recipient_id: DISCORD_SEED.alice });
      await send(first, "PUT", `/applications/${DISCORD_SEED.applicationId}/guilds/${DISCORD_SEED.guildId}/commands`, [{ name: "task", type: 1, description: "d" }]);
      first.postUserMessage({ authorId: DISCORD_SEED.bob, content: "written" });
      const interaction = first.issueInteraction({ type: 2 });
      expect(first.receiveHttpResponse(interaction, { type: 4, data: { content: "only you", flags: 64 } })).toBeUndefined();
      await first.close();
      const second = await startDiscordEmulator({ statePath });
      try {
        expect(second.messages.map((message) => message.content)).toEqual(["posted", "written"]);
        expect([...second.directMessages().keys()]).toEqual([DISCORD_SEED.alice]);
        expect(second.commands(DISCORD_SEED.guildId)).toMatchObject([{ name: "task" }]);
        expect(second.interactions).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
