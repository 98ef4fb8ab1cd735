/**
 * `npm run slack`'s commands, each against the real sandbox (`runSandbox`: its emulators, seed,
 * control server and state) with the functions served in process (dev/functions-in-process.ts)
 * instead of by netlify dev, which test/e2e/sandbox.test.ts keeps under test. The tests build on
 * each other as a person's session would (a reminder, then its button; a task, then its button).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxControlClient, type SandboxControlClient, type SandboxPage, type SandboxState } from "../../src/cli/sandbox-control.js";
import { readSandboxFile } from "../../src/cli/sandbox-file.js";
import { runSlackCli } from "../../src/cli/slack.js";
import { startInProcessSandbox, type InProcessSandbox } from "./in-process-sandbox.js";

let sandbox: InProcessSandbox;
let dir: string;
let control: SandboxControlClient;

beforeAll(async () => {
  sandbox = await startInProcessSandbox("sandbox-flows", { startWithinMs: 30_000 });
  dir = sandbox.dir;
  control = createSandboxControlClient(sandbox.file.controlUrl);
});

afterAll(() => sandbox.stop());

/**
 * `npm run slack -- …args`, in this process, never prompting. The functions served in process say
 * when the bot is done (nothing under way): no quiet time, which a busy machine could outlast mid-work.
 */
async function slackCli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runSlackCli({ argv: args, env: { SANDBOX_DIR: dir }, out: { write: (text: string) => void (out += text) }, interactive: false });
  return { code, out };
}

function pageTitled(state: SandboxState, title: string): SandboxPage | undefined {
  return state.pages.find((page) => JSON.stringify(page.properties.Name).includes(JSON.stringify(title).slice(1, -1)));
}

function propertyText(page: SandboxPage, name: string): string {
  return JSON.stringify(page.properties[name]);
}

describe("npm run slack, against a sandbox serving the functions in process", () => {
  it("the sandbox says when the functions have nothing under way, so the CLI waits for the bot's work, not for a quiet time", async () => {
    expect(await control.activity()).toEqual({ activity: expect.any(Number), busy: 0 });
    const { code } = await slackCli("/task", "list");
    expect(code).toBe(0);
    expect((await control.activity()).busy).toBe(0);
  });

  it("/task with a required input left empty: refuses to submit, as Slack's client does, before sending anything", async () => {
    const before = await control.state();
    const { code, out } = await slackCli("/task", "--submit");
    expect(out).toContain("Slack won't submit this: Title is required.");
    expect(code).toBe(2);
    expect((await control.state()).views.length).toBe(before.views.length);
  });

  it("/task with a --priority the board does not offer: refuses before sending anything, naming the board's options", async () => {
    const before = await control.state();
    const { code, out } = await slackCli("/task", "Fix login", "--priority", "Urgent");
    expect(out).toContain('Priority: "Urgent" is not one of High, Medium, Low.');
    expect(out).toContain("Nothing was sent.");
    expect(out).not.toContain("Unexpected error");
    expect(code).toBe(2);
    const after = await control.state();
    expect([after.activity, after.views.length, after.messages.length]).toEqual([before.activity, before.views.length, before.messages.length]);
  });

  it("shortcut remind_process: posts the message, and the bot replies in its thread mentioning the author", async () => {
    const { code, out } = await slackCli("shortcut", "remind_process", "--text", "can someone fix the export?", "--author", "bob", "--as", "alice");
    expect(code, out).toBe(0);
    expect(out).toContain("@bob wrote in #general:");
    expect(out).toContain("Hi @bob");
    expect(out).toContain("[1 Create task from this message]");

    const state = await control.state();
    const asked = state.messages.find((m) => m.author === "U0BOB" && m.text === "can someone fix the export?")!;
    const reminder = state.messages.at(-1)!;
    expect(reminder).toMatchObject({ channel: "C0GENERAL", thread_ts: asked.ts });
    expect(reminder.author).toBeUndefined();
    expect(reminder.text).toContain("<@U0BOB>");
  });

  it("click last with a button the newest message lacks: names that message, and a form left open, sending nothing", async () => {
    const before = (await control.state()).messages.length;
    const { code, out } = await slackCli("click", "last", "--button", "Start", "--as", "bob");
    expect(code, out).toBe(2);
    const reminder = (await control.state()).messages.at(-1)!;
    expect(out).toContain(`No button Start: 1 Create task from this message, on the last message with buttons @bob can see, ${reminder.ts} in #general`);
    expect(out).toContain("a form still open? npm run slack -- submit sends it");
    expect(out).toContain("Nothing was sent");
    expect((await control.state()).messages).toHaveLength(before);
  });

  it("click: the reminder's button opens the modal prefilled from the message; submitting it links back to the message", async () => {
    const { code, out } = await slackCli("click", "last", "--as", "bob", "--submit");
    expect(code, out).toBe(0);
    expect(out).toContain("→ @bob presses [Create task from this message]");
    expect(out).toContain("│ Title: can someone fix the export?");
    expect(out).toContain('+ created "can someone fix the export?"');

    const state = await control.state();
    const asked = state.messages.find((m) => m.author === "U0BOB" && m.text === "can someone fix the export?")!;
    const page = pageTitled(state, "can someone fix the export?")!;
    expect(propertyText(page, "Slack link")).toContain(`/archives/C0GENERAL/p${asked.ts.replace(".", "")}`);
    expect(propertyText(page, "Requested by")).toContain("U0BOB");
  });

  it("shortcut create_task: opens the modal prefilled from the message, which `submit` then fills and submits", async () => {
    const opened = await slackCli("shortcut", "create_task", "--text", "The CSV export times out", "--author", "alice", "--as", "bob");
    expect(opened.code, opened.out).toBe(0);
    expect(opened.out).toContain("│ Title: The CSV export times out");
    expect(opened.out).toContain("It stays open.");
    const view = (await control.state()).views.at(-1)!;
    expect(JSON.stringify(view.view.blocks)).toContain('"initial_value":"The CSV export times out"');

    const submitted = await slackCli("submit", view.id, "--priority", "Low");
    expect(submitted.code, submitted.out).toBe(0);
    expect(submitted.out).toContain(`The modal ${view.id}, open for @bob:`);
    const page = pageTitled(await control.state(), "The CSV export times out")!;
    expect(propertyText(page, "Priority")).toContain("Low");
    expect(propertyText(page, "Requested by")).toContain("from a message by");
  });

  it("review: runs the scheduled function, which posts the weekly review to the review channel", async () => {
    const before = (await control.state()).messages.length;
    const { code, out } = await slackCli("review");
    expect(code, out).toBe(0);
    expect(out).toContain("WEEKLY REVIEW");
    // Every platform that is on gets it: Slack's is shown, the others' named with the CLI that shows them.
    expect(out).toContain("The bot posted on Discord, Mattermost and Microsoft Teams too: npm run discord -- state, npm run mattermost -- state, npm run teams -- state show them.");
    const posted = (await control.state()).messages.slice(before);
    expect(posted).toEqual([expect.objectContaining({ channel: readSandboxFile(dir)!.env.SLACK_REVIEW_CHANNEL_ID, kind: "message" })]);
    expect(JSON.stringify(posted[0]!.blocks)).toContain("The CSV export times out");
  });

  it("home: publishes the person's Home tab and shows it as they see it; opened again within the minute, it is not read again", async () => {
    const { code, out } = await slackCli("home", "--as", "alice");
    expect(code, out).toBe(0);
    expect(out).toContain("The bot published @alice's Home tab:");
    expect(out).toContain("│ MY REQUESTS");
    expect(out).toContain("Renew the TLS certificate of status.example.com");
    expect(out).toContain("│ ASSIGNED TO ME");
    expect(out).toContain("Update the onboarding checklist");
    expect(out).toContain("[1 New task] [2 Refresh]");
    const again = await slackCli("home", "--as", "alice");
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain("Nothing new was published");
  });

  it("click home: New task opens the /task modal; once it is saved, the Home tab shows the task", async () => {
    const { code, out } = await slackCli("click", "home", "--button", "New task", "--as", "alice", "--title", "Asked from the Home tab");
    expect(code, out).toBe(0);
    expect(out).toContain("→ @alice presses [New task] on their Home tab");
    expect(out).toContain("│ Title: Asked from the Home tab");
    expect(out).toContain("The bot published @alice's Home tab:");
    const home = (await control.state()).homes.find((published) => published.user === "U0ALICE");
    expect(JSON.stringify(home?.view.blocks)).toContain("Asked from the Home tab");
  });

  it("mention: @chatops list answers in the thread; other text is offered as a task, and its button opens the modal", async () => {
    const listed = await slackCli("mention", "list", "--as", "bob");
    expect(listed.code, listed.out).toBe(0);
    expect(listed.out).toContain("@bob wrote in #general:");
    expect(listed.out).toMatch(/the bot in #general, in the thread of [\d.]+ \(ts [\d.]+\):\n\s+\*Your open tasks/);

    const offered = await slackCli("mention", "please track the flaky deploy", "--as", "bob");
    expect(offered.code, offered.out).toBe(0);
    expect(offered.out).toContain("[1 Create task from this]");
    const clicked = await slackCli("click", "last", "--as", "bob", "--submit");
    expect(clicked.code, clicked.out).toBe(0);
    expect(clicked.out).toContain("│ Title: please track the flaky deploy");
    expect(clicked.out).toContain('+ created "please track the flaky deploy"');
  });

  it("state: lists the board and the latest messages", async () => {
    const { code, out } = await slackCli("state");
    expect(code, out).toBe(0);
    expect(out).toMatch(/Notion board "Tasks" \(\d+ tasks\):/);
    expect(out).toContain('"The CSV export times out" · Not started · Low');
  });

  it("click on the announcement's Start: the task moves in Notion and the message is redrawn", async () => {
    const announcement = (await control.state()).messages.filter((m) => m.channel === "C0TASKS" && m.text.includes("The CSV export times out")).at(-1)!;
    const { code, out } = await slackCli("click", announcement.ts, "--button", "Start", "--as", "bob");
    expect(code, out).toBe(0);
    expect(out).toContain("presses [Start]");
    expect(out).toContain("replacing the message it answers");
    expect(out).toMatch(/~ updated "[^"]+" · In progress/);
  });

  it("notion set-status: someone finishes a task in Notion, and its requester hears back in the thread it came from", async () => {
    // A task made from a message in a thread: Bob's request, reminded of by Alice, filed by Bob.
    expect((await slackCli("shortcut", "remind_process", "--text", "can someone fix the export?", "--author", "bob", "--as", "alice")).code).toBe(0);
    expect((await slackCli("click", "last", "--as", "bob", "--submit")).code).toBe(0);
    const { code, out } = await slackCli("notion", "set-status", "can someone fix the export?", "Done");
    expect(code, out).toBe(0);
    expect(out).toContain("→ Nora Notion sets \"can someone fix the export?\" to Done in Notion");
    expect(out).toMatch(/← Notion's page\.properties_updated event \([0-9a-f-]+\) answered 200/);
    expect(out).toMatch(/the bot in #general, in the thread of \d+\.\d+/);
    expect(out).toContain("is now *Done*, moved by Nora Notion in Notion.");
    const told = (await control.state()).messages.at(-1)!;
    expect(told).toMatchObject({ channel: "C0GENERAL", kind: "message" });
    expect(told.text).toContain("<@U0BOB>, your task can someone fix the export? is now Done");
    // Two tasks have this title now (the click test filed the first): the CLI says which it moved, and how to move the other.
    const [older, newer] = (await control.state()).pages.filter((page) => JSON.stringify(page.properties.Name).includes("can someone fix the export?"));
    expect(out).toContain(`\n  2 tasks are titled "can someone fix the export?": this is the one created ${newer!.created_time.slice(0, 16).replace("T", " ")} UTC, id ${newer!.id}.\n`);
    expect(out).toContain(`\n  For the one created ${older!.created_time.slice(0, 16).replace("T", " ")} UTC, id ${older!.id}: npm run slack -- notion set-status ${older!.id} "Done"\n`);
    expect(propertyText(older!, "Status")).toContain("Not started");
  });

  it("notion set-status by a task's id: moves that one of the tasks sharing its title", async () => {
    const older = (await control.state()).pages.find((page) => JSON.stringify(page.properties.Name).includes("can someone fix the export?"))!;
    const { code, out } = await slackCli("notion", "set-status", older.id.replaceAll("-", ""), "in progress");
    expect(code, out).toBe(0);
    expect(out).toContain('→ Nora Notion sets "can someone fix the export?" to In progress in Notion');
    expect(out).toContain(`this is the one created ${older.created_time.slice(0, 16).replace("T", " ")} UTC, id ${older.id}.`);
    const after = (await control.state()).pages.filter((page) => JSON.stringify(page.properties.Name).includes("can someone fix the export?"));
    expect(after.map((page) => JSON.parse(propertyText(page, "Status")).status.name)).toEqual(["In progress", "Done"]);
  });

  it("click on the announcement of one of two tasks with one title: names the task, and where the other's button is", async () => {
    const state = await control.state();
    const [older, newer] = state.pages.filter((page) => JSON.stringify(page.properties.Name).includes("can someone fix the export?"));
    const announcementOf = (id: string) => state.messages.findLast((m) => m.channel === "C0TASKS" && JSON.stringify(m.blocks).includes(id))!;
    const { code, out } = await slackCli("click", announcementOf(older!.id).ts, "--button", "Done", "--as", "bob");
    expect(code, out).toBe(0);
    expect(out).toContain(`→ @bob presses [Done] for "can someone fix the export?" on the message ${announcementOf(older!.id).ts} in #tasks`);
    expect(out).toContain(`\n  For the one created ${newer!.created_time.slice(0, 16).replace("T", " ")} UTC, id ${newer!.id}: npm run slack -- click ${announcementOf(newer!.id).ts} --button Done\n`);
  });

  it("click home --button Done: presses the first of the tab's Done buttons, names its task, and says how to press another", async () => {
    const { code, out } = await slackCli("click", "home", "--button", "Done", "--as", "alice");
    expect(code, out).toBe(0);
    expect(out).toMatch(/→ @alice presses \[Done\] for "[^"]+" on their Home tab\n {2}\d+ buttons match "Done" \((\d+), (\d+)[\d, ]*\): this is \1, the first; --button \2 presses the next\./);
  });

  it("notion set-status --by bot: the event is not echoed, as the CLI says; the sync then tells the requester, who had not heard", async () => {
    const { code, out } = await slackCli("notion", "set-status", "The CSV export times out", "Done", "--by", "bot");
    expect(code, out).toBe(0);
    expect(out).toContain("→ The integration (the bot's own API write) sets \"The CSV export times out\" to Done in Notion");
    expect(out).toContain('Nothing was posted about "The CSV export times out": the event names only the bot as its author, so the bot takes the change for its own and does not echo it.');
    expect(out).toContain("The hourly sync catches up on a change the requester was not told of, and tells them then (npm run slack -- sync runs it now).");
    const synced = await slackCli("sync");
    expect(synced.code, synced.out).toBe(0);
    expect(synced.out).toMatch(/your task \*The CSV export times out \(https:[^)]+\)\* is now \*Done\*/);
  });

  it("says how to start the sandbox when none is running", async () => {
    const { code, out } = await slackCli("state", "--dir", join(dir, "nothing-here"));
    expect(code).toBe(1);
    expect(out).toContain("The sandbox isn't running. Start it in another terminal with: npm run sandbox");
  });
});
