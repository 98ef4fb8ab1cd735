/**
 * `npm run slack`'s checks, in process: the sandbox's emulators and control endpoints, and in place
 * of netlify dev a server that only counts what reaches it. Every refusal must come before anything
 * is sent: no request to the functions, no message posted, no modal opened. The CLI against the real
 * functions is test/e2e/sandbox.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { startSandboxControl, type SandboxControl } from "../../src/cli/sandbox-control.js";
import { writeSandboxFile } from "../../src/cli/sandbox-file.js";
import { SANDBOX_BOARD, SANDBOX_CREDENTIALS, sandboxFileFor, seedWorkspace } from "../../src/cli/sandbox-seed.js";
import { runSlackCli } from "../../src/cli/slack.js";
import { buildTaskModal } from "../../src/features/task-request/modal.js";

let dir: string;
let slack: SlackEmulator;
let notion: NotionEmulator;
let control: SandboxControl;
let functions: Server;
/** Every request that reached the stand-in for netlify dev. */
let received: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "chatops-slack-cli-"));
  slack = await startSlackEmulator({ token: SANDBOX_CREDENTIALS.slackToken, statePath: join(dir, "slack.json") });
  seedWorkspace(slack);
  notion = await startNotionEmulator({ token: SANDBOX_CREDENTIALS.notionToken });
  // The team's own priorities, not the bot's defaults (High, Medium, Low).
  notion.addDatabase({ title: "Tasks", ...SANDBOX_BOARD, properties: taskBoardSchema({ Priority: { select: { options: [{ name: "P1" }, { name: "P2" }, { name: "P3" }] } } }) });
  control = await startSandboxControl({ slack, notion, dataSourceId: SANDBOX_BOARD.dataSourceId, slackStatePath: join(dir, "slack.json"), port: 0 });
  received = [];
  functions = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    response.end();
  });
  await new Promise<void>((resolve) => functions.listen(0, "127.0.0.1", resolve));
  writeSandboxFile(dir, sandboxFileFor({ functionsUrl: `http://127.0.0.1:${(functions.address() as AddressInfo).port}`, controlUrl: control.url, slackApiUrl: slack.apiUrl, notionUrl: notion.url }));
});

afterEach(async () => {
  functions.closeAllConnections();
  await new Promise((resolve) => functions.close(resolve));
  await control.close();
  await Promise.all([slack.close(), notion.close()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
}

/** `npm run slack -- …args`, not in a terminal. */
async function cli(...args: string[]): Promise<Run> {
  let out = "";
  const code = await runSlackCli({ argv: [...args, "--dir", dir], env: {}, out: { write: (text: string) => (out += text) } });
  return { code, out };
}

/** What the sandbox would have shown of the CLI's doing: requests to the functions, messages, modals. */
function sent() {
  return { functions: received, messages: slack.messages.length, views: slack.views.length };
}

const NOTHING_SENT = { functions: [], messages: 0, views: 0 };

describe("npm run slack checks every flag before sending anything", () => {
  it("refuses a --priority the board does not offer, naming the board's own options", async () => {
    const { code, out } = await cli("/task", "Fix login", "--priority", "High");
    expect(out).toContain('Priority: "High" is not one of P1, P2, P3.');
    expect(out).toContain("Nothing was sent.");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses a --due that is not a date", async () => {
    const { code, out } = await cli("/task", "Fix login", "--due", "next friday");
    expect(out).toContain('Due date: "next friday" is not a date (YYYY-MM-DD).');
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses a --title over the form's limit", async () => {
    const { code, out } = await cli("/task", "--title", "x".repeat(151));
    expect(out).toContain("Slack won't submit this: Title is 151 characters; the most is 150.");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses to submit /task with no title, as Slack's client would", async () => {
    const { code, out } = await cli("/task", "--submit");
    expect(out).toContain("Slack won't submit this: Title is required.");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses an unknown flag", async () => {
    const { code, out } = await cli("/task", "Fix login", "--priorty", "P1");
    expect(out).toContain("Unknown option '--priorty'");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses a flag the command does not read", async () => {
    const { code, out } = await cli("/task", "Fix login", "--button", "2");
    expect(out).toContain("/task does not take --button.");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses form flags where no form opens", async () => {
    const { code, out } = await cli("/task", "list", "--priority", "P1");
    expect(out).toContain("/task list opens no form: --priority would have nothing to fill or submit.");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses --submit with --no-submit", async () => {
    const { code, out } = await cli("/task", "Fix login", "--submit", "--no-submit");
    expect(out).toContain("--submit and --no-submit say opposite things");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses a command the app does not declare, as Slack would", async () => {
    const { code, out } = await cli("/tsk", "Fix login");
    expect(out).toContain('Slack would say "/tsk is not a valid command": the app declares /task.');
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses an unknown shortcut before posting its message", async () => {
    const { code, out } = await cli("shortcut", "remind", "--text", "can someone fix the export?");
    expect(out).toContain("The app has no message shortcut remind: remind_process or create_task.");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses a bad form flag on the create_task shortcut before posting its message", async () => {
    const { code, out } = await cli("shortcut", "create_task", "--text", "The CSV export times out", "--priority", "Urgent");
    expect(out).toContain('Priority: "Urgent" is not one of P1, P2, P3.');
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses form flags on remind_process, which opens no form, before posting its message", async () => {
    const { code, out } = await cli("shortcut", "remind_process", "--text", "can someone fix the export?", "--priority", "P1");
    expect(out).toContain("the shortcut remind_process opens no form");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses --thread naming no message in the channel before posting the reply", async () => {
    const { code, out } = await cli("shortcut", "remind_process", "--text", "and this one?", "--thread", "1700000000.000100");
    expect(out).toContain("No message 1700000000.000100 in #general to reply to");
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
  });

  it("refuses --ts together with flags that describe a new message", async () => {
    const { code, out } = await cli("shortcut", "remind_process", "--ts", "1700000000.000100", "--text", "hello");
    expect(out).toContain("--ts picks a message already there; --text describe a new one");
    expect(code).toBe(2);
  });

  it("refuses words a command does not take", async () => {
    const { code, out } = await cli("state", "now");
    expect(out).toContain("state takes no argument: what is now?");
    expect(code).toBe(2);
  });
});

describe("npm run slack at a question", () => {
  it("Ctrl-C cancels: says the form stays open and how to finish it, exits 130, sends nothing", async () => {
    const trigger = slack.triggerId(SLACK_SEED.alice);
    const opened = await fetch(`${slack.apiUrl}views.open`, {
      method: "POST",
      headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.slackToken}`, "content-type": "application/json" },
      body: JSON.stringify({ trigger_id: trigger, view: buildTaskModal({ title: "Fix login", metadata: {} }) }),
    });
    const viewId = ((await opened.json()) as { view: { id: string } }).view.id;

    const input = new PassThrough();
    const output = new PassThrough();
    // Ctrl-C at the first question, as a terminal sends it.
    output.once("data", () => input.write("\x03"));
    let out = "";
    const code = await runSlackCli({ argv: ["submit", "last", "--dir", dir], env: {}, out: { write: (text: string) => (out += text) }, interactive: true, input, output, terminal: true });

    expect(out).toContain("Cancelled.");
    expect(out).toContain(`The form stays open in Slack (view ${viewId}); finish it with npm run slack -- submit ${viewId}`);
    expect(code).toBe(130);
    expect(received).toEqual([]);
  });
});
