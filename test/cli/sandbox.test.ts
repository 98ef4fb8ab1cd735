/** `npm run sandbox`'s checks before it starts anything (the running sandbox is test/e2e/sandbox.test.ts). */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { prepareState, runSandbox } from "../../src/cli/sandbox.js";

let dir: string | undefined;
let occupier: Server | undefined;

afterEach(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => (occupier ? occupier.close(resolve) : resolve(undefined)));
  dir = occupier = undefined;
});

function listenAnywhere(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}

describe("npm run sandbox", () => {
  it("with a port taken, refuses before --reset deletes the saved state, naming the option that moves it", async () => {
    dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-check-"));
    for (const name of ["slack.json", "notion.json"]) writeFileSync(join(dir, name), "{}");
    const taken = await listenAnywhere();
    occupier = taken.server;
    let output = "";
    const code = await runSandbox({
      argv: ["--dir", dir, "--reset", "--port", "0", "--slack-port", String(taken.port), "--notion-port", "0", "--discord-port", "0", "--mattermost-port", "0", "--teams-port", "0", "--control-port", "0", "--ui-port", "0"],
      env: {},
      out: { write: (text: string) => (output += text) },
      stopSignal: Promise.resolve("test"),
    });
    expect(code).toBe(1);
    expect(output).toContain(`The Slack emulator cannot listen on port ${taken.port}: something else uses it. Pass --slack-port <another port>.`);
    expect(output).not.toContain("Starting netlify dev");
    expect(existsSync(join(dir, "slack.json"))).toBe(true);
    expect(existsSync(join(dir, "notion.json"))).toBe(true);
  });

  it("checks the Mattermost emulator's port with the others, naming --mattermost-port", async () => {
    dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-check-"));
    const taken = await listenAnywhere();
    occupier = taken.server;
    let output = "";
    const code = await runSandbox({
      argv: ["--dir", dir, "--port", "0", "--slack-port", "0", "--notion-port", "0", "--discord-port", "0", "--mattermost-port", String(taken.port), "--teams-port", "0", "--control-port", "0", "--ui-port", "0"],
      env: {},
      out: { write: (text: string) => (output += text) },
      stopSignal: Promise.resolve("test"),
    });
    expect(code).toBe(1);
    expect(output).toContain(`The Mattermost emulator cannot listen on port ${taken.port}: something else uses it. Pass --mattermost-port <another port>.`);
    expect(output).not.toContain("Starting netlify dev");
  });
});

describe("npm run sandbox's Teams port", () => {
  it("checks the Teams emulator's port with the others, naming --teams-port", async () => {
    dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-check-"));
    const taken = await listenAnywhere();
    occupier = taken.server;
    let output = "";
    const code = await runSandbox({
      argv: ["--dir", dir, "--port", "0", "--slack-port", "0", "--notion-port", "0", "--discord-port", "0", "--mattermost-port", "0", "--teams-port", String(taken.port), "--control-port", "0", "--ui-port", "0"],
      env: {},
      out: { write: (text: string) => (output += text) },
      stopSignal: Promise.resolve("test"),
    });
    expect(code).toBe(1);
    expect(output).toContain(`The Teams emulator cannot listen on port ${taken.port}: something else uses it. Pass --teams-port <another port>.`);
    expect(output).not.toContain("Starting netlify dev");
  });
});

describe("the sandbox's state", () => {
  function stateWithStore() {
    dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-state-"));
    const project = join(dir, "project");
    mkdirSync(join(project, ".netlify", "blobs-serve"), { recursive: true });
    writeFileSync(join(project, ".netlify", "blobs-serve", "claim"), "{}");
    const state = join(dir, "state");
    mkdirSync(state);
    for (const name of ["slack.json", "notion.json", "discord.json"]) writeFileSync(join(state, name), "{}");
    return { project, state, claim: join(project, ".netlify", "blobs-serve", "claim") };
  }

  it("keeps the emulators' state and the store across a restart", () => {
    const { project, state, claim } = stateWithStore();
    prepareState(state, project, { reset: false });
    expect(existsSync(join(state, "slack.json"))).toBe(true);
    expect(existsSync(join(state, "discord.json"))).toBe(true);
    expect(existsSync(claim)).toBe(true);
  });

  it("empties the store with the emulators' state on --reset, so no old claim names a new modal", () => {
    const { project, state, claim } = stateWithStore();
    prepareState(state, project, { reset: true });
    expect(existsSync(join(state, "slack.json"))).toBe(false);
    expect(existsSync(join(state, "discord.json"))).toBe(false);
    expect(existsSync(claim)).toBe(false);
  });

  it("empties the store when the emulators start afresh (their state was deleted by hand)", () => {
    const { project, state, claim } = stateWithStore();
    rmSync(join(state, "notion.json"));
    prepareState(state, project, { reset: false });
    expect(existsSync(claim)).toBe(false);
  });
});
