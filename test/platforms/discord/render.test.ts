import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Card } from "../../../src/chat/card.js";
import type { Form } from "../../../src/chat/form.js";
import { parkingKey } from "../../../src/platforms/discord/custom-id.js";
import { discordLength } from "../../../src/platforms/discord/limits.js";
import { renderCard, renderCardMessages, renderForm } from "../../../src/platforms/discord/render.js";
import { renderRichText } from "../../../src/platforms/discord/markdown.js";
import { buildWeeklyReview } from "../../../src/features/weekly-review/build-weekly-review.js";
import { taskOf } from "../../../dev/tasks.js";

const PAGE = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";
const ALICE = "1400000000000000001";

/** The confirmation a task's requester gets today on Slack, in the port's words. */
const confirmation: Card = {
  summary: ["Fix *login* is on the board"],
  blocks: [
    { kind: "text", text: ["✅ ", { link: "https://www.notion.so/Fix-login-1f2e", text: "Fix *login*" }, " is on the board."], button: { kind: "link", label: "Open in Notion", url: "https://www.notion.so/Fix-login-1f2e" } },
    { kind: "fields", fields: [{ label: "Priority", value: ["High"] }, { label: "Due", value: ["2026-12-24"] }] },
    {
      kind: "buttons",
      id: "task_status/confirmation",
      buttons: [
        { kind: "action", action: "task_status_start", label: "Start", value: PAGE },
        { kind: "action", action: "task_status_done", label: "Done", value: PAGE, style: "primary" },
      ],
    },
    { kind: "note", text: ["Requested by ", { mention: { platform: "discord", userId: ALICE } }] },
  ],
};

describe("renderCard", () => {
  it("draws a card as content and action rows, pinging nobody", () => {
    expect(renderCard(confirmation)).toEqual({
      body: {
        content: ["✅ [Fix \\*login\\*](https://www.notion.so/Fix-login-1f2e) is on the board.", "**Priority**: High", "**Due**: 2026-12-24", `-# Requested by <@${ALICE}>`].join("\n"),
        components: [
          { type: 1, components: [{ type: 2, style: 5, label: "Open in Notion", url: "https://www.notion.so/Fix-login-1f2e" }] },
          {
            type: 1,
            components: [
              { type: 2, style: 2, label: "Start", custom_id: `task_status_start;task_status/confirmation;${PAGE}` },
              { type: 2, style: 1, label: "Done", custom_id: `task_status_done;task_status/confirmation;${PAGE}` },
            ],
          },
        ],
        allowed_mentions: { parse: [], replied_user: false },
      },
      parked: [],
    });
  });

  it("draws a list one item a line, and a time as a timestamp each reader sees in their own zone", () => {
    const at = Date.UTC(2025, 0, 6, 7, 0);
    const card: Card = {
      summary: ["Your open tasks (2)"],
      blocks: [
        { kind: "lines", lines: [["• ", { link: "https://www.notion.so/a", text: "Task *a*" }], ["• Task b · ", { mention: { platform: "discord", userId: ALICE } }]] },
        { kind: "note", text: [{ emoji: "hourglass" }, " As of ", { time: at, timeZone: "UTC", day: true }, ", at ", { time: at, timeZone: "UTC" }] },
      ],
    };
    const { body } = renderCard(card, { ping: ALICE });
    expect(body.content).toBe(`• [Task \\*a\\*](https://www.notion.so/a)\n• Task b · <@${ALICE}>\n-# ⌛ As of <t:1736146800:f>, at <t:1736146800:t>`);
    // A mention in a list may ping, as in any text.
    expect(body.allowed_mentions).toEqual({ parse: [], users: [ALICE], replied_user: false });
  });

  it("pings the one person asked for, and only if the card mentions them", () => {
    expect(renderCard(confirmation, { ping: ALICE }).body.allowed_mentions).toEqual({ parse: [], users: [ALICE], replied_user: false });
    expect(renderCard(confirmation, { ping: "1400000000000000009" }).body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("puts more than five buttons on further rows, and refuses more than five rows", () => {
    const buttons = Array.from({ length: 7 }, (_, index) => ({ kind: "action" as const, action: `a${index}`, label: `B${index}` }));
    expect(renderCard({ summary: ["s"], blocks: [{ kind: "buttons", buttons }] }).body.components.map((row) => row.components.length)).toEqual([5, 2]);
    const tooMany = Array.from({ length: 26 }, (_, index) => ({ kind: "action" as const, action: `a${index}`, label: "x" }));
    expect(() => renderCard({ summary: ["s"], blocks: [{ kind: "buttons", buttons: tooMany }] })).toThrow(RangeError);
  });

  it("parks a button value too long for its custom_id", () => {
    const value = "x".repeat(150);
    const rendered = renderCard({ summary: ["s"], blocks: [{ kind: "buttons", buttons: [{ kind: "action", action: "create_task_from_reminder", label: "Create task from this message", value }] }] });
    expect(rendered.parked).toEqual([{ key: parkingKey(value), value }]);
    expect(rendered.body.components[0]?.components[0]).toEqual({ type: 2, style: 2, label: "Create task from this message", custom_id: `create_task_from_reminder;;~${parkingKey(value)}` });
  });

  it("cuts content at 2,000 characters as Discord counts them, never leaving a lone backslash before the ellipsis", () => {
    // 2,000 emoji are 4,000 UTF-16 units and still fit.
    expect(renderCard({ summary: ["s"], blocks: [{ kind: "text", text: ["😀".repeat(2000)] }] }).body.content).toBe("😀".repeat(2000));
    expect(renderCard({ summary: ["s"], blocks: [{ kind: "text", text: ["😀".repeat(2001)] }] }).body.content).toBe(`${"😀".repeat(1999)}…`);
    // Escaped, "**" is "\*\*": the cut at 1,999 would end in the first backslash, which is dropped.
    expect(renderCard({ summary: ["s"], blocks: [{ kind: "text", text: [`${"😀".repeat(1998)}**`] }] }).body.content).toBe(`${"😀".repeat(1998)}…`);
    expect(renderCard({ summary: ["s"], blocks: [{ kind: "text", text: [`${"a".repeat(1997)}\\*`] }] }).body.content).toBe(`${"a".repeat(1997)}\\\\…`);
  });

  it("never sends content over 2,000 characters or half an emoji, whatever the blocks hold", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "😀", "*", "\\", "@everyone", "\n"), minLength: 400, maxLength: 900 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (texts) => {
        const { content } = renderCard({ summary: ["s"], blocks: texts.map((value) => ({ kind: "text" as const, text: [value] })) }).body;
        expect(discordLength(content)).toBeLessThanOrEqual(2000);
        expect(content.isWellFormed()).toBe(true);
        expect(content).not.toMatch(/(^|[^\\])(\\\\)*\\…$/);
      }),
      { numRuns: 100 },
    );
  });

  it("draws a list one line each, and a time as a timestamp each reader sees in their own zone", () => {
    const at = Date.parse("2025-01-06T07:00:00Z");
    const { body } = renderCard({ summary: ["x"], blocks: [{ kind: "lines", lines: [["• ", { link: "https://www.notion.so/p1", text: "Fix *it*" }], ["at ", { time: at, timeZone: "UTC" }, " or ", { time: at, timeZone: "UTC", day: true }]] }] });
    expect(body.content).toBe("• [Fix \\*it\\*](https://www.notion.so/p1)\nat <t:1736146800:t> or <t:1736146800:f>");
  });

  it("shows the summary when the card has no text, and lets its mention ping when asked", () => {
    expect(renderCard({ summary: ["Saved <@1>"], blocks: [] }).body.content).toBe("Saved \\<@1>");
    const summaryOnly = renderCard({ summary: [{ mention: { platform: "discord", userId: ALICE } }, ", your task moved"], blocks: [] }, { ping: ALICE });
    expect(summaryOnly.body).toEqual({ content: `<@${ALICE}>, your task moved`, components: [], allowed_mentions: { parse: [], users: [ALICE], replied_user: false } });
  });
});

describe("renderCardMessages", () => {
  const MONDAY = new Date("2025-01-06T09:00:00Z");
  const dues = ["2025-01-01", "2025-01-08", "2025-03-01", undefined];
  /** A review with `count` tasks a group and titles of `width` characters. */
  const review = (count: number, width: number) =>
    buildWeeklyReview(
      { tasks: Array.from({ length: 4 * count }, (_, i) => taskOf(`t${i}`, { title: `Task ${i} ${"x".repeat(width)}`, priority: "High", requester: "Alice", due: dues[i % 4] })), complete: true },
      { now: MONDAY, timeZone: "UTC", boardUrl: "https://www.notion.so/board" },
    );
  const contents = (card: Card) => renderCardMessages(card).map((message) => message.body.content);

  it("sends a card that fits as renderCard's one message, exactly", () => {
    expect(renderCardMessages(confirmation, { ping: ALICE })).toEqual([renderCard(confirmation, { ping: ALICE })]);
    const short = review(2, 10);
    expect(renderCardMessages(short)).toEqual([renderCard(short)]);
  });

  it("splits a long weekly review between its groups, each message within 2,000 characters, nothing cut", () => {
    const card = review(15, 40);
    const sent = contents(card);
    expect(sent.length).toBeGreaterThan(1);
    for (const content of sent) expect(discordLength(content)).toBeLessThanOrEqual(2000);
    // Each message after the first begins with a group's heading: no group is split when it fits a message.
    expect(sent.slice(1).every((content) => /^(🚨|📅|📆|❔) \*\*/u.test(content))).toBe(true);
    const lines = sent.join("\n").split("\n");
    expect(lines.filter((line) => line.startsWith("• "))).toHaveLength(60);
    expect(lines.join("\n")).not.toContain("…\n");
    expect(lines[0]).toBe("### Weekly review, week of 6 Jan");
    expect(lines.at(-1)).toBe("-# Open [the board](https://www.notion.so/board) in Notion.");
  });

  it("splits one group too long for a message between its lines, in order", () => {
    const card = review(15, 140);
    const sent = contents(card);
    for (const content of sent) expect(discordLength(content)).toBeLessThanOrEqual(2000);
    // Overdue, this week, later, undated: the tasks i % 4 = 0, 1, 2, 3, each group in the board's order.
    const order = [0, 1, 2, 3].flatMap((group) => Array.from({ length: 15 }, (_, k) => `Task ${group + 4 * k} `));
    expect(sent.join("\n").match(/Task \d+ /g)).toEqual(order);
  });

  it("never sends content over 2,000 characters, whatever the lines hold, and loses no line that fits", () => {
    const line = fc.string({ unit: fc.constantFrom("a", "😀", "*", "\n"), minLength: 1, maxLength: 2_500 });
    fc.assert(
      fc.property(fc.array(fc.array(line, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }), (groups) => {
        const card: Card = { summary: ["s"], blocks: groups.map((lines) => ({ kind: "lines" as const, lines: lines.map((text) => [text]) })) };
        const sent = contents(card);
        for (const content of sent) expect(discordLength(content)).toBeLessThanOrEqual(2000);
        // A line that fits a message arrives whole; only a longer one is cut (as renderCard cuts it).
        for (const text of groups.flat()) {
          const drawn = renderRichText([text]);
          if (discordLength(drawn) <= 2000) expect(sent.join("\n")).toContain(drawn);
        }
      }),
      { numRuns: 100 },
    );
  });
});

const taskForm: Form = {
  id: "task_modal",
  title: "New task",
  submitLabel: "Create task",
  note: "The task goes on the team's Notion board, and you get a link to it.",
  inputs: [
    { kind: "text", id: "title", label: "Title", maxLength: 2000, placeholder: "What needs doing?", value: "Fix login" },
    { kind: "text", id: "description", label: "Description", maxLength: 4000, multiline: true, optional: true },
    { kind: "choice", id: "priority", label: "Priority", optional: true, options: [{ label: "High", value: "High" }, { label: "Low", value: "Low" }], value: "Low" },
    { kind: "date", id: "due", label: "Due", optional: true, hint: "Leave empty if there is no deadline." },
  ],
  context: { message: "1500000000000000001" },
};

describe("renderForm", () => {
  it("draws a form as a Label modal with a select for the choice and a text input for the date", () => {
    expect(renderForm(taskForm)).toEqual({
      modal: {
        custom_id: "task_modal;message=1500000000000000001",
        title: "New task",
        components: [
          { type: 18, label: "Title", component: { type: 4, custom_id: "title", style: 1, required: true, max_length: 2000, placeholder: "What needs doing?", value: "Fix login" } },
          { type: 18, label: "Description", component: { type: 4, custom_id: "description", style: 2, required: false, max_length: 4000 } },
          { type: 18, label: "Priority", component: { type: 3, custom_id: "priority", required: false, options: [{ label: "High", value: "High" }, { label: "Low", value: "Low", default: true }] } },
          { type: 18, label: "Due", description: "Leave empty if there is no deadline.", component: { type: 4, custom_id: "due", style: 1, required: false, min_length: 10, max_length: 10, placeholder: "YYYY-MM-DD" } },
          { type: 10, content: "The task goes on the team's Notion board, and you get a link to it." },
        ],
      },
      parked: [],
    });
  });

  it("shows an error in place of its input's hint, and keeps what was typed", () => {
    const again = renderForm({ ...taskForm, inputs: taskForm.inputs.map((input) => (input.id === "due" ? { ...input, value: "2020-01-01" } : input)), errors: { due: "The due date is in the past." } });
    expect(again.modal.components[3]).toEqual({
      type: 18,
      label: "Due",
      description: "⚠️ The due date is in the past.",
      component: { type: 4, custom_id: "due", style: 1, required: false, min_length: 10, max_length: 10, placeholder: "YYYY-MM-DD", value: "2020-01-01" },
    });
  });

  it("cuts the title and labels to 45 characters and a prefilled value to 4,000, as Discord counts them", () => {
    const rendered = renderForm({ ...taskForm, title: "😀".repeat(50), inputs: [{ kind: "text", id: "t", label: "L".repeat(60), maxLength: 9000, value: "😀".repeat(4100) }] });
    expect(rendered.modal.title).toBe(`${"😀".repeat(44)}…`);
    const label = rendered.modal.components[0];
    expect(label?.type === 18 && label.label).toBe(`${"L".repeat(44)}…`);
    expect(label?.type === 18 && label.component.type === 4 && discordLength(label.component.value ?? "")).toBe(4000);
    expect(label?.type === 18 && label.component.type === 4 && label.component.max_length).toBe(4000);
  });
});
