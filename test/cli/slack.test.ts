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
import { buildTaskForm } from "../../src/features/task-request/modal.js";
import { renderSlackForm } from "../../src/platforms/slack/render-card.js";

/** The Discord half of the sandbox file, unused by the Slack CLI. */
const DISCORD_URLS = { discordApiUrl: "http://127.0.0.1:9/api/v10", discordPublicKey: "0".repeat(64), discordPrivateKey: "", mattermostUrl: "http://127.0.0.1:9", teamsOrigin: "http://127.0.0.1:9", teamsKey: { kid: "unused", privateKey: "" } };

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
  writeSandboxFile(dir, sandboxFileFor({ functionsUrl: `http://127.0.0.1:${(functions.address() as AddressInfo).port}`, controlUrl: control.url, slackApiUrl: slack.apiUrl, notionUrl: notion.url, ...DISCORD_URLS }));
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
  const code = await runSlackCli({ argv: ["--dir", dir, ...args], env: {}, out: { write: (text: string) => (out += text) } });
  return { code, out };
}

/** What the sandbox would have shown of the CLI's doing: requests to the functions, messages, modals. */
function sent() {
  return { functions: received, messages: slack.messages.length, views: slack.views.length };
}

const NOTHING_SENT = { functions: [], messages: 0, views: 0 };
const NOTHING_SENT_LINE = "Nothing was sent. See npm run slack -- help";

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

  it("refuses an unknown flag in one line, naming the closest one, and says nothing was sent", async () => {
    const { code, out } = await cli("/task", "Fix login", "--priorty", "P1");
    expect(out).toBe(`Unknown flag --priorty. Did you mean --priority?\n${NOTHING_SENT_LINE}\n`);
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

describe("npm run slack says each mistake in one line, and that nothing was sent", () => {
  /** Two tasks titled "Fix login" (the second newer) and one "Plan the offsite", on the team's board. */
  function addTasks() {
    const add = (title: string, createdTime: string) =>
      notion.addPage(SANDBOX_BOARD.dataSourceId, { Name: { title: [{ text: { content: title } }] }, Status: { status: { name: "Not started" } } }, { createdTime });
    return [add("Fix login", "2026-12-01T09:00:00.000Z"), add("Fix login", "2026-12-02T09:00:00.000Z"), add("Plan the offsite", "2026-12-03T09:00:00.000Z")];
  }

  // Every kind of mistake each command can meet: an unknown or misspelt word or flag, a flag without
  // its value, a value the sandbox has not got, a missing word.
  it.each([
    [["/task", "Fix login", "--priorty", "P1"], "Unknown flag --priorty. Did you mean --priority?"],
    [["state", "-x"], "Unknown flag -x."],
    [["click", "last", "--button"], "--button needs a value: --button <n|label>."],
    [["/task", "Fix login", "--submit=yes"], "--submit takes no value: pass --submit alone, not --submit=yes."],
    [["/task", "Fix login", "--as", "--submit"], "--as is followed by --submit, not a value: --as <user> (a value that starts with a dash goes as --as=--submit)."],
    [["clik", "last"], "Unknown command clik. Did you mean click?"],
    [["/task", "Fix login", "--as", "alcie"], "No user alcie in the sandbox: alice, bob. Did you mean alice?"],
    [["/task", "Fix login", "--as", "chatops"], "No user chatops in the sandbox: alice, bob."],
    [["mention", "list", "--channel", "genral"], "No channel genral in the sandbox: general, random, secret, tasks. Did you mean general?"],
    [["mention", "list", "--thread", "1700000000.000100"], "No message 1700000000.000100 in #general to reply to: npm run slack -- state lists them (--channel picks another channel)."],
    [["shortcut", "remind_proces", "--text", "hi"], "The app has no message shortcut remind_proces: remind_process or create_task. Did you mean remind_process?"],
    [["/tsak", "Fix login"], 'Slack would say "/tsak is not a valid command": the app declares /task. Did you mean /task?'],
    [["notion"], 'Which? Try: notion set-status "<title>" <status>, or notion handshake.'],
    [["notion", "set-stauts", "Fix login", "Done"], 'No notion set-stauts. Did you mean set-status? Try: notion set-status "<title>" <status>, or notion handshake.'],
    [["notion", "set-status"], 'Which task? notion set-status "<title>" <status>: the title as npm run slack -- state shows it, or the page\'s id.'],
    [["notion", "set-status", "Fix login"], 'To which status? notion set-status "Fix login" <status>: one of Not started, In progress, Done.'],
    [["notion", "set-status", "Nope", "Done"], 'No task titled "Nope" on the board: npm run slack -- state lists them.'],
    [["notion", "set-status", "Fix logn", "Done"], 'No task titled "Fix logn" on the board; the closest is "Fix login": npm run slack -- state lists them.'],
    [["notion", "set-status", "Fix login", "Finished"], 'The board has no status "Finished": Not started, In progress, Done.'],
    [["notion", "set-status", "Fix login", "Don"], 'The board has no status "Don": Not started, In progress, Done. Did you mean "Done"?'],
    [["notion", "set-status", "0123456789abcdef0123456789abcdef", "Done"], "No task with the id 01234567-89ab-cdef-0123-456789abcdef on the board: npm run slack -- state lists them."],
    [["notion", "set-status", "Plan the offsite", "not started"], '"Plan the offsite" is Not started already: choosing it again changes nothing in Notion.'],
    [["notion", "set-status", "Fix login", "Done", "--by", ""], "--by needs a name: a Notion person's, or bot."],
    [["notion", "handshake", "--by", "bot"], "notion handshake does not take --by: Notion sends it, not a person."],
  ])("npm run slack -- %j", async (args, line) => {
    addTasks();
    const board = JSON.stringify(notion.pages(SANDBOX_BOARD.dataSourceId));
    const { code, out } = await cli(...args);
    expect(out).toBe(`${line}\n${NOTHING_SENT_LINE}\n`);
    expect(code).toBe(2);
    expect(sent()).toEqual(NOTHING_SENT);
    expect(JSON.stringify(notion.pages(SANDBOX_BOARD.dataSourceId))).toBe(board);
  });

  it("refuses words that match several titles, naming them", async () => {
    addTasks();
    const { code, out } = await cli("notion", "set-status", "f", "Done");
    expect(out).toBe(`2 tasks' titles contain "f": "Fix login", "Plan the offsite". Give the whole title.\n${NOTHING_SENT_LINE}\n`);
    expect(code).toBe(2);
  });
});

describe("npm run slack presses only what the person sees", () => {
  it("click: someone else's DM is neither the last message with a button nor one to press by its ts", async () => {
    const posted = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.slackToken}`, "content-type": "application/json" },
      body: JSON.stringify({ channel: SLACK_SEED.alice, text: "Your task", blocks: [{ type: "actions", elements: [{ type: "button", action_id: "x", text: { type: "plain_text", text: "Done" } }] }] }),
    });
    const { ts, channel } = (await posted.json()) as { ts: string; channel: string };
    expect(channel).toMatch(/^D/);
    const last = await cli("click", "last", "--as", "bob");
    expect(last.out).toBe(`No message with a button that @bob can see yet.\n${NOTHING_SENT_LINE}\n`);
    expect(last.code).toBe(2);
    const byTs = await cli("click", ts, "--as", "bob");
    expect(byTs.out).toBe(`@bob can't see the message ${ts}: it is in a DM with @alice. --as picks who presses.\n${NOTHING_SENT_LINE}\n`);
    expect(byTs.code).toBe(2);
    expect(received).toEqual([]);
  });
});

describe("npm run slack when the sandbox stops answering", () => {
  it("says so in one line and exits 1, instead of an unexpected error", async () => {
    // netlify dev gone while the control endpoints still answer: the command's request finds no one.
    functions.closeAllConnections();
    await new Promise((resolve) => functions.close(resolve));
    const { code, out } = await cli("/task", "list");
    expect(out).toContain("→ @alice in #general: /task list\nThe sandbox stopped answering (ECONNREFUSED): is npm run sandbox still running?\n");
    expect(code).toBe(1);
    // afterEach closes it again.
    functions = createServer();
  });
});

describe("npm run slack at a question", () => {
  it("Ctrl-C cancels: says the form stays open and how to finish it, exits 130, sends nothing", async () => {
    const trigger = slack.triggerId(SLACK_SEED.alice);
    const opened = await fetch(`${slack.apiUrl}views.open`, {
      method: "POST",
      headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.slackToken}`, "content-type": "application/json" },
      body: JSON.stringify({ trigger_id: trigger, view: renderSlackForm(buildTaskForm({ title: "Fix login", context: {} })) }),
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
