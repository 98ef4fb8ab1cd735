import { describe, expect, it } from "vitest";
import { renderSlackCard } from "../../src/platforms/slack/render-card.js";
import { boxed, buttonsIn, mrkdwnToText, renderMessage, type Directory } from "../../src/cli/block-kit-text.js";
import { buildConfirmation } from "../../src/features/task-request/messages.js";
import { buildReminder } from "../../src/features/process-reminder/reminder-message.js";

const directory: Directory = { users: new Map([["U0BOB", "bob"]]), channels: new Map([["C0GENERAL", "general"]]) };

describe("mrkdwnToText", () => {
  it("names mentions and channels from the directory, and keeps an unknown id", () => {
    expect(mrkdwnToText("<@U0BOB> in <#C0GENERAL>, cc <@U0NOBODY>", directory)).toBe("@bob in #general, cc @U0NOBODY");
  });

  it("prefers a label Slack carries over the directory", () => {
    expect(mrkdwnToText("<#C0GENERAL|announcements> <!subteam^S1|@devs>", directory)).toBe("#announcements @devs");
  });

  it("shows a link's label with its URL, and a bare link as the URL", () => {
    expect(mrkdwnToText("<https://example.com|the board> and <https://example.com/x>")).toBe("the board (https://example.com) and https://example.com/x");
  });

  it("reads broadcasts as a person sees them and decodes entities", () => {
    expect(mrkdwnToText("<!here> 1 &lt; 2 &amp;&amp; 3 &gt; 2")).toBe("@here 1 < 2 && 3 > 2");
  });
});

describe("renderMessage", () => {
  it("renders the task confirmation with its link button numbered", () => {
    const message = renderSlackCard(buildConfirmation({ title: "Fix login", url: "https://www.notion.so/Fix-login-1" }));
    expect(renderMessage(message)).toEqual([
      ":white_check_mark: *Fix login (https://www.notion.so/Fix-login-1)* is on the board.",
      "[1 Open in Notion ↗ https://www.notion.so/Fix-login-1]",
    ]);
  });

  it("renders header, context, divider and an unknown block", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Weekly review" } },
      { type: "context", elements: [{ type: "mrkdwn", text: "a" }, { type: "plain_text", text: "b" }] },
      { type: "divider" },
      { type: "image", image_url: "https://example.com/x.png", alt_text: "x" },
    ];
    expect(renderMessage({ text: "fallback", blocks }, directory)).toEqual(["WEEKLY REVIEW", "a · b", "────────", "(image block)"]);
  });

  it("falls back to the text when there are no blocks", () => {
    expect(renderMessage({ text: "hello <@U0BOB>\nbye" }, directory)).toEqual(["hello @bob", "bye"]);
  });
});

describe("buttonsIn", () => {
  it("finds the reminder's button with its action id and value", () => {
    const reminder = buildReminder({
      template: undefined,
      command: "/task",
      boardUrl: undefined,
      button: { message: { platform: "slack", workspace: "T0TEAM", conversation: "C0GENERAL", message: "1.000001" }, authorId: "U0BOB", excerpt: "fix it" },
    });
    const [button, ...rest] = buttonsIn(renderSlackCard(reminder).blocks);
    expect(rest).toEqual([]);
    expect(button).toMatchObject({ actionId: "create_task_from_reminder", label: "Create task from this message", url: undefined });
    expect(JSON.parse(button!.value!)).toMatchObject({ p: "slack:T0TEAM:C0GENERAL::1.000001", x: "fix it" });
  });

  it("counts buttons in reading order: section accessories, then actions", () => {
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: "x" }, accessory: { type: "button", action_id: "a", text: { type: "plain_text", text: "A" } } },
      { type: "actions", elements: [{ type: "static_select", action_id: "s" }, { type: "button", action_id: "b", text: { type: "plain_text", text: "B" } }] },
    ];
    expect(buttonsIn(blocks).map((button) => button.actionId)).toEqual(["a", "b"]);
  });
});

describe("boxed", () => {
  it("frames lines under a title", () => {
    expect(boxed("New task", ["Title: x"])).toEqual(["┌─ New task ───", "│ Title: x", "└──────────────"]);
  });
});
