/**
 * `npm run discord` against the sandbox (its Discord emulator, control server and sandbox file), with
 * the functions served in process: the CLI finds the sandbox by its file, and each act reaches the
 * real /discord/interactions signed with the session's key. Refusals come before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDiscordCli } from "../../src/cli/discord.js";
import { checkDiscord } from "../../src/cli/doctor-discord.js";
import { createReport, MARKS } from "../../src/cli/report.js";
import { createSandboxControlClient } from "../../src/cli/sandbox-control.js";
import { startInProcessSandbox, type InProcessSandbox } from "./in-process-sandbox.js";

let sandbox: InProcessSandbox;

beforeAll(async () => {
  sandbox = await startInProcessSandbox("discord-cli", { startWithinMs: 60_000 });
}, 90_000);
afterAll(() => sandbox.stop());

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runDiscordCli({ argv: ["--dir", sandbox.dir, ...args], env: {}, out: { write: (text: string) => (out += text) } });
  return { code, out };
}

const guild = () => createSandboxControlClient(sandbox.file.controlUrl).discord.state();

describe("npm run discord against the sandbox", () => {
  it("/task help goes through the real function, signed with the session's key, and only the person sees the answer", async () => {
    const { code, out } = await cli("/task", "help");
    expect(out).toContain("→ @alice in #general: /task text:help");
    expect(out).toContain("← 200, a message only @alice sees:");
    expect(out).toContain("/task");
    const state = await guild();
    expect(state.interactions.at(-1)).toMatchObject({ type: 2, name: "/task", response: { type: 4 } });
    expect(code).toBe(0);
  });

  it("posts the message --text gives in the channel --channel names, then uses the message command on it", async () => {
    const { code, out } = await cli("remind", "--text", "Can someone fix the login?", "--channel", "tasks", "--as", "bob", "--author", "alice");
    const state = await guild();
    const message = state.messages.find((m) => m.content === "Can someone fix the login?")!;
    expect(state.channels.find((c) => c.id === message.channel)?.name).toBe("tasks");
    expect(out).toContain(`@alice wrote in #tasks (id ${message.id}):`);
    expect(out).toContain(`→ @bob uses Apps → "Remind of process" on @alice's message ${message.id} in #tasks`);
    expect(out).toMatch(/← 200/);
    expect(state.interactions.at(-1)).toMatchObject({ type: 2, name: "Remind of process", user: state.people.find((p) => p.name === "bob")!.id });
    expect(code).toBe(0);
  });

  it("refuses a person or a channel the guild does not have, before anything is sent", async () => {
    const before = await guild();
    const person = await cli("/task", "Fix login", "--as", "carol");
    expect(person.out).toContain("No person carol in the sandbox's guild: alice, bob.");
    expect(person.out).toContain("Nothing was sent. See npm run discord -- help");
    expect(person.code).toBe(2);
    const channel = await cli("remind", "--text", "hello", "--channel", "random");
    expect(channel.out).toContain("No channel random in the sandbox's guild: general, tasks.");
    expect(channel.code).toBe(2);
    const after = await guild();
    expect([after.messages.length, after.interactions.length]).toEqual([before.messages.length, before.interactions.length]);
  });

  it("says so when no sandbox runs in the directory", async () => {
    let out = "";
    const code = await runDiscordCli({ argv: ["--dir", `${sandbox.dir}/nowhere`, "state"], env: {}, out: { write: (text: string) => (out += text) } });
    expect(out).toBe("The sandbox isn't running. Start it in another terminal with: npm run sandbox\n");
    expect(code).toBe(1);
  });

  it("passes doctor's Discord checks with the sandbox's own configuration", async () => {
    let text = "";
    const report = createReport({ write: (chunk: string) => (text += chunk) });
    await checkDiscord(report, sandbox.file.env, { timeoutMs: 10_000 });
    expect(text).toContain(`${MARKS.ok} the commands are registered in the server ${sandbox.file.discord.guildId}`);
    expect(text).toContain(`${MARKS.ok} review channel #general: the bot can see it`);
    expect([report.failures, report.warnings]).toEqual([0, 0]);
  });
});
