/**
 * `npm run discord`'s pure parts: its words and flags checked before anything is sent, a message and
 * a modal drawn as Discord's client shows them (from the bot's own renderers' output), and a modal
 * filled and checked as Discord's client checks it before it lets a person submit.
 */
import { describe, expect, it } from "vitest";
import { checkDiscordArguments, parseDiscordFlags, UsageError } from "../../src/cli/discord-arguments.js";
import { answerLines, checkFields, fillField, messageLines, modalLines, readModal, submittedValues } from "../../src/cli/discord-print.js";
import { renderCard, renderForm } from "../../src/platforms/discord/render.js";

function check(...argv: string[]) {
  const { values, positionals } = parseDiscordFlags(argv);
  const [command, ...rest] = positionals;
  return checkDiscordArguments(command!, rest, values);
}

function refusal(...argv: string[]): string {
  try {
    check(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${argv.join(" ")}`);
}

describe("npm run discord's words and flags", () => {
  it("takes /task with its text, the message commands, click, submit and state", () => {
    expect(check("/task", "Fix", "login", "--priority", "High")).toBe("task");
    expect(check("task", "list")).toBe("task");
    expect(check("remind", "--text", "Can someone fix the login?")).toBe("remind");
    expect(check("create", "last", "--title", "Fix login")).toBe("create");
    expect(check("click", "Start", "--as", "bob")).toBe("click");
    expect(check("submit", "--submit")).toBe("submit");
    expect(check("state")).toBe("state");
  });

  it("refuses, in one line, what it cannot send", () => {
    expect(refusal("/tasks", "Fix login")).toBe("Unknown command /tasks. The application's one slash command is /task.");
    expect(refusal("remnd", "last")).toBe("Unknown command remnd. Did you mean remind?");
    expect(refusal("/task", "--priorty", "High")).toBe("Unknown flag --priorty. Did you mean --priority?");
    expect(refusal("remind")).toMatch(/^Which message\? Pass its id/);
    expect(refusal("remind", "last", "--text", "hello")).toBe("remind takes a message id or --text for a new message: pass one or the other.");
    expect(refusal("remind", "last", "--title", "Fix")).toBe("remind does not take --title.");
    expect(refusal("submit", "--submit", "--no-submit")).toBe("--submit and --no-submit say opposite things: pass one.");
    expect(refusal("click")).toMatch(/^Which button\?/);
    expect(refusal("state", "now")).toBe("state takes no argument: what is now?");
    expect(refusal("/task", "--as")).toMatch(/^--as needs a value/);
  });
});

const card = renderCard({
  summary: ["Saved"],
  blocks: [
    { kind: "text", text: [{ bold: "Fix login" }, " is on the board."] },
    { kind: "buttons", id: "task_status/confirmation", buttons: [{ kind: "action", label: "Start", action: "task_status_start", value: "page-1" }, { kind: "link", label: "Open in Notion", url: "https://www.notion.so/page1" }] },
  ],
}).body;

const form = renderForm({
  id: "task_modal",
  title: "New task",
  submitLabel: "Create",
  inputs: [
    { kind: "text", id: "title", label: "Title", maxLength: 2000, value: "Fix login" },
    { kind: "text", id: "description", label: "Description", maxLength: 3000, multiline: true, optional: true },
    { kind: "choice", id: "priority", label: "Priority", options: [{ label: "High", value: "High" }, { label: "Low", value: "Low" }], optional: true },
    { kind: "date", id: "due", label: "Due date", optional: true },
  ],
  context: {},
}).modal;

describe("what the CLI shows", () => {
  it("draws a message's content and its buttons, a link button with its URL", () => {
    expect(messageLines(card)).toEqual(["**Fix login** is on the board.", "[Start] [Open in Notion ↗ https://www.notion.so/page1]"]);
  });

  it("draws a modal with each input, what it holds and a select's choices", () => {
    const lines = modalLines(readModal(form)!);
    expect(lines[0]).toMatch(/^┌─ New task ─+$/);
    expect(lines.slice(1, -1)).toEqual([
      '│ Title: "Fix login"',
      "│ Description (optional): [ ]",
      "│ Priority (optional): ( ) High  ( ) Low",
      "│ Due date (optional): [YYYY-MM-DD]",
      "│ [Submit]",
    ]);
  });

  it("says who sees an answer, and what a deferred one shows", () => {
    expect(answerLines({ type: 4, data: { ...card, flags: 64 } }, "alice")[0]).toBe("← 200, a message only @alice sees:");
    expect(answerLines({ type: 5, data: { flags: 64 } }, "alice")).toEqual(['← 200, deferred: "chatops is thinking…" (only @alice sees it); the bot edits it when done']);
    expect(answerLines({ type: 9, data: form }, "alice")[0]).toBe("← 200, a modal opens:");
  });
});

describe("filling a modal", () => {
  it("takes a select's option by label or value, case aside, and refuses another, naming the options", () => {
    const priority = readModal(form)!.fields[2]!;
    expect(fillField(priority, "high")).toMatchObject({ ok: true, field: { value: "High" } });
    expect(fillField(priority, "Urgent")).toEqual({ ok: false, problem: 'Priority: "Urgent" is not one of High, Low' });
  });

  it("refuses what Discord's client refuses: a required input empty, a text past its limits in characters", () => {
    const fields = readModal(form)!.fields;
    const title = fillField(fields[0]!, "");
    expect(title.ok && checkFields([title.field])).toEqual(["Title is required"]);
    const due = fillField(fields[3]!, "soon");
    expect(due.ok && checkFields([due.field])).toEqual(["Due date must be at least 10 characters"]);
    // 😀 is one character to Discord: 2,000 of them fit a 2,000-character title.
    const emoji = fillField(fields[0]!, "😀".repeat(2000));
    expect(emoji.ok && checkFields([emoji.field])).toEqual([]);
  });

  it("sends a text input's value and a select's values, by custom_id", () => {
    const fields = readModal(form)!.fields;
    expect(submittedValues(fields)).toEqual({ title: "Fix login", description: "", priority: [], due: "" });
  });
});
