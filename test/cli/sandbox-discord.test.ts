/**
 * The sandbox's Discord road (src/cli/sandbox-discord.ts), in process: the control server with the
 * Discord emulator, and in place of the functions a stand-in that verifies and parses with the real
 * Discord adapter (readDiscordInteraction, with the session's public key) and answers with the real
 * renderers. The road with the real function is test/browser/sandbox-page.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { discordKeyPair } from "../../dev/discord-signed.js";
import { startNotionEmulator, type NotionEmulator } from "../../dev/notion-emulator.js";
import { serveHandler, type ServedHandler } from "../../dev/serve-handler.js";
import { startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { createSandboxControlClient, startSandboxControl, type SandboxControl, type SandboxControlClient } from "../../src/cli/sandbox-control.js";
import { DiscordActRefused, failureOf, sendDiscordInteraction } from "../../src/cli/sandbox-discord.js";
import type { SandboxFile } from "../../src/cli/sandbox-file.js";
import { SANDBOX_BOARD, SANDBOX_DISCORD, sandboxFileFor } from "../../src/cli/sandbox-seed.js";
import { readDiscordInteraction } from "../../src/platforms/discord/read-interaction.js";
import { renderCard, renderForm } from "../../src/platforms/discord/render.js";
import { discordPublicKey } from "../../src/platforms/discord/verify-interaction.js";

let dir: string;
let slack: SlackEmulator;
let notion: NotionEmulator;
let discord: DiscordEmulator;
let control: SandboxControl;
let client: SandboxControlClient;
let bot: ServedHandler;
let file: SandboxFile;
/** What the stand-in parsed, in order: each intent's kind. */
const heard: string[] = [];

const ALICE = SANDBOX_DISCORD.people[0].id;
const BOB = SANDBOX_DISCORD.people[1].id;
const GENERAL = SANDBOX_DISCORD.channels.general.id;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-discord-"));
  slack = await startSlackEmulator({ statePath: join(dir, "slack.json") });
  notion = await startNotionEmulator({ statePath: join(dir, "notion.json") });
  discord = await startDiscordEmulator({ botToken: SANDBOX_DISCORD.botToken, channels: [SANDBOX_DISCORD.channels.tasks.id] });
  control = await startSandboxControl({
    slack,
    notion,
    dataSourceId: SANDBOX_BOARD.dataSourceId,
    slackStatePath: join(dir, "slack.json"),
    port: 0,
    discord: { emulator: discord, directory: { guild: { id: SANDBOX_DISCORD.guildId, name: SANDBOX_DISCORD.guildName }, botId: SANDBOX_DISCORD.applicationId, channels: Object.values(SANDBOX_DISCORD.channels), people: SANDBOX_DISCORD.people } },
  });
  client = createSandboxControlClient(control.url);
  const keys = discordKeyPair();
  const publicKey = discordPublicKey(keys.publicKeyHex);
  bot = await serveHandler(
    async (request) => {
      const read = await readDiscordInteraction(request, { publicKey, nowMs: Date.now(), subcommands: new Set(["list"]) });
      if (read.kind !== "interaction") return read.response;
      const { parsed } = read;
      if (parsed.kind === "other") return Response.json({ type: 4, data: { content: parsed.what, flags: 64 } });
      heard.push(parsed.intent.kind);
      switch (parsed.intent.kind) {
        case "ask_for_task":
          return Response.json({ type: 9, data: renderForm({ id: "task_modal", title: "New task", submitLabel: "Create task", inputs: [{ kind: "text", id: "title", label: "Title", maxLength: 200, value: parsed.intent.text }], context: { o: parsed.interaction.id } }).modal });
        case "submit_form":
          return Response.json({ type: 4, data: { ...renderCard({ summary: [`Saved ${parsed.intent.values["title"] ?? ""}`], blocks: [{ kind: "buttons", id: "confirmation", buttons: [{ kind: "action", action: "task_status_start", label: "Start", value: "page-1" }] }] }).body, flags: 64 } });
        case "button":
          return Response.json({ type: 7, data: { content: "In progress", components: [] } });
        default:
          return Response.json({ type: 4, data: { content: "noted", flags: 64 } });
      }
    },
    { waitUntil: () => undefined },
  );
  file = sandboxFileFor({
    functionsUrl: bot.origin,
    controlUrl: control.url,
    slackApiUrl: slack.apiUrl,
    notionUrl: notion.url,
    discordApiUrl: discord.apiUrl,
    discordPublicKey: keys.publicKeyHex,
    mattermostUrl: "http://127.0.0.1:9",
    teamsOrigin: "http://127.0.0.1:9",
    teamsKey: { kid: "unused", privateKey: "" },
    discordPrivateKey: keys.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  });
});

afterAll(async () => {
  await bot?.close();
  await control?.close();
  await Promise.all([slack?.close(), notion?.close(), discord?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("an interaction sent as Discord sends it, from the sandbox", () => {
  it("/task reaches the functions signed with the session's key; the modal they answer is the interaction's first response", async () => {
    const outcome = await sendDiscordInteraction(file, client, { kind: "command", user: BOB, channel: GENERAL, text: "Fix login" });
    expect(failureOf(outcome)).toBeUndefined();
    const state = await client.discord.state();
    const opened = state.interactions.find((interaction) => interaction.id === outcome.interaction.id);
    expect(opened).toMatchObject({ type: 2, user: BOB, channel: GENERAL, name: "/task", response: { type: 9, data: { title: "New task" } } });
    expect(JSON.stringify(opened?.response)).toContain('"value":"Fix login"');
  });

  it("the modal submitted: its values come back under their custom_ids, and the ephemeral answer is Bob's, as the interaction's message", async () => {
    const opened = (await client.discord.state()).interactions.at(-1)!;
    const outcome = await sendDiscordInteraction(file, client, { kind: "modal_submit", user: BOB, opening: opened.id, values: { title: "Fix login on Safari" } });
    expect(failureOf(outcome)).toBeUndefined();
    const state = await client.discord.state();
    const answer = state.messages.find((message) => message.interaction === outcome.interaction.id);
    expect(answer).toMatchObject({ content: "Saved Fix login on Safari", flags: 64, author: SANDBOX_DISCORD.applicationId });
    expect(state.interactions.find((interaction) => interaction.id === outcome.interaction.id)?.user).toBe(BOB);
  });

  it("a button on that message: an UPDATE_MESSAGE answer redraws the message it is on", async () => {
    const message = (await client.discord.state()).messages.at(-1)!;
    const customId = (message.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id;
    const outcome = await sendDiscordInteraction(file, client, { kind: "button", user: BOB, message: message.id, customId, label: "Start" });
    expect(failureOf(outcome)).toBeUndefined();
    expect((await client.discord.state()).messages.find((m) => m.id === message.id)).toMatchObject({ content: "In progress", edited: true });
  });

  it("a message command on a person's message carries that message, resolved", async () => {
    const asked = await client.discord.postMessage({ channel: GENERAL, author: BOB, content: "can someone fix the login page?" });
    const outcome = await sendDiscordInteraction(file, client, { kind: "message_command", user: ALICE, name: "Remind of process", message: asked.id });
    expect(failureOf(outcome)).toBeUndefined();
    expect(heard.at(-1)).toBe("message_shortcut");
  });

  it("refuses what is not there before anything is sent: a message, a modal, a person", async () => {
    const before = heard.length;
    await expect(sendDiscordInteraction(file, client, { kind: "button", user: BOB, message: "1", customId: "x" })).rejects.toThrow(DiscordActRefused);
    await expect(sendDiscordInteraction(file, client, { kind: "modal_submit", user: BOB, opening: "1", values: {} })).rejects.toThrow(DiscordActRefused);
    await expect(sendDiscordInteraction(file, client, { kind: "command", user: "1", channel: GENERAL })).rejects.toThrow(DiscordActRefused);
    expect(heard.length).toBe(before);
  });

  it("signed with another key, the functions answer 401: the person sees that the interaction failed", async () => {
    const other = { ...file, discord: { ...file.discord, privateKey: discordKeyPair().privateKey.export({ format: "pem", type: "pkcs8" }).toString() } };
    const outcome = await sendDiscordInteraction(other, client, { kind: "command", user: ALICE, channel: GENERAL });
    expect(failureOf(outcome)).toBe("This interaction failed: the functions answered 401. The function log says why.");
  });
});
