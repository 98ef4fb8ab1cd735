/**
 * The offline sandbox as a developer uses it: `npm run sandbox` in one process (the real netlify dev
 * and both emulators) and `npm run slack -- /task …` playing Slack against it, as a process of its
 * own. Asserts on what the CLI prints and on what the emulators hold. Every other command of the CLI
 * is run against a sandbox serving the functions in process (test/cli/sandbox-flows.test.ts), where a
 * hundred requests take seconds, not a minute; each endpoint is also proven through netlify dev by
 * test/e2e/netlify-dev.test.ts, Notion's webhooks included.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSandboxControlClient, type SandboxControlClient, type SandboxPage, type SandboxState } from "../../src/cli/sandbox-control.js";
import { readSandboxFile, type SandboxFile } from "../../src/cli/sandbox-file.js";
import { freePort, snapshotProject } from "../../dev/netlify-dev.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX_LOADER = ["--import", "tsx"];

let dir: string;
let project: string;
let sandbox: ChildProcess;
let sandboxOutput = "";
let file: SandboxFile;
let control: SandboxControlClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-"));
  project = projectWithEnvFile();
  // The emulators and the control server take ports the kernel picks (0); netlify dev needs one named.
  sandbox = spawn(
    process.execPath,
    [...TSX_LOADER, "src/cli/sandbox.ts", "--dir", dir, "--project", project, "--port", String(await freePort()), "--slack-port", "0", "--notion-port", "0", "--discord-port", "0", "--mattermost-port", "0", "--teams-port", "0", "--control-port", "0", "--ui-port", "0", "--no-open"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  sandbox.stdout?.on("data", (chunk: Buffer) => (sandboxOutput += chunk.toString()));
  sandbox.stderr?.on("data", (chunk: Buffer) => (sandboxOutput += chunk.toString()));
  // Past the sandbox's own 120 s for netlify dev, so its message is the one shown.
  const deadline = Date.now() + 180_000;
  while (!sandboxOutput.includes("Ctrl-C stops everything")) {
    if (sandbox.exitCode !== null || Date.now() > deadline) throw new Error(`the sandbox did not start:\n${sandboxOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  file = readSandboxFile(dir)!;
  control = createSandboxControlClient(file.controlUrl);
}, 240_000);

// The sandbox echoes netlify dev's output, function logs included: shown when a test fails.
beforeEach((context) => {
  const from = sandboxOutput.length;
  context.onTestFailed(() => console.log(`sandbox output during the test:\n${sandboxOutput.slice(from).slice(-8_000)}`));
});

afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) {
    const exited = new Promise((resolve) => sandbox.once("exit", resolve));
    sandbox.kill("SIGTERM");
    await exited;
  }
  for (const path of [dir, project]) if (path) rmSync(path, { recursive: true, force: true });
}, 30_000);

/**
 * The sandbox serves a copy of the project (test/e2e/netlify-dev.test.ts runs netlify dev alongside,
 * in the project itself: see snapshotProject), with a developer's .env in it.
 */
function projectWithEnvFile(): string {
  const copy = snapshotProject("chatops-sandbox-project-");
  // A developer's real configuration, which netlify dev reads: none of it may reach the sandbox
  // (the app id and the channel list would refuse every request, the URLs would leave the machine).
  writeFileSync(
    join(copy, ".env"),
    [
      "SLACK_SIGNING_SECRET=a-real-signing-secret-0123456789",
      "SLACK_BOT_TOKEN=xoxb-a-real-token",
      "NOTION_TOKEN=ntn_a_real_token_123456",
      "NOTION_DATABASE_ID=0123456789abcdef0123456789abcdef",
      "SLACK_API_URL=https://slack.com/api/",
      "NOTION_API_URL=https://api.notion.com",
      "SLACK_APP_ID=A0REALAPP",
      "TASK_ALLOWED_CHANNEL_IDS=C0ELSEWHERE",
      "",
    ].join("\n"),
  );
  return copy;
}

/** `npm run slack -- …args` as a process of its own, not in a terminal (so never prompting). */
function slackCliProcess(...args: string[]): Promise<{ code: number; out: string }> {
  return cliProcess("src/cli/slack.ts", ...args);
}

/** A CLI (`script`) as a process of its own, against the sandbox in `dir`. */
function cliProcess(script: string, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TSX_LOADER, script, ...args],
      { cwd: ROOT, env: { ...process.env, SANDBOX_DIR: dir }, timeout: 50_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

function pageTitled(state: SandboxState, title: string): SandboxPage | undefined {
  return state.pages.find((page) => JSON.stringify(page.properties.Name).includes(JSON.stringify(title).slice(1, -1)));
}

function propertyText(page: SandboxPage, name: string): string {
  return JSON.stringify(page.properties[name]);
}

const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe("npm run sandbox", () => {
  it("starts on a seeded board, ignoring the project's .env, and proves the functions use the sandbox's secret and emulators", async () => {
    expect(sandboxOutput).toContain("a sample board was just seeded");
    expect(sandboxOutput).toContain("✓ your .env is ignored here (8 variables)");
    expect(sandboxOutput).toContain("✓ a signed /task list went through the functions to the Notion emulator");
    // Discord is on beside Slack: netlify dev serves /discord/interactions with the session's public key.
    expect(sandboxOutput).toContain('✓ a signed Discord PING was answered {"type":1}');
    expect(sandboxOutput).toContain('npm run slack -- /task "Fix login"');
    // Mattermost too: netlify dev serves /mattermost/commands with the sandbox's command token.
    expect(sandboxOutput).toContain("✓ Mattermost's /task help went through with the sandbox's command token");
    expect((await control.state()).pages.length).toBeGreaterThan(3);
  });
});

describe("npm run mattermost", () => {
  it("/task with the dialog's fields: netlify dev opens the dialog at its own URL, saves the task once, and announces it in ~tasks", async () => {
    const { code, out } = await cliProcess("src/cli/mattermost.ts", "/task", "Mattermost login", "--priority", "High", "--due", inAWeek);
    expect(code, out).toBe(0);
    expect(out).toContain('Mattermost opens the dialog "New task" for @alice:');
    expect(out).toContain("The dialog closes.");
    expect(out).toMatch(/New post \w+ in ~tasks, by @chatops:/);
    expect(out).toContain('Notion: a new task "Mattermost login" · Not started · High');
    expect((await control.state()).pages.filter((page) => JSON.stringify(page.properties.Name).includes("Mattermost login"))).toHaveLength(1);
  });
});

describe("npm run slack", () => {
  it("/task: shows the modal, fills and submits it, and shows the confirmation and the page in Notion", async () => {
    const { code, out } = await slackCliProcess("/task", "Fix login", "--priority", "High", "--due", inAWeek, "--description", "Safari only");
    expect(code, out).toBe(0);
    expect(out).toContain("The bot opened a modal");
    expect(out).toContain("│ Title: Fix login");
    expect(out).toContain("← 200: the modal closes.");
    expect(out).toMatch(/only @alice sees this in #general:\n\s+:white_check_mark: \*Fix login \(https:\/\/www\.notion\.so\/Fix-login-\w+\)\* is on the board\./);
    expect(out).toContain('+ created "Fix login" · Not started · High');

    const state = await control.state();
    const page = pageTitled(state, "Fix login")!;
    expect(propertyText(page, "Priority")).toContain("High");
    expect(propertyText(page, "Due")).toContain(inAWeek);
    expect(propertyText(page, "Requested by")).toContain("U0ALICE");
    expect(state.responses.at(-1)?.body.text).toContain(page.url);
    expect(state.messages.filter((m) => m.channel === "C0TASKS").at(-1)?.text).toContain("Fix login");
  });
});
