import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../../dev/discord-emulator.js";
import { renderCard, renderForm } from "../../../src/platforms/discord/render.js";
import { CallbackType, createDiscordRest, DiscordApiError, DiscordErrorCode, MessageFlags, type DiscordRest } from "../../../src/platforms/discord/rest.js";

let clock = 1_780_000_000_000;
let emulator: DiscordEmulator;
let rest: DiscordRest;

beforeAll(async () => {
  emulator = await startDiscordEmulator({ now: () => clock });
  rest = createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: emulator.apiUrl, timeoutMs: 10_000 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  clock = 1_780_000_000_000;
});

/** The error a call rejects with. */
async function failure(call: Promise<unknown>): Promise<DiscordApiError> {
  const error = await call.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(DiscordApiError);
  return error as DiscordApiError;
}

const card = renderCard({ summary: ["Saved"], blocks: [{ kind: "text", text: [{ bold: "Fix login" }, " is on the board."] }] }).body;

describe("the interaction callback", () => {
  it("answers a command with a modal, once: a second answer is Discord's 40060", async () => {
    const interaction = emulator.issueInteraction({ type: 2 });
    const { modal } = renderForm({ id: "task_modal", title: "New task", submitLabel: "Create", inputs: [{ kind: "text", id: "title", label: "Title", maxLength: 2000 }], context: {} });
    await rest.respond(interaction.id, interaction.token, { type: CallbackType.Modal, data: modal });
    expect(emulator.callsTo("interaction_callback")[0]?.body).toEqual({ type: 9, data: modal });
    const again = await failure(rest.respond(interaction.id, interaction.token, { type: CallbackType.DeferredChannelMessageWithSource }));
    expect([again.status, again.code]).toEqual([400, DiscordErrorCode.InteractionAlreadyAcknowledged]);
  });

  it("is refused after 3 s as an unknown interaction (10062)", async () => {
    const interaction = emulator.issueInteraction({ type: 2 });
    clock += 3_001;
    const error = await failure(rest.respond(interaction.id, interaction.token, { type: CallbackType.DeferredChannelMessageWithSource }));
    expect([error.status, error.code]).toEqual([404, DiscordErrorCode.UnknownInteraction]);
  });

  it("cannot answer a modal's submission with another modal", async () => {
    const interaction = emulator.issueInteraction({ type: 5 });
    const { modal } = renderForm({ id: "f", title: "Again", submitLabel: "OK", inputs: [{ kind: "text", id: "t", label: "T", maxLength: 10 }], context: {} });
    const error = await failure(rest.respond(interaction.id, interaction.token, { type: CallbackType.Modal, data: modal }));
    expect(error.code).toBe(DiscordErrorCode.InvalidFormBody);
  });
});

describe("the interaction webhook", () => {
  it("edits @original and sends an ephemeral follow-up for 15 minutes after the interaction", async () => {
    const interaction = emulator.issueInteraction({ type: 5 });
    await rest.respond(interaction.id, interaction.token, { type: CallbackType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    clock += 14 * 60_000;
    const edited = await rest.editOriginal(interaction.token, card);
    expect(emulator.messages.find((message) => message.id === edited.id)).toMatchObject({ content: "**Fix login** is on the board.", edited: true });
    await rest.followUp(interaction.token, { ...card, flags: MessageFlags.Ephemeral });
    expect(emulator.messages.at(-1)).toMatchObject({ flags: 64, interaction_token: interaction.token });
    clock += 61_000;
    expect((await failure(rest.followUp(interaction.token, card))).code).toBe(DiscordErrorCode.UnknownInteraction);
  });
});

describe("channel messages", () => {
  it("replies to a message with a message_reference, pinging only its author", async () => {
    const original = emulator.postUserMessage({ authorId: DISCORD_SEED.bob, content: "can someone fix login" });
    const reply = renderCard({ summary: ["r"], blocks: [{ kind: "text", text: ["Hi ", { mention: { platform: "discord", userId: DISCORD_SEED.bob } }] }] }, { ping: DISCORD_SEED.bob }).body;
    const posted = await rest.createMessage(DISCORD_SEED.general, { ...reply, message_reference: { message_id: original.id, fail_if_not_exists: false } });
    expect(posted.channel_id).toBe(DISCORD_SEED.general);
    expect(emulator.callsTo("create_message")[0]?.body).toEqual({
      content: `Hi <@${DISCORD_SEED.bob}>`,
      components: [],
      allowed_mentions: { parse: [], users: [DISCORD_SEED.bob], replied_user: false },
      message_reference: { message_id: original.id, fail_if_not_exists: false },
    });
  });

  it("refuses content over 2,000 characters with Discord's Invalid Form Body, counted in code points", async () => {
    await rest.createMessage(DISCORD_SEED.general, { content: "😀".repeat(2000) });
    const error = await failure(rest.createMessage(DISCORD_SEED.general, { content: "😀".repeat(2001) }));
    expect([error.status, error.code, error.discordMessage]).toEqual([400, DiscordErrorCode.InvalidFormBody, "Invalid Form Body"]);
  });

  it("answers 50013 where the bot may not send, 10003 for an unknown channel, and 401 for a wrong token", async () => {
    expect((await failure(rest.createMessage(DISCORD_SEED.readOnly, card))).code).toBe(DiscordErrorCode.MissingPermissions);
    expect((await failure(rest.createMessage("1399999999999999999", card))).code).toBe(DiscordErrorCode.UnknownChannel);
    const stranger = createDiscordRest({ token: "wrong", applicationId: DISCORD_SEED.applicationId, apiUrl: emulator.apiUrl });
    expect((await failure(stranger.createMessage(DISCORD_SEED.general, card))).status).toBe(401);
  });

  it("edits the bot's own message, and not a person's", async () => {
    const posted = await rest.createMessage(DISCORD_SEED.general, card);
    await rest.editMessage(posted.channel_id, posted.id, { content: "moved" });
    expect(emulator.messages.find((message) => message.id === posted.id)?.content).toBe("moved");
    const theirs = emulator.postUserMessage({ authorId: DISCORD_SEED.bob, content: "mine" });
    expect((await failure(rest.editMessage(DISCORD_SEED.general, theirs.id, { content: "x" }))).code).toBe(50005);
  });
});

describe("direct messages", () => {
  it("opens the same DM channel each time, and a person who refuses DMs answers 50007 on the send", async () => {
    const dm = await rest.createDm(DISCORD_SEED.alice);
    expect((await rest.createDm(DISCORD_SEED.alice)).id).toBe(dm.id);
    await rest.createMessage(dm.id, card);
    const closed = await rest.createDm(DISCORD_SEED.carol);
    expect((await failure(rest.createMessage(closed.id, card))).code).toBe(DiscordErrorCode.CannotSendMessagesToThisUser);
  });
});

describe("commands", () => {
  it("overwrites the global commands, or one guild's", async () => {
    const commands = [
      { name: "task", type: 1 as const, description: "Put a request on the board", options: [{ type: 3 as const, name: "text", description: "A title, or list, review or help", required: false }] },
      { name: "Remind of process", type: 3 as const, description: "" },
      { name: "Create task", type: 3 as const, description: "" },
    ];
    expect((await rest.overwriteCommands(commands)).map((command) => command.name)).toEqual(["task", "Remind of process", "Create task"]);
    await rest.overwriteCommands(commands.slice(0, 1), DISCORD_SEED.guildId);
    expect(emulator.commands(DISCORD_SEED.guildId)).toHaveLength(1);
    expect(emulator.callsTo("overwrite_commands").map((call) => [call.method, call.path])).toEqual([
      ["PUT", `/api/v10/applications/${DISCORD_SEED.applicationId}/commands`],
      ["PUT", `/api/v10/applications/${DISCORD_SEED.applicationId}/guilds/${DISCORD_SEED.guildId}/commands`],
    ]);
    expect((await failure(rest.overwriteCommands([{ name: "Bad Name", type: 1, description: "x" }]))).code).toBe(DiscordErrorCode.InvalidFormBody);
  });

  it("reads the bot's own user", async () => {
    expect(await rest.getCurrentUser()).toMatchObject({ id: DISCORD_SEED.botUserId, bot: true });
  });
});

describe("faults", () => {
  it("reports a 429's retry_after as Discord gave it (seconds with decimals), with its scope and bucket", async () => {
    emulator.fail("create_message", { kind: "rate_limited", retryAfterSeconds: 1.337, scope: "shared" });
    const error = await failure(rest.createMessage(DISCORD_SEED.general, card));
    expect([error.status, error.rateLimit]).toEqual([429, { retryAfterMs: 1337, global: false, scope: "shared", bucket: "emulated-bucket" }]);
  });

  it("reports a global limit as global", async () => {
    emulator.fail("*", { kind: "rate_limited", retryAfterSeconds: 0.5, global: true });
    expect((await failure(rest.getCurrentUser())).rateLimit).toMatchObject({ retryAfterMs: 500, global: true, scope: "global" });
  });

  it("aborts a call that hangs at its deadline", async () => {
    emulator.fail("create_message", { kind: "hang" });
    // A hang never answers, so the verdict does not rest on the timeout being short: only on it firing.
    const impatient = createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: emulator.apiUrl, timeoutMs: 300 });
    expect((await failure(impatient.createMessage(DISCORD_SEED.general, card))).status).toBe("timeout");
    const spent = await failure(rest.respond("1", "t", { type: CallbackType.DeferredUpdateMessage }, { deadline: { remainingMs: () => 0 } }));
    expect(spent.status).toBe("timeout");
    // No request was made for a deadline already passed.
    expect(emulator.callsTo("interaction_callback")).toHaveLength(0);
  });

  it("reads a 5xx without JSON, and a dropped connection as a network error", async () => {
    emulator.fail("create_message", { kind: "http", status: 502 });
    expect((await failure(rest.createMessage(DISCORD_SEED.general, card))).status).toBe(502);
    emulator.fail("create_message", { kind: "drop" });
    expect((await failure(rest.createMessage(DISCORD_SEED.general, card))).status).toBe("network_error");
  });
});
