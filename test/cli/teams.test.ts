/**
 * Teams in the sandbox, and `npm run teams` against it (its Teams emulator, control server and
 * sandbox file), with the functions served in process: the bot is added to each conversation at
 * start through the real function, and each act reaches the real /teams/messages signed as the Bot
 * Connector signs it. Refusals come before anything is sent.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxControlClient } from "../../src/cli/sandbox-control.js";
import { runSlackCli } from "../../src/cli/slack.js";
import { runTeamsCli } from "../../src/cli/teams.js";
import { startInProcessSandbox, type InProcessSandbox } from "./in-process-sandbox.js";

let sandbox: InProcessSandbox;

beforeAll(async () => {
  sandbox = await startInProcessSandbox("teams-cli", { startWithinMs: 60_000 });
}, 90_000);
afterAll(() => sandbox.stop());

const control = () => createSandboxControlClient(sandbox.file.controlUrl);

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runTeamsCli({ argv: ["--dir", sandbox.dir, ...args], env: {}, out: { write: (text: string) => (out += text) } });
  return { code, out };
}

const teams = () => control().teams.state();
const board = async () => (await control().state()).pages;
const titleOf = (page: { properties: Record<string, unknown> }) => JSON.stringify(page.properties["Name"]);
const GENERAL = "19:general@thread.tacv2";
const ALICE_CHAT = "a:1personal-alice";

/** Waits for `check` to hold, polling (generous: the bot's deferred work on a busy machine). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, withinMs = 30_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the sandbox serves Teams", () => {
  it("starts its emulator, gives the functions every Teams variable, records what a CLI needs, adds the bot everywhere, and says so", async () => {
    const { file } = sandbox;
    const origin = file.teams.serviceUrl.replace(/\/$/, "");
    expect(file.env).toMatchObject({ TEAMS_APP_ID: file.teams.appId, TEAMS_TENANT_ID: file.teams.tenantId, TEAMS_OPENID_URL: `${origin}/openid`, TEAMS_SERVICE_URL_ALLOW: origin, TEAMS_REVIEW_CONVERSATION_ID: "19:general@thread.tacv2" });
    expect(file.env["TEAMS_APP_PASSWORD"]).not.toBe("");
    expect(file.teams.messagesUrl).toBe(`${file.functionsUrl}/teams/messages`);
    expect(file.teams.privateKey).toContain("BEGIN PRIVATE KEY");
    expect(file.teams.conversations.map((c) => c.name)).toEqual(["General", "alice", "bob"]);
    expect(sandbox.output()).toContain(`Teams       ${origin}`);
    // The page plays every platform, and the control server serves every platform's CLI: the banner says so.
    expect(sandbox.output()).toContain("to click through it as Alice or Bob, on Slack, Discord, Mattermost or Teams, or try");
    expect(sandbox.output()).toContain(`control     ${file.controlUrl}   for npm run slack, discord, mattermost and teams`);
    expect(sandbox.output()).toContain("✓ Teams added the bot to the team's channel and each 1:1 chat, signed with the emulator's key");
    const state = await control().teams.state();
    expect(state.botId).toBe(`28:${file.teams.appId}`);
    expect(state.messages).toEqual([]);
  });

  it("the weekly review reaches General before anyone there has written to the bot: through the reference kept when the sandbox added the bot", async () => {
    const before = (await teams()).messages.length;
    const response = await fetch(`${sandbox.file.functionsUrl}/.netlify/functions/weekly-reminder`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ next_run: new Date(Date.now() + 7 * 86_400_000).toISOString() }) });
    expect(response.status).toBe(200);
    const state = await eventually(teams, (now) => now.messages.slice(before).some((message) => message.conversationId === GENERAL));
    const posted = state.messages.slice(before).filter((message) => message.conversationId === GENERAL);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.activity)).toContain("Weekly review");
  });
});

describe("npm run teams against the sandbox", () => {
  it("task help is answered in Alice's 1:1 chat with the bot, through the real function, signed with the emulator's key", async () => {
    const { code, out } = await cli("task", "help");
    expect(out).toContain("→ alice in the 1:1 chat of alice with the bot: task help");
    expect(out).toMatch(/New message \d+ in the 1:1 chat of alice with the bot, by chatops:\n {2}│ \*\*task\*\* puts a request/);
    expect(out).toContain("│ • `task list` shows your open tasks.");
    expect(code).toBe(0);
  });

  it('task "Fix login" answers with a card whose button opens the form; open shows the dialog; submit saves the task once, however often it is sent', async () => {
    const asked = await cli("task", "Fix login");
    expect(asked.out).toContain("│ New task: press the button to fill it in.\n  │ [New task]");
    const opened = await cli("open");
    expect(opened.out).toContain('Teams opens the dialog "New task" for alice:');
    expect(opened.out).toContain("--title  Title (required): Fix login");
    expect(opened.out).toContain("--priority  Priority (High, Medium, Low)");
    expect(opened.code).toBe(0);
    const before = (await board()).length;
    const submitted = await cli("submit", "--priority", "High", "--due", "2031-01-02");
    expect(submitted.out).toContain('→ alice presses [Create task] in the dialog "New task" with title = "Fix login", priority = "High", due = "2031-01-02"');
    expect(submitted.out).toContain("The dialog closes.");
    expect(submitted.out).toContain('Notion: a new task "Fix login" · Not started · High · Due: 2031-01-02 · Requested by: Alice Example (teams:29:1alice)');
    expect(submitted.out).toMatch(/New message \d+ in the 1:1 chat of alice with the bot, by chatops:\n.*Fix login.*is on the board\.\n.*\n {2}│ \[Start\] \[Done\]/);
    expect(submitted.code).toBe(0);
    // The dialog closed: a second submit has nothing to send, as Teams' client has no dialog left to press in.
    const calls = (await teams()).calls;
    const closed = await cli("submit", "--priority", "High");
    expect(closed.out).toContain("No dialog is open for alice: open (a card's button) or create-task <message> opens one.");
    expect(closed.code).toBe(2);
    expect((await teams()).calls).toBe(calls);
    expect((await cli("state")).out).not.toContain('"New task" opened for alice');
    // The card's button pressed again and the form sent again: the same form saves nothing more.
    expect((await cli("open")).code).toBe(0);
    const again = await cli("submit", "--priority", "High", "--due", "2031-01-02");
    expect(again.out).toContain('Teams opens the dialog "Already saved" for alice:');
    expect(again.out).not.toContain("Notion: a new task");
    const pages = await board();
    expect(pages.length).toBe(before + 1);
    expect(pages.filter((page) => titleOf(page).includes("Fix login"))).toHaveLength(1);
  });

  it("click Start moves the task, Teams redraws the card for the presser and the bot the message for everyone; Start is gone then, so a second click Start finds nothing to press and changes nothing", async () => {
    const first = await cli("click", "Start");
    expect(first.out).toMatch(/→ alice presses \[Start\] on message \d+ in the 1:1 chat of alice with the bot/);
    expect(first.out).toContain("Teams redraws the card for alice:");
    expect(first.out).toMatch(/│ Status: \*\*In progress\*\*.*\n {2}│ \[Done\]/);
    // Universal Actions' answer is the presser's view only: the message itself is updated for the others.
    expect(first.out).toMatch(/Redrawn message \d+/);
    expect(first.out).toMatch(/Notion: "Fix login" · In progress/);
    expect(first.code).toBe(0);
    const page = (await board()).find((candidate) => titleOf(candidate).includes("Fix login"))!;
    const messages = (await teams()).messages.length;
    const second = await cli("click", "Start");
    expect(second.out).toContain('No card shows alice a button "Start"');
    expect(second.out).not.toContain("Notion:");
    expect(second.out).not.toContain("New message");
    expect(second.code).not.toBe(0);
    const after = (await board()).find((candidate) => candidate.id === page.id)!;
    expect(after.last_edited_time).toBe(page.last_edited_time);
    expect((await teams()).messages.length).toBe(messages);
  });

  it("a refused dialog stays open with what was typed and the error under its input, saves nothing, and is sent again fixed", async () => {
    await cli("task", "Bad date");
    await cli("open");
    const before = (await board()).length;
    const refused = await cli("submit", "--description", "kept text", "--due", "2001-01-01");
    expect(refused.out).toContain("The dialog stays open, what was typed kept:");
    expect(refused.out).toContain("--description  Description: kept text");
    expect(refused.out).toMatch(/--due {2}Due date: 2001-01-01\n(.*\n)? {2}! That date has passed/);
    expect((await board()).length).toBe(before);
    const fixed = await cli("submit", "--due", "2031-02-03");
    expect(fixed.out).toContain('with title = "Bad date", description = "kept text", due = "2031-02-03"');
    expect(fixed.out).toContain('Notion: a new task "Bad date"');
    expect((await board()).length).toBe(before + 1);
  });

  it("remind <message> replies in the message's thread in General mentioning its author; create-task opens the dialog prefilled, and submit saves it with the message's link", async () => {
    const said = await cli("say", "The CSV export times out", "--as", "bob");
    const id = /message (\d+)/.exec(said.out)![1]!;
    expect(said.out).toContain(`bob wrote in General: message ${id}`);
    const reminded = await cli("remind", "last");
    expect(reminded.out).toContain(`→ alice uses "Remind of process" (remindProcess) on message ${id} by bob in General`);
    expect(reminded.out).toMatch(new RegExp(`New message \\d+ in General, in the thread of ${id}, by chatops:\\n {2}│ Hi @Bob Example `));
    expect(reminded.out).toContain("[Create task from this message]");
    expect(reminded.code).toBe(0);
    const fetched = await cli("create-task", id);
    expect(fetched.out).toContain('Teams opens the dialog "New task" for alice:');
    expect(fetched.out).toContain("--title  Title (required): The CSV export times out");
    const saved = await cli("submit", "--title", "Fix the CSV export");
    expect(saved.out).toContain("The dialog closes.");
    expect(saved.out).toContain('Notion: a new task "Fix the CSV export" · Not started · Requested by: Alice Example (teams:29:1alice), from a message by Bob Example');
    expect(saved.out).toContain(`https://teams.microsoft.com/l/message/19%3Ageneral%40thread.tacv2/${id}`);
    expect(saved.code).toBe(0);
  });

  it("task list --channel is a mention in General, answered privately in the 1:1 chat; task review shows the person the week's review; state shows what they see", async () => {
    const listed = await cli("task", "list", "--channel");
    expect(listed.out).toContain("→ alice in General: @chatops task list");
    expect(listed.out).toMatch(/New message \d+ in the 1:1 chat of alice with the bot, by chatops:\n {2}│ \*\*Your open tasks/);
    expect(listed.out).toContain("Fix login");
    expect((await teams()).messages.some((message) => message.conversationId === GENERAL && message.text === "@chatops task list")).toBe(true);
    const review = await cli("task", "review");
    expect(review.out).toMatch(/│ .*Weekly review/);
    expect(review.code).toBe(0);
    await cli("create-task", "last");
    const state = await cli("state");
    expect(state.out).toMatch(/^Message \d+ in General, by alice:\n {2}│ @chatops task list$/m);
    // Only the dialog still open: the ones submitted before closed.
    expect(state.out).toMatch(/^dialog \d+: "New task" opened for alice by composeExtension\/fetchTask \(createTask\)$/m);
    expect(state.out.match(/^dialog /gm)).toHaveLength(1);
  });

  it("the requester hears back in the conversation the task came from when someone changes its status in Notion", async () => {
    const page = (await board()).find((candidate) => titleOf(candidate).includes("Fix login"))!;
    const before = (await teams()).messages.length;
    await control().setNotionStatus({ page: page.id, status: "Done" });
    const state = await eventually(teams, (now) => now.messages.slice(before).some((message) => message.conversationId === ALICE_CHAT && JSON.stringify(message.activity).includes("Done")));
    const told = state.messages.slice(before).filter((message) => message.conversationId === ALICE_CHAT);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.activity)).toContain("Fix login");
  });

  it("npm run slack -- notion set-status on a task asked for on Teams says the requester was told on Teams, where they asked, not that nothing was posted", async () => {
    const before = (await teams()).messages.length;
    let out = "";
    const code = await runSlackCli({ argv: ["notion", "set-status", "Bad date", "In progress"], env: { SANDBOX_DIR: sandbox.dir }, out: { write: (text: string) => void (out += text) }, interactive: false });
    expect(out).toContain('The bot told the requester on Microsoft Teams, where they asked for "Bad date": npm run teams -- state shows it.');
    expect(out).not.toContain("Nothing was posted");
    expect(code).toBe(0);
    const told = (await teams()).messages.slice(before).filter((message) => message.conversationId === ALICE_CHAT);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.activity)).toContain("In progress");
  });

  it("refuses a person, an act, a flag, a button, a message or a choice the sandbox does not have, in one line, before anything is sent", async () => {
    const calls = (await teams()).calls;
    const messages = (await teams()).messages.length;
    const cases: [string[], string][] = [
      [["task", "Fix login", "--as", "dave"], "No person dave in the sandbox's tenant."],
      [["clik", "Start"], "No act clik. Did you mean click?"],
      [["open", "--priority", "High"], "open does not read --priority."],
      [["click", "Launch"], 'No card shows alice a button "Launch".'],
      [["remind", "123"], "No message 123 in General."],
      [["remind"], "remind needs one message: its id (from say or state), or last."],
      [["submit", "--priority", "Urgent"], "No Priority Urgent in the dialog."],
      [["submit", "--as", "bob"], "No dialog is open for bob"],
      [["say"], "say needs the message's text."],
      [["open", "--as", "bob"], "No card shows bob a button that opens a form"],
      [["click", "Start", "--message", "123"], 'No card 123 shows alice a button "Start".'],
      [["task", "list", "--message", "123"], "task does not read --message."],
      // The form opens only after the message goes: what its choice set and date input would not take is refused first.
      [["task", "Fix the CSV", "--priority", "Urgent"], "The board offers no priority Urgent: High, Medium, Low."],
      [["task", "Fix the CSV", "--due", "tomorrow"], "--due tomorrow is not a date: YYYY-MM-DD, as the date picker gives it."],
      [["task", "Fix the CSV", "--due", "2031-02-30"], "--due 2031-02-30 is not a date"],
    ];
    for (const [args, line] of cases) {
      const { out, code } = await cli(...args);
      expect(out).toContain(line);
      expect(out).toContain("Nothing was sent. See npm run teams -- help");
      expect(code).toBe(2);
    }
    expect((await teams()).calls).toBe(calls);
    expect((await teams()).messages.length).toBe(messages);
  });
});

describe("npm run teams without a sandbox", () => {
  it("prints its usage when asked (exit 0) or given no act (exit 2), and says when no sandbox runs", async () => {
    const help = await runAt(sandbox.dir, "help");
    expect(help.out).toContain("Usage: npm run teams -- <act> [options]");
    expect(help.code).toBe(0);
    expect((await runAt(sandbox.dir)).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), "chatops-teams-none-"));
    try {
      const none = await runAt(empty, "task", "help");
      expect(none.out).toBe("The sandbox isn't running. Start it in another terminal with: npm run sandbox\n");
      expect(none.code).toBe(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

async function runAt(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runTeamsCli({ argv: ["--dir", dir, ...args], env: {}, out: { write: (text: string) => (out += text) } });
  return { code, out };
}
