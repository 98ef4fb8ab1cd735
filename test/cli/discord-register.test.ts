/**
 * `npm run discord:register` against the Discord emulator: the bulk overwrite, globally or in one
 * server, confirmed by listing the commands back; each refusal one line with its fix.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { runDiscordRegister } from "../../src/cli/discord-register.js";
import { MARKS } from "../../src/cli/report.js";
import { commandDefinitions } from "../../src/platforms/discord/commands.js";

let emulator: DiscordEmulator;

beforeAll(async () => {
  emulator = await startDiscordEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId, DISCORD_BOT_TOKEN: DISCORD_SEED.botToken, DISCORD_API_URL: emulator.apiUrl, ...overrides };
}

async function register(argv: string[], variables = env()): Promise<{ code: number; text: string; lines: string[] }> {
  let text = "";
  const code = await runDiscordRegister({ argv, env: variables, out: { write: (chunk: string) => (text += chunk) }, timeoutMs: 5_000 });
  return { code, text, lines: text.split("\n").map((line) => line.trim()).filter(Boolean) };
}

const failures = (lines: string[]) => lines.filter((line) => line.startsWith(`${MARKS.fail} `));

describe("npm run discord:register", () => {
  it("overwrites the global commands with task, Remind of process and Create task, then lists them back", async () => {
    const { code, lines } = await register([]);
    expect(emulator.callsTo("overwrite_commands").map((call) => [call.path, call.body])).toEqual([[`/api/v10/applications/${DISCORD_SEED.applicationId}/commands`, commandDefinitions()]]);
    expect(emulator.callsTo("list_commands").map((call) => call.path)).toEqual([`/api/v10/applications/${DISCORD_SEED.applicationId}/commands`]);
    expect(emulator.commands().map((command) => (command as { name: string }).name)).toEqual(["task", "Remind of process", "Create task"]);
    expect(lines[0]).toBe(`Registered 3 commands globally for the application ${DISCORD_SEED.applicationId}; Discord lists them back:`);
    expect(lines.slice(1, 4).map((line) => line.replace(/ \(id \d+\)$/, ""))).toEqual([`${MARKS.ok} /task [text]`, `${MARKS.ok} "Remind of process" (Apps menu on a message)`, `${MARKS.ok} "Create task" (Apps menu on a message)`]);
    expect(code).toBe(0);
  });

  it("registers in one server with --guild, which applies at once, leaving the global list alone", async () => {
    const { code, text } = await register(["--guild", DISCORD_SEED.guildId]);
    expect(emulator.callsTo("overwrite_commands")[0]?.path).toBe(`/api/v10/applications/${DISCORD_SEED.applicationId}/guilds/${DISCORD_SEED.guildId}/commands`);
    expect(emulator.commands(DISCORD_SEED.guildId)).toHaveLength(3);
    expect(emulator.commands()).toEqual([]);
    expect(text).toContain(`in the server ${DISCORD_SEED.guildId}`);
    expect(code).toBe(0);
  });

  it("refuses a --guild that is no server id, and an unknown flag, before calling Discord", async () => {
    const bad = await register(["--guild", "general"]);
    expect(bad.text).toContain("--guild must be a server id, 17 to 20 digits");
    expect(bad.code).toBe(2);
    const unknown = await register(["--gild", DISCORD_SEED.guildId]);
    expect(unknown.text).toContain("usage: npm run discord:register [-- --guild <server id>]");
    expect(unknown.code).toBe(2);
    expect(emulator.calls).toEqual([]);
  });

  it("names each missing or malformed variable it needs, and never prints the token", async () => {
    const { code, lines, text } = await register([], env({ DISCORD_APPLICATION_ID: undefined, DISCORD_BOT_TOKEN: `Bot ${DISCORD_SEED.botToken}` }));
    expect(failures(lines)).toEqual([
      `${MARKS.fail} DISCORD_APPLICATION_ID is missing — fix: Discord Developer Portal -> your application -> General Information -> Application ID`,
      `${MARKS.fail} DISCORD_BOT_TOKEN looks too short (or holds a space) for a bot token — fix: Discord Developer Portal -> your application -> Bot -> Reset Token`,
    ]);
    expect(text).not.toContain(DISCORD_SEED.botToken);
    expect(emulator.calls).toEqual([]);
    expect(code).toBe(1);
  });

  it("says when Discord refuses the token", async () => {
    const { code, lines } = await register([], env({ DISCORD_BOT_TOKEN: "not-the-bot-token-of-this-app" }));
    expect(failures(lines)).toEqual([`${MARKS.fail} Discord refused DISCORD_BOT_TOKEN (401 Unauthorized) — fix: copy a new one: Developer Portal -> your application -> Bot -> Reset Token, then run npm run discord:register again`]);
    expect(code).toBe(1);
  });

  it("says when the application id is not the token's application", async () => {
    const { code, lines } = await register([], env({ DISCORD_APPLICATION_ID: "1100000000000000999" }));
    expect(failures(lines)[0]).toMatch(/^✗ Discord knows no application 1100000000000000999 for this bot token \(10002\) — fix: DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN must come from the same application/);
    expect(code).toBe(1);
  });

  it("says when the bot is not in the --guild server", async () => {
    const { code, lines } = await register(["--guild", "1200000000000000999"]);
    expect(failures(lines)[0]).toMatch(/^✗ the bot is not in the server 1200000000000000999 \(50001 Missing Access\) — fix: install it there with the link in docs\/discord\.md/);
    expect(code).toBe(1);
  });

  it("says when Discord cannot be reached, and when it rate limits", async () => {
    emulator.fail("overwrite_commands", { kind: "http", status: 502 });
    expect(failures((await register([])).lines)).toEqual([`${MARKS.fail} could not reach Discord (502) — fix: check the network connection and DISCORD_API_URL, then run npm run discord:register again`]);
    emulator.fail("overwrite_commands", { kind: "rate_limited", retryAfterSeconds: 2.5 });
    expect(failures((await register([])).lines)).toEqual([`${MARKS.fail} Discord is rate limiting this bot (retry after 3 s) — fix: wait, then run npm run discord:register again`]);
  });

  it("fails when the list read back after the overwrite lacks a command", async () => {
    emulator.fail("list_commands", { kind: "http", status: 200 });
    // A 200 whose body is no list: nothing is confirmed.
    const { code, lines } = await register([]);
    expect(failures(lines)[0]).toContain("Discord took the overwrite but lists no /task [text], \"Remind of process\" (Apps menu on a message), \"Create task\" (Apps menu on a message) globally");
    expect(code).toBe(1);
  });
});

describe("npm run discord:register as a script", () => {
  it("reads .env under the shell's variables, as the other CLIs do, and exits 0 once Discord lists the commands", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "chatops-discord-register-"));
    // The file holds a wrong token, which the shell's value must override.
    writeFileSync(join(cwd, ".env"), [`DISCORD_APPLICATION_ID=${DISCORD_SEED.applicationId}`, "DISCORD_BOT_TOKEN=wrong-token-in-the-file", `DISCORD_API_URL=${emulator.apiUrl}`].join("\n"));
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const script = fileURLToPath(new URL("../../src/cli/discord-register.ts", import.meta.url));
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [tsx, script, "--guild", DISCORD_SEED.guildId], { cwd, env: { PATH: process.env.PATH ?? "", DISCORD_BOT_TOKEN: DISCORD_SEED.botToken }, timeout: 50_000 }, (error, out) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout: out }),
      );
    });
    rmSync(cwd, { recursive: true, force: true });
    expect(stdout).toContain(`Registered 3 commands in the server ${DISCORD_SEED.guildId}`);
    expect(emulator.commands(DISCORD_SEED.guildId)).toHaveLength(3);
    expect(code).toBe(0);
  });
});
