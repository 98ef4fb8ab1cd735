import { describe, expect, it } from "vitest";
import type { Card } from "../../../src/chat/card.js";
import type { Form } from "../../../src/chat/form.js";
import { MATTERMOST_LIMITS, mattermostLength } from "../../../src/platforms/mattermost/limits.js";
import { buttonOf, cardFits, formOf, renderCard, renderForm } from "../../../src/platforms/mattermost/render.js";
import { signingKeyOf, verifyPayload } from "../../../src/platforms/mattermost/signed.js";

const signingKey = signingKeyOf("b".repeat(26), "c".repeat(26));
const now = 1_800_000_000_000;
const options = { signingKey, now, siteUrl: "https://site.example" };

describe("renderCard", () => {
  it("draws blocks as markdown lines and action buttons as attachment actions whose signed context carries action, value and row", () => {
    const card: Card = {
      summary: ["New task: ", { bold: "Fix login" }],
      blocks: [
        { kind: "heading", text: "New task" },
        { kind: "text", text: ["Fix ", { bold: "login" }], button: { kind: "link", label: "Open", url: "https://notion.so/p" } },
        { kind: "fields", fields: [{ label: "Due", value: ["24 Dec"] }] },
        { kind: "note", text: ["Requested by Bob"] },
        { kind: "buttons", id: "task_status/confirmation", buttons: [{ kind: "action", action: "task_status_start", label: "Start", value: "page-1" }, { kind: "action", action: "task_status_done", label: "Done", value: "page-1", style: "primary" }] },
      ],
    };
    const body = renderCard(card, options);
    expect(body.message).toBe("#### New task\nFix **login** [Open](https://notion.so/p)\n**Due**: 24 Dec\nRequested by Bob");
    const [attachment] = body.props.attachments;
    expect(attachment?.fallback).toBe("New task: Fix login");
    expect(attachment?.actions.map(({ id, name, style, integration }) => ({ id, name, style, url: integration.url }))).toEqual([
      { id: "b0", name: "Start", style: undefined, url: "https://site.example/mattermost/actions" },
      { id: "b1", name: "Done", style: "primary", url: "https://site.example/mattermost/actions" },
    ]);
    const verified = verifyPayload(signingKey, attachment?.actions[1]?.integration.context.signed, now);
    expect(verified.ok && buttonOf(verified.payload)).toEqual({ action: "task_status_done", value: "page-1", rowId: "task_status/confirmation" });
  });

  it("cuts a message past 16,383 runes at the limit with …, and says beforehand it does not fit", () => {
    const long: Card = { summary: ["x"], blocks: [{ kind: "lines", lines: Array.from({ length: 400 }, (_, index) => [`line ${index} ${"😀".repeat(50)}`]) }] };
    const body = renderCard(long, options);
    expect(mattermostLength(body.message)).toBe(MATTERMOST_LIMITS.postMessage);
    expect(body.message.endsWith("…")).toBe(true);
    expect([cardFits(long), cardFits({ summary: ["x"], blocks: [{ kind: "text", text: ["short"] }] })]).toEqual([false, true]);
  });

  it("refuses an action button when the site's URL is unknown, rather than post one that goes nowhere", () => {
    expect(() => renderCard({ summary: ["x"], blocks: [{ kind: "buttons", buttons: [{ kind: "action", action: "a", label: "A" }] }] }, { ...options, siteUrl: undefined })).toThrow(RangeError);
  });
});

describe("renderForm", () => {
  const form: Form = {
    id: "task_modal",
    title: "Create a task on the team board",
    submitLabel: "Create task",
    note: "It goes on *the* board.",
    inputs: [
      { kind: "text", id: "title", label: "Title", maxLength: 2000, value: "Fix login" },
      { kind: "text", id: "short", label: "A label longer than twenty-four", maxLength: 100, hint: "h" },
      { kind: "text", id: "description", label: "Description", maxLength: 4000, multiline: true, optional: true },
      { kind: "choice", id: "priority", label: "Priority", optional: true, value: "High", options: [{ label: "High", value: "High" }, { label: "Low", value: "Low" }] },
      { kind: "date", id: "due", label: "Due date", optional: true },
    ],
    context: { authorId: "u1", link: "https://x" },
    errors: { due: "Use YYYY-MM-DD." },
  };

  it("draws each input as a dialog element within Mattermost's limits, the due date as YYYY-MM-DD text, and signs the state for the form, person and instance", () => {
    const dialog = renderForm(form, { signingKey, now, userId: "u".repeat(26), instance: "i-1" });
    expect({ ...dialog, state: undefined }).toEqual({
      callback_id: "task_modal",
      title: "Create a task on the te…",
      introduction_text: "It goes on \\*the\\* board.",
      elements: [
        { name: "title", display_name: "Title", optional: false, type: "textarea", max_length: 2000, default: "Fix login" },
        { name: "short", display_name: "A label longer than twe…", optional: false, help_text: "h", type: "text", max_length: 100 },
        { name: "description", display_name: "Description", optional: true, type: "textarea", max_length: 3000 },
        { name: "priority", display_name: "Priority", optional: true, type: "select", options: [{ text: "High", value: "High" }, { text: "Low", value: "Low" }], default: "High" },
        { name: "due", display_name: "Due date", optional: true, help_text: "Use YYYY-MM-DD.", type: "text", subtype: "text", placeholder: "YYYY-MM-DD", min_length: 10, max_length: 10 },
      ],
      submit_label: "Create task",
      notify_on_cancel: false,
      state: undefined,
    });
    const verified = verifyPayload(signingKey, dialog.state, now);
    expect(verified.ok && formOf(verified.payload)).toEqual({ form: "task_modal", userId: "u".repeat(26), userName: undefined, instance: "i-1", context: { authorId: "u1", link: "https://x" } });
  });
});
