/**
 * `npm run mattermost` against the sandbox (its Mattermost emulator, control server and sandbox
 * file), with the functions served in process: the CLI finds the sandbox by its file, and each act
 * reaches the real /mattermost/* as the Mattermost server posts it, the command with the sandbox's
 * command token, the dialog and the button with what the bot signed. Refusals come before anything
 * is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMattermostCli } from "../../src/cli/mattermost.js";
import { createSandboxControlClient } from "../../src/cli/sandbox-control.js";
import { startInProcessSandbox, type InProcessSandbox } from "./in-process-sandbox.js";

let sandbox: InProcessSandbox;

beforeAll(async () => {
  sandbox = await startInProcessSandbox("mattermost-cli", { startWithinMs: 60_000 });
}, 90_000);
afterAll(() => sandbox.stop());

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runMattermostCli({ argv: ["--dir", sandbox.dir, ...args], env: {}, out: { write: (text: string) => (out += text) } });
  return { code, out };
}

const team = () => createSandboxControlClient(sandbox.file.controlUrl).mattermost.state();
const board = async () => (await createSandboxControlClient(sandbox.file.controlUrl).state()).pages;
const titleOf = (page: { properties: Record<string, unknown> }) => JSON.stringify(page.properties["Name"]);

describe("the sandbox serves Mattermost", () => {
  it("starts its emulator, gives the functions Mattermost's variables, records what a CLI needs, and says so", () => {
    const { file } = sandbox;
    expect(file.env).toMatchObject({ MATTERMOST_URL: file.mattermost.url, MATTERMOST_COMMAND_TOKEN: file.mattermost.commandToken });
    expect(file.env["MATTERMOST_BOT_TOKEN"]).toMatch(/^[a-z0-9]{26}$/);
    expect(file.env["MATTERMOST_REVIEW_CHANNEL_ID"]).toBe(file.mattermost.channels.find((c) => c.name === "review")!.id);
    expect(file.env["MATTERMOST_TASKS_CHANNEL_ID"]).toBe(file.mattermost.channels.find((c) => c.name === "tasks")!.id);
    expect(file.mattermost.commandsUrl).toBe(`${file.functionsUrl}/mattermost/commands`);
    expect(sandbox.output()).toContain(`Mattermost  ${file.mattermost.url}`);
    expect(sandbox.output()).toContain("✓ Mattermost's /task help went through with the sandbox's command token");
  });
});

describe("npm run mattermost against the sandbox", () => {
  it("/task help is answered to the person alone, through the real function with the command token", async () => {
    const { code, out } = await cli("/task", "help");
    expect(out).toContain("Only you: ");
    expect(out).toContain("/task remind");
    expect(code).toBe(0);
  });

  it("/task \"Fix login\" opens the dialog; submit saves the task once, confirms with its link, and announces it in ~tasks", async () => {
    const opened = await cli("/task", "Fix login");
    expect(opened.out).toContain('Mattermost opens the dialog "New task" for @alice:');
    expect(opened.out).toContain("--title  Title (required): Fix login");
    // What the web app shows around the inputs, as npm run teams shows Teams' dialog.
    expect(opened.out).toMatch(/for @alice:\n {2}The task goes on the team.s Notion board, and you get a link to it\.\n/);
    expect(opened.out).toMatch(/ {2}--due {2}Due date\n {2}Leave empty if there is no deadline\.\n/);
    expect(opened.code).toBe(0);
    const before = (await board()).length;
    const submitted = await cli("submit", "--priority", "High", "--due", "2031-01-02");
    expect(submitted.out).toContain("The dialog closes.");
    expect(submitted.out).toContain('Notion: a new task "Fix login" · Not started · High');
    expect(submitted.out).toMatch(/New post \w+ in ~tasks, by @chatops:/);
    expect(submitted.out).toContain("[Start]");
    expect(submitted.code).toBe(0);
    const pages = await board();
    expect(pages.length).toBe(before + 1);
    expect(pages.filter((page) => titleOf(page).includes("Fix login"))).toHaveLength(1);
    // The dialog closed: nothing is left to submit, by the CLI or on the page, and state no longer lists it.
    const again = await cli("submit");
    expect(again.out).toContain("No dialog is open: /task <title> opens one.");
    expect(again.code).toBe(2);
    const byNumber = await cli("submit", "1");
    expect(byNumber.out).toContain("Dialog 1 is closed (submitted, or cancelled on the page)");
    expect(byNumber.code).toBe(2);
    expect((await board()).length).toBe(before + 1);
    expect((await team()).dialogs[0]!.closed).toBe(true);
    expect((await cli("state")).out).not.toContain("dialog 1:");
  });

  it("keeps what was typed when the dialog is refused: the field's error is shown, and nothing is saved", async () => {
    await cli("/task", "Bad date");
    const before = (await board()).length;
    const { out, code } = await cli("submit", "--due", "next week");
    expect(out).toContain("The dialog stays open, what was typed kept:");
    expect(out).toMatch(/ {2}due: /);
    expect((await board()).length).toBe(before);
    expect(code).toBe(0);
  });

  it("click Start as Bob moves the task, redraws the announcement with only Done left, and Alice hears back by direct message", async () => {
    await cli("/task", "Renew the cert", "--priority", "Low");
    const { out, code } = await cli("click", "Start", "--as", "bob");
    expect(out).toMatch(/Redrawn post \w+ in ~tasks/);
    expect(out).toMatch(/Notion: "Renew the cert" · In progress/);
    expect(out).toMatch(/New post \w+ in a direct message to @alice, by @chatops:\n.*Renew the cert.* is now \*\*In progress\*\*/);
    expect(code).toBe(0);
    const post = (await team()).posts.filter((p) => p.channel_id === sandbox.file.env["MATTERMOST_TASKS_CHANNEL_ID"]).at(-1)!;
    expect(out).toContain(`Redrawn post ${post.id} in ~tasks, by @chatops:`);
    expect(out).toMatch(/Status: \*\*In progress\*\*, moved by @\u200bbob\n {2}\[Done\]\n/);
    const again = await cli("click", "Start", "--as", "bob", "--post", post.id);
    expect(again.out).toContain(`No post ${post.id} shows @bob a button "Start".`);
    expect(again.code).toBe(2);
  });

  it("/task remind <permalink> replies in the post's thread mentioning its author; its button opens the dialog prefilled", async () => {
    const said = await cli("say", "The CSV export times out", "--as", "bob");
    const permalink = /(\S+\/pl\/\w+)/.exec(said.out)![1]!;
    const postId = permalink.split("/").at(-1)!;
    const { out, code } = await cli("/task", "remind", permalink);
    expect(out).toContain(`in ~town-square, in the thread of ${postId}, by @chatops:\n  │ Hi @bob `);
    expect(out).toContain("[Create task from this message]");
    expect(code).toBe(0);
    const pressed = await cli("click", "Create task from this message");
    expect(pressed.out).toContain('Mattermost opens the dialog "New task" for @alice:');
    expect(pressed.out).toContain("--description  Description: The CSV export times out");
  });

  it("/task from <permalink> opens the dialog prefilled from the post, and the saved page links it", async () => {
    const said = await cli("say", "Slow search on the wiki", "--as", "bob");
    const permalink = /(\S+\/pl\/\w+)/.exec(said.out)![1]!;
    const postId = permalink.split("/").at(-1)!;
    const opened = await cli("/task", "from", permalink);
    expect(opened.out).toContain("--title  Title (required): Slow search on the wiki");
    const saved = await cli("submit");
    expect(saved.out).toContain('Notion: a new task "Slow search on the wiki" · Not started · Requested by: alice');
    expect(saved.out).toMatch(new RegExp(`from a message by bob .*/pl/${postId}`));
    expect(saved.code).toBe(0);
  });

  it("/task list answers with the board's tasks; /task review shows the person the week's review; state shows the latest posts and the dialogs", async () => {
    const { out, code } = await cli("/task", "list");
    expect(out).toContain("Fix login");
    expect(code).toBe(0);
    const review = await cli("/task", "review");
    expect(review.out).toContain("Only you: #### Weekly review, week of ");
    expect(review.code).toBe(0);
    const state = await cli("state");
    expect(state.out).toMatch(/^Post \w+ in ~tasks, by @chatops:/m);
    // Only those still open: the reminder's button opened one that was never submitted.
    expect(state.out).toMatch(/^dialog \d+: "New task" opened for @alice$/m);
    expect(state.out).not.toContain("dialog 1:");
    expect(state.code).toBe(0);
  });

  it("refuses a person, a command or a button the sandbox does not have, before anything is sent", async () => {
    const calls = (await team()).posts.length;
    const person = await cli("/task", "Fix login", "--as", "dave");
    expect(person.out).toContain("No person dave in the sandbox's team.");
    expect(person.out).toContain("Nothing was sent. See npm run mattermost -- help");
    expect(person.code).toBe(2);
    const command = await cli("clik", "Start");
    expect(command.out).toContain("No command clik.");
    expect(command.code).toBe(2);
    const button = await cli("click", "Launch");
    expect(button.out).toContain('No post shows @alice a button "Launch".');
    expect(button.code).toBe(2);
    // A priority the dialog's select does not offer: Mattermost's web app cannot send it, so neither does the CLI.
    const pages = (await board()).length;
    const offered = await cli("/task", "Fix the wiki", "--priority", "Urgent");
    expect(offered.out).toContain("The board offers no priority Urgent: High, Medium, Low.");
    expect(offered.out).toContain("Nothing was sent.");
    expect(offered.code).toBe(2);
    const dialogs = (await team()).dialogs.length;
    await cli("/task", "Fix the wiki");
    const chosen = await cli("submit", "--priority", "Urgent");
    expect(chosen.out).toContain("No Priority Urgent in the dialog: High, Medium, Low.");
    expect(chosen.code).toBe(2);
    expect((await team()).dialogs[dialogs]!.closed).toBeUndefined();
    expect((await board()).length).toBe(pages);
    expect((await team()).posts.length).toBe(calls);
  });
});
