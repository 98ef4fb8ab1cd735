import { describe, expect, it } from "vitest";
import type { Card } from "../../../src/chat/card.js";
import { buildReturnedInput } from "../../../src/features/task-request/messages.js";
import { escapeTeamsMarkdown, fitsTeams, renderAdaptiveCard, renderCardActivity, renderFormCard, TEAMS_MESSAGE_BYTES, teamsMessageBytes } from "../../../src/platforms/teams/render.js";

const erin = { platform: "teams" as const, workspace: "t", userId: "29:1erin", displayName: "Erin" };

describe("renderAdaptiveCard", () => {
  it("draws text, fields, lines and buttons as TextBlock, FactSet and Action.Execute / Action.OpenUrl", () => {
    const card: Card = {
      summary: ["New task"],
      blocks: [
        { kind: "heading", text: "Tasks" },
        { kind: "fields", fields: [{ label: "Status", value: [{ bold: "Not started" }] }] },
        { kind: "lines", lines: [["one"], ["two"]] },
        { kind: "buttons", id: "row", buttons: [{ kind: "action", action: "task_status_start", label: "Start", value: "p1" }, { kind: "link", label: "Open in Notion", url: "https://www.notion.so/p1" }] },
      ],
    };
    expect(renderAdaptiveCard(card).body).toEqual([
      { type: "TextBlock", text: "Tasks", wrap: true, size: "Large", weight: "Bolder" },
      { type: "FactSet", facts: [{ title: "Status", value: "**Not started**" }] },
      { type: "TextBlock", text: "one", wrap: true },
      { type: "TextBlock", text: "two", wrap: true, spacing: "None" },
      { type: "ActionSet", id: "row", actions: [{ type: "Action.Execute", title: "Start", verb: "task_status_start", data: { value: "p1", rowId: "row" } }, { type: "Action.OpenUrl", title: "Open in Notion", url: "https://www.notion.so/p1" }] },
    ]);
  });

  it("escapes typed markdown, an <at> and Adaptive Cards' {{…}} functions, so a title is shown as typed", () => {
    expect(escapeTeamsMarkdown("**x** [a](b) <at>Bob</at> {{DATE(x)}}")).toBe("\\*\\*x\\*\\* \\[a\\]\\(b\\) <\u200bat\\>Bob<\u200b/at\\> \\{\\{DATE\\(x\\)\\}\\}");
  });

  it("mentions only the person a reply may ping, with exactly one entity; any other mention is a name", () => {
    const card: Card = { summary: ["x"], blocks: [{ kind: "text", text: [{ mention: erin }, " and ", { mention: { ...erin, userId: "29:1other", displayName: "Other" } }, " ", { mention: erin }] }] };
    const drawn = renderAdaptiveCard(card, { ping: { userId: "29:1erin", name: "Erin" } });
    expect(drawn.body[0]).toMatchObject({ text: "<at>Erin</at> and @Other <at>Erin</at>" });
    expect(drawn.msteams?.entities).toEqual([{ type: "mention", text: "<at>Erin</at>", mentioned: { id: "29:1erin", name: "Erin" } }]);
    expect(renderAdaptiveCard(card).msteams?.entities).toBeUndefined();
  });

  it("counts a message as Teams does, in UTF-16 (two bytes a code unit), against the 80 KB its docs advise: 35 KB of ASCII is 71 KB to Teams, and fits", () => {
    const lines = (count: number): Card => ({ summary: ["review"], blocks: [{ kind: "lines", lines: Array.from({ length: count }, (_, index) => [`Task number ${index} with a reasonably long title to fill space`]) }] });
    expect(teamsMessageBytes({ text: "é😀" })).toBe(JSON.stringify({ text: "é😀" }).length * 2);
    expect(teamsMessageBytes(renderCardActivity(lines(300)))).toBeLessThan(TEAMS_MESSAGE_BYTES);
    expect(fitsTeams(lines(300))).toBe(true);
    expect(fitsTeams(lines(450))).toBe(false);
  });

  it("draws a text-only card (no text in its blocks) as its summary, buttons after it", () => {
    const notice: Card = { summary: [{ emoji: "information_source" }, " Already ", { bold: "done" }, "."], blocks: [] };
    expect(renderAdaptiveCard(notice).body).toEqual([{ type: "TextBlock", text: "ℹ️ Already **done**\\.", wrap: true }]);
    const withButton: Card = { summary: ["Pick"], blocks: [{ kind: "buttons", buttons: [{ kind: "link", label: "Open", url: "https://www.notion.so/p1" }] }] };
    expect(renderAdaptiveCard(withButton).body).toEqual([{ type: "TextBlock", text: "Pick", wrap: true }, { type: "ActionSet", actions: [{ type: "Action.OpenUrl", title: "Open", url: "https://www.notion.so/p1" }] }]);
  });

  it("names the person pinged by name in the notification's text, as the card does; anyone else as the summary has them", () => {
    const card: Card = { summary: ["Hi ", { mention: { platform: "teams", userId: "29:1erin" } }, " and ", { mention: { platform: "teams", userId: "29:1other" } }], blocks: [{ kind: "text", text: ["x"] }] };
    expect(renderCardActivity(card, { ping: { userId: "29:1erin", name: "Erin" } }).summary).toBe("Hi @Erin and @29:1other");
    expect(renderCardActivity(card).summary).toBe("Hi @29:1erin and @29:1other");
  });

  it("draws a card of only a summary from it, a TextBlock a line, as typed (everything a person typed, sent back, is such a card: an Adaptive Card shows no summary)", () => {
    const card = buildReturnedInput({ title: "Fix **the** <at>printer</at>", description: "line 1\n\nline 3", priority: "High", due: undefined }, "Notion is down.", { command: "task" });
    const body = renderAdaptiveCard(card).body;
    expect(body.map((element) => element.text)).toEqual([
      "⚠️ I couldn't save your task to Notion: Notion is down\\.",
      "Here is everything you typed, so you can try again with `task`:",
      "\u00a0",
      "**Title:** Fix \\*\\*the\\*\\* <\u200bat\\>printer<\u200b/at\\>",
      "**Priority:** High",
      "**Description:**",
      "line 1",
      "\u00a0",
      "line 3",
    ]);
    expect(body.every((element) => element.type === "TextBlock")).toBe(true);
  });

  it("says whether a card fits Teams' message size", () => {
    const lines = (count: number): Card => ({ summary: ["review"], blocks: [{ kind: "lines", lines: Array.from({ length: count }, (_, index) => [`Task number ${index} with a reasonably long title to fill space`]) }] });
    expect(fitsTeams(lines(50))).toBe(true);
    expect(fitsTeams(lines(500))).toBe(false);
  });
});

describe("renderFormCard", () => {
  it("draws inputs with labels, required where the form says, an error under its input, and the submit's data", () => {
    const card = renderFormCard({
      id: "task_modal",
      title: "New task",
      submitLabel: "Create task",
      inputs: [
        { kind: "text", id: "title", label: "Title", maxLength: 200, value: "Fix" },
        { kind: "date", id: "due", label: "Due date", optional: true, value: "not a date" },
      ],
      context: { o: "1" },
      errors: { title: "Too long" },
    });
    expect(card.body).toEqual([
      { type: "Input.Text", id: "title", label: "Title", isRequired: true, errorMessage: "Title is required", isMultiline: false, maxLength: 200, value: "Fix" },
      { type: "TextBlock", text: "Too long", wrap: true, color: "Attention", size: "Small", spacing: "None" },
      { type: "Input.Date", id: "due", label: "Due date", isRequired: false },
    ]);
    expect(card.actions).toEqual([{ type: "Action.Submit", title: "Create task", data: { "chatops.form": "task_modal", "chatops.context": { o: "1" } } }]);
  });
});
