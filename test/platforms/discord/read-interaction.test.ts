import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_PAYLOADS, discordKeyPair, signedInteraction } from "../../../dev/discord-signed.js";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../../dev/discord-emulator.js";
import { commandDefinitions } from "../../../src/platforms/discord/commands.js";
import { readDiscordInteraction } from "../../../src/platforms/discord/read-interaction.js";
import { createDiscordRest } from "../../../src/platforms/discord/rest.js";
import { discordPublicKey } from "../../../src/platforms/discord/verify-interaction.js";

const pair = discordKeyPair();
const nowMs = 1_780_000_000_000;
const options = { publicKey: discordPublicKey(pair.publicKeyHex), nowMs, subcommands: new Set(["list", "review", "help"]) };
const timestamp = Math.floor(nowMs / 1000);
const ping = JSON.stringify(DISCORD_PAYLOADS.ping());

describe("readDiscordInteraction", () => {
  it("answers a signed PING with {\"type\":1}", async () => {
    const outcome = await readDiscordInteraction(signedInteraction(ping, pair.privateKey, { timestamp }), options);
    expect(outcome.kind).toBe("pong");
    if (outcome.kind !== "pong") return;
    expect([outcome.response.status, await outcome.response.text()]).toEqual([200, '{"type":1}']);
  });

  it("answers every bad signature with the same bare 401, a PING's included", async () => {
    const other = discordKeyPair();
    const requests = [
      signedInteraction(ping, other.privateKey, { timestamp }),
      signedInteraction(ping, pair.privateKey, { timestamp, headers: { "x-signature-timestamp": String(timestamp + 1) } }),
      signedInteraction(ping, pair.privateKey, { timestamp, headers: { "x-signature-ed25519": "zz" } }),
      new Request("http://localhost/discord/interactions", { method: "POST", body: ping }),
    ];
    for (const request of requests) {
      const outcome = await readDiscordInteraction(request, options);
      expect(outcome.kind).toBe("refused");
      if (outcome.kind !== "refused") continue;
      expect([outcome.response.status, await outcome.response.text()]).toEqual([401, "Unauthorized"]);
    }
  });

  it("checks the signature over the bytes as sent, not a re-encoding", async () => {
    const body = JSON.stringify(DISCORD_PAYLOADS.taskCommand({ id: "1500000000000000001", token: "t" }, "Café 😀"));
    const outcome = await readDiscordInteraction(signedInteraction(body, pair.privateKey, { timestamp }), options);
    expect(outcome).toMatchObject({ kind: "interaction", parsed: { intent: { kind: "ask_for_task", text: "Café 😀" } } });
  });

  it("refuses a signed body it cannot read with 400", async () => {
    const outcome = await readDiscordInteraction(signedInteraction('{"type":2}', pair.privateKey, { timestamp }), options);
    expect(outcome.kind === "refused" && outcome.response.status).toBe(400);
  });
});

describe("commandDefinitions", () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  afterAll(() => emulator.close());

  it("are what Discord's bulk overwrite accepts: task with its text option, and the two message commands", async () => {
    const rest = createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: emulator.apiUrl });
    const registered = await rest.overwriteCommands(commandDefinitions(), DISCORD_SEED.guildId);
    expect(registered.map((command) => command.name)).toEqual(["task", "Remind of process", "Create task"]);
  });
});
