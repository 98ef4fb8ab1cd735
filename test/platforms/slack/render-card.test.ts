/**
 * The port's Card, drawn for Slack, is exactly what today's builders send: each case states a Slack
 * message in the port's words and compares it with the builder's output. When the features move onto
 * the port (docs/chat-port.md), these builders return Cards and these expectations stay.
 */
import { describe, expect, it } from "vitest";
import type { Card } from "../../../src/chat/card.js";
import type { Form } from "../../../src/chat/form.js";
import { packLines } from "../../../src/platforms/slack/blocks.js";
import { fitsSlackMessage, renderSlackCard, renderSlackForm, renderSlackNotice, renderSlackText } from "../../../src/platforms/slack/render-card.js";
import { buildSavedNotice, buildSavingNotice, buildTaskForm, TASK_FORM_ID } from "../../../src/features/task-request/modal.js";
import { DESCRIPTION_MAX, TITLE_MAX } from "../../../src/tasks/task.js";
import { buildAnnouncement, buildConfirmation } from "../../../src/features/task-request/messages.js";
import { buildStatusNotification } from "../../../src/features/task-status/status-messages.js";

const url = "https://www.notion.so/Fix-login-1f2e3d4c5b6a47988a7b6c5d4e3f2a1b";
const PAGE = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";
const groups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
const openInNotion = { kind: "link" as const, label: "Open in Notion", url, action: "open_in_notion" };
const slackPerson = (userId: string) => ({ mention: { platform: "slack" as const, userId } });

describe("renderSlackCard", () => {
  it("draws the requester's confirmation, status line and buttons included, as buildConfirmation does", () => {
    const title = "Fix <login> & *Safari*";
    const card: Card = {
      summary: ["Task created: ", title, " ", url],
      blocks: [
        { kind: "text", text: [{ emoji: "white_check_mark" }, " ", { link: url, text: title, bold: true }, " is on the board."], button: openInNotion },
        { kind: "note", text: ["Status: ", { bold: "In progress" }, ", moved by ", slackPerson("U0BOB")] },
        { kind: "buttons", id: "task_status/confirmation", buttons: [{ kind: "action", action: "task_status_done", label: "Done", value: PAGE, style: "primary" }] },
      ],
    };
    const status = { pageId: PAGE, group: "in_progress" as const, groups, shown: { status: "In progress", by: { platform: "slack" as const, userId: "U0BOB" } } };
    expect(renderSlackCard(card)).toEqual(renderSlackCard(buildConfirmation({ title, url }, status)));
  });

  it("draws the announcement with its mention, a title holding a pipe included", () => {
    const title = "Fix A | B";
    const card: Card = {
      summary: ["New task from ", slackPerson("U0ALICE"), ": ", title],
      blocks: [
        { kind: "text", text: [{ emoji: "new" }, " ", slackPerson("U0ALICE"), " asked for ", { link: url, text: title, bold: true }] },
        {
          kind: "buttons",
          id: "task_status/announcement",
          buttons: [
            { kind: "action", action: "task_status_start", label: "Start", value: PAGE },
            { kind: "action", action: "task_status_done", label: "Done", value: PAGE, style: "primary" },
          ],
        },
      ],
    };
    expect(renderSlackCard(card)).toEqual(renderSlackCard(buildAnnouncement({ title, url }, { platform: "slack", userId: "U0ALICE" }, { pageId: PAGE, group: "to_do", groups })));
  });

  it("draws the requester's status notification in a thread", () => {
    const card: Card = {
      summary: [slackPerson("U0ALICE"), ", your task ", "Fix login", " is now ", "Done", ", moved by ", "Dana <3", " in Notion."],
      blocks: [{ kind: "text", text: [{ emoji: "white_check_mark" }, " ", slackPerson("U0ALICE"), ", your task ", { link: url, text: "Fix login", bold: true }, " is now ", { bold: "Done" }, ", moved by ", "Dana <3", " in Notion."], button: openInNotion }],
    };
    expect(renderSlackCard(card)).toEqual(
      renderSlackCard(buildStatusNotification({ task: { title: "Fix login", url }, status: "Done", group: "complete", requester: { platform: "slack", userId: "U0ALICE" }, by: { notionName: "Dana <3" }, inThread: true })),
    );
  });

  it("links a Slack channel with its label, escaped, and writes another platform's channel as text", () => {
    expect(renderSlackText([{ channel: { platform: "slack", conversation: "C0HELP", name: "help & <ops>" } }, " ", { channel: { platform: "slack", conversation: "G0SECRET" } }, " ", { channel: { platform: "discord", conversation: "1300000000000000001", name: "<general>" } }])).toBe(
      "<#C0HELP|help &amp; &lt;ops&gt;> <#G0SECRET> #&lt;general&gt;",
    );
  });

  it("packs a list's lines into as few sections as fit 3,000 units, never splitting a line", () => {
    const line = (i: number) => ["• ", { link: `https://www.notion.so/p${i}`, text: `Task ${i} ${"x".repeat(1_000)}` }];
    const drawn = renderSlackCard({ summary: ["List"], blocks: [{ kind: "lines", lines: [0, 1, 2, 3].map(line) }] });
    expect(drawn).toEqual({ text: "List", blocks: packLines([0, 1, 2, 3].map((i) => renderSlackText(line(i)))) });
    expect(drawn.blocks).toHaveLength(2);
    expect(fitsSlackMessage({ summary: [], blocks: Array.from({ length: 50 }, () => ({ kind: "lines" as const, lines: [["a"]] })) })).toBe(true);
    expect(fitsSlackMessage({ summary: [], blocks: [{ kind: "heading", text: "Review" }, ...Array.from({ length: 49 }, () => ({ kind: "lines" as const, lines: [line(0), line(1), line(2)] }))] })).toBe(false);
  });

  it("draws a time as Slack's date token, each reader's own zone, with the zone's time for clients that cannot", () => {
    const at = Date.parse("2025-01-06T07:00:00Z");
    expect(renderSlackText([{ time: at, timeZone: "UTC", day: true }])).toBe("<!date^1736146800^{date_short_pretty} at {time}|6 Jan, 07:00 UTC>");
    expect(renderSlackText([{ time: at, timeZone: "Europe/Paris" }])).toBe("<!date^1736146800^{time}|08:00 Europe/Paris>");
  });

  it("writes a mention of someone on another platform as text, which pings no one", () => {
    expect(renderSlackText([{ mention: { platform: "discord", userId: "1400000000000000001" } }, " <!here>"])).toBe("@1400000000000000001 &lt;!here&gt;");
  });
});

describe("renderSlackForm", () => {
  it("draws the task form exactly as buildTaskForm builds it (the task modal's Block Kit: test/features/task-request/slack-drawing.test.ts)", () => {
    const form: Form = {
      id: TASK_FORM_ID,
      title: "New task",
      submitLabel: "Create task",
      closeLabel: "Cancel",
      note: "The task goes on the team's Notion board, and you get a link to it.",
      inputs: [
        { kind: "text", id: "title", label: "Title", maxLength: TITLE_MAX, placeholder: "What needs doing? e.g. Fix the login page on Safari", value: "Fix login" },
        { kind: "text", id: "description", label: "Description", optional: true, multiline: true, maxLength: DESCRIPTION_MAX, placeholder: "Context, links, what done looks like" },
        { kind: "choice", id: "priority", label: "Priority", optional: true, placeholder: "Pick a priority", options: ["High", "Medium", "Low"].map((name) => ({ label: name, value: name })) },
        { kind: "date", id: "due", label: "Due date", optional: true, hint: "Leave empty if there is no deadline.", placeholder: "Pick a date" },
      ],
      context: { asked: "slack:T0GENERAL:C0GENERAL" },
    };
    expect(renderSlackForm(form)).toEqual(renderSlackForm(buildTaskForm({ title: "Fix login", context: { asked: { platform: "slack", workspace: "T0GENERAL", conversation: "C0GENERAL" } } })));
  });
});

describe("renderSlackNotice", () => {
  const title = "Fix <login> & more";
  const url = "https://www.notion.so/p1";

  // The Block Kit these views had before the port: test/features/task-request/slack-drawing.test.ts.
  it("draws the task modal's Saving view from a FormNotice, exactly", () => {
    const saving = { kind: "text" as const, text: [{ emoji: "hourglass_flowing_sand" as const }, " Saving ", { bold: title }, " to Notion. It's taking a moment, so you can close this: I'll message you the link."] };
    expect(renderSlackNotice({ title: "New task", closeLabel: "Close", card: { summary: [], blocks: [saving] } })).toEqual(renderSlackNotice(buildSavingNotice(title)));
  });

  it("draws the Saved and Already saved views, with the Open in Notion button beside the text, exactly", () => {
    for (const existing of [false, true]) {
      const saved = {
        kind: "text" as const,
        text: [{ emoji: "white_check_mark" as const }, " ", { bold: title }, existing ? " was already on the board." : " is on the board."],
        button: { kind: "link" as const, label: "Open in Notion", url, action: "open_in_notion" },
      };
      const notice = { title: existing ? "Already saved" : "Task created", closeLabel: "Done", card: { summary: [], blocks: [saved] } };
      expect(renderSlackNotice(notice)).toEqual(renderSlackNotice(buildSavedNotice(title, url, { existing })));
    }
  });
});
