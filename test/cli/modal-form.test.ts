import { describe, expect, it } from "vitest";
import { checkInputs, fillInput, readModalInputs, renderModal, toStateValues, type ModalInput } from "../../src/cli/modal-form.js";
import { buildTaskForm, readTaskForm } from "../../src/features/task-request/modal.js";
import { intentOfViewSubmission } from "../../src/platforms/slack/intents.js";
import type { ViewStateValues, ViewSubmission } from "../../src/platforms/slack/payloads.js";
import { renderSlackForm } from "../../src/platforms/slack/render-card.js";

const modal = () => renderSlackForm(buildTaskForm({ title: "Fix login", description: "Safari only", context: {} })) as unknown as Record<string, unknown>;
/** What the bot reads from a submission's state: the Slack adapter's intent, then the task form's reader. */
const readTaskModal = (values: ViewStateValues) =>
  readTaskForm(intentOfViewSubmission({ type: "view_submission", team: null, user: { id: "U0ALICE" }, view: { id: "V1", callback_id: "task_modal", state: { values } } } as unknown as ViewSubmission).values);

function fill(inputs: ModalInput[], blockId: string, text: string): ModalInput[] {
  return inputs.map((input) => {
    if (input.blockId !== blockId) return input;
    const filled = fillInput(input, text);
    if (!filled.ok) throw new Error(filled.problem);
    return filled.input;
  });
}

describe("readModalInputs", () => {
  it("reads the task modal's inputs with their prefilled values", () => {
    const inputs = readModalInputs(modal());
    expect(inputs.map((input) => [input.blockId, input.kind, input.optional])).toEqual([
      ["title", "text", false],
      ["description", "text", true],
      ["priority", "select", true],
      ["due", "date", true],
    ]);
    expect(inputs[0]).toMatchObject({ value: "Fix login", maxLength: 150 });
    expect(inputs[2]).toMatchObject({ options: [{ label: "High", value: "High" }, { label: "Medium", value: "Medium" }, { label: "Low", value: "Low" }], value: undefined });
  });
});

describe("toStateValues", () => {
  it("is what the bot's own parser reads back as the task", () => {
    let inputs = readModalInputs(modal());
    inputs = fill(inputs, "priority", "medium");
    inputs = fill(inputs, "due", "2030-01-31");
    const values = toStateValues(inputs) as unknown as ViewStateValues;
    expect(readTaskModal(values)).toEqual({ title: "Fix login", description: "Safari only", priority: "Medium", due: "2030-01-31" });
  });

  it("sends null for an empty input, as Slack does", () => {
    const inputs = fill(readModalInputs(modal()), "description", "");
    expect(toStateValues(inputs).description).toEqual({ description_input: { type: "plain_text_input", value: null } });
    expect(toStateValues(inputs).priority).toEqual({ priority_input: { type: "static_select", selected_option: null } });
  });
});

describe("fillInput", () => {
  const [title, , priority, due] = readModalInputs(modal());

  it("takes a select option by number, label or value, in any case", () => {
    for (const text of ["2", "Medium", "MEDIUM"]) expect(fillInput(priority!, text)).toMatchObject({ ok: true, input: { value: { value: "Medium" } } });
  });

  it("refuses an option the select does not have, naming the ones it has", () => {
    expect(fillInput(priority!, "urgent")).toEqual({ ok: false, problem: 'Priority: "urgent" is not one of High, Medium, Low' });
  });

  it("refuses a date that is not YYYY-MM-DD", () => {
    expect(fillInput(due!, "31/01/2030")).toMatchObject({ ok: false });
    expect(fillInput(due!, "2030-13-01")).toMatchObject({ ok: false });
  });

  it("refuses a day the month does not have, which Slack's date picker cannot send", () => {
    expect(fillInput(due!, "2030-02-31")).toEqual({ ok: false, problem: 'Due date: "2030-02-31" is not a date (YYYY-MM-DD)' });
    expect(fillInput(due!, "2028-02-29")).toMatchObject({ ok: true, input: { value: "2028-02-29" } });
  });

  it('empties an input with ""', () => {
    expect(fillInput(title!, "")).toMatchObject({ ok: true, input: { value: undefined } });
  });
});

describe("checkInputs", () => {
  it("refuses an empty required input and a text over its max_length, as Slack's client does", () => {
    const inputs = fill(fill(readModalInputs(modal()), "title", ""), "description", "x".repeat(3001));
    expect(checkInputs(inputs)).toEqual(["Title is required", "Description is 3001 characters; the most is 3000"]);
  });

  it("passes the prefilled modal", () => {
    expect(checkInputs(readModalInputs(modal()))).toEqual([]);
  });
});

describe("renderModal", () => {
  it("shows each input with what it holds, errors under their input, and the buttons", () => {
    const lines = renderModal(modal(), { errors: { due: "That date has passed." } });
    expect(lines).toEqual([
      "┌─ New task ──────────────────────────────────────────────────────────",
      "│ Title: Fix login",
      "│ Description (optional): Safari only",
      "│ Priority (optional): — pick one of High, Medium, Low",
      "│ Due date (optional): — (Pick a date)",
      "│     Leave empty if there is no deadline.",
      "│     ⚠ That date has passed.",
      "│ The task goes on the team's Notion board, and you get a link to it.",
      "│ [Cancel] [Create task]",
      "└─────────────────────────────────────────────────────────────────────",
    ]);
  });
});
