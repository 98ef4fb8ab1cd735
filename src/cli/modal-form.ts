/**
 * A modal as a form the Slack CLI can show, fill and submit: its inputs with their current values,
 * the checks Slack's own client makes before it lets a person submit, and the `view.state.values`
 * Slack then sends. Pure functions.
 */
import * as z from "zod/mini";
import { elementState } from "../../dev/slack-payloads.js";
import { boxed, renderMessage, type Directory, EMPTY_DIRECTORY } from "./block-kit-text.js";

const plainText = z.looseObject({ type: z.string(), text: z.string() });
const option = z.looseObject({ text: plainText, value: z.string() });

const element = z.looseObject({
  type: z.string(),
  action_id: z.optional(z.string()),
  initial_value: z.optional(z.string()),
  initial_date: z.optional(z.string()),
  initial_option: z.optional(option),
  options: z.optional(z.array(option)),
  placeholder: z.optional(plainText),
  multiline: z.optional(z.boolean()),
  max_length: z.optional(z.number()),
  min_length: z.optional(z.number()),
});

const inputBlock = z.looseObject({
  type: z.literal("input"),
  block_id: z.string(),
  label: plainText,
  hint: z.optional(plainText),
  optional: z.optional(z.boolean()),
  element,
});

const viewSchema = z.looseObject({
  title: z.optional(plainText),
  submit: z.optional(z.nullable(plainText)),
  close: z.optional(z.nullable(plainText)),
  blocks: z.array(z.unknown()),
});

export interface SelectOption {
  label: string;
  value: string;
}

interface InputCommon {
  blockId: string;
  actionId: string;
  label: string;
  optional: boolean;
  hint: string | undefined;
  placeholder: string | undefined;
}

/** One input of a modal and what it holds now (its initial value until filled). */
export type ModalInput =
  | (InputCommon & { kind: "text"; multiline: boolean; maxLength: number | undefined; minLength: number | undefined; value: string | undefined })
  | (InputCommon & { kind: "select"; options: SelectOption[]; value: SelectOption | undefined })
  | (InputCommon & { kind: "date"; value: string | undefined })
  | (InputCommon & { kind: "unsupported"; type: string });

/** The modal's inputs, in order, holding their initial values as Slack's client shows them. */
export function readModalInputs(view: Record<string, unknown>): ModalInput[] {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return [];
  const inputs: ModalInput[] = [];
  for (const raw of parsed.data.blocks) {
    const input = inputBlock.safeParse(raw);
    if (!input.success) continue;
    const { block_id: blockId, label, hint, optional, element: el } = input.data;
    const common: InputCommon = {
      blockId,
      actionId: el.action_id ?? blockId,
      label: label.text,
      optional: optional ?? false,
      hint: hint?.text,
      placeholder: el.placeholder?.text,
    };
    switch (el.type) {
      case "plain_text_input":
        inputs.push({ ...common, kind: "text", multiline: el.multiline ?? false, maxLength: el.max_length, minLength: el.min_length, value: el.initial_value });
        break;
      case "static_select": {
        const options = (el.options ?? []).map((o) => ({ label: o.text.text, value: o.value }));
        const initial = el.initial_option && { label: el.initial_option.text.text, value: el.initial_option.value };
        inputs.push({ ...common, kind: "select", options, value: initial });
        break;
      }
      case "datepicker":
        inputs.push({ ...common, kind: "date", value: el.initial_date });
        break;
      default:
        inputs.push({ ...common, kind: "unsupported", type: el.type });
    }
  }
  return inputs;
}

/** What an input holds, as text: "" when empty. */
export function valueText(input: ModalInput): string {
  switch (input.kind) {
    case "text":
    case "date":
      return input.value ?? "";
    case "select":
      return input.value?.label ?? "";
    case "unsupported":
      return "";
  }
}

/**
 * Sets one input from what a person typed; "" empties it. A select takes an option's label or value
 * (any case) or its number; a date takes YYYY-MM-DD. Returns a problem instead when the text cannot go in.
 */
export function fillInput(input: ModalInput, text: string): { ok: true; input: ModalInput } | { ok: false; problem: string } {
  const trimmed = text.trim();
  switch (input.kind) {
    case "text":
      return { ok: true, input: { ...input, value: text === "" ? undefined : text } };
    case "date":
      if (trimmed === "") return { ok: true, input: { ...input, value: undefined } };
      // Date.parse rolls 2030-02-31 over to March: only a date that reads back the same exists.
      if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || !isCalendarDate(trimmed)) {
        return { ok: false, problem: `${input.label}: "${text}" is not a date (YYYY-MM-DD)` };
      }
      return { ok: true, input: { ...input, value: trimmed } };
    case "select": {
      if (trimmed === "") return { ok: true, input: { ...input, value: undefined } };
      const wanted = trimmed.toLowerCase();
      const byNumber = /^\d+$/.test(trimmed) ? input.options[Number(trimmed) - 1] : undefined;
      const found = byNumber ?? input.options.find((o) => o.label.toLowerCase() === wanted || o.value.toLowerCase() === wanted);
      if (!found) return { ok: false, problem: `${input.label}: "${text}" is not one of ${input.options.map((o) => o.label).join(", ")}` };
      return { ok: true, input: { ...input, value: found } };
    }
    case "unsupported":
      return { ok: false, problem: `${input.label}: the CLI cannot fill a ${input.type}` };
  }
}

function isCalendarDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** What Slack's client itself refuses before sending a submission: an empty required input, a text too long or short. */
export function checkInputs(inputs: readonly ModalInput[]): string[] {
  const problems: string[] = [];
  for (const input of inputs) {
    const text = valueText(input);
    if (!input.optional && text.trim() === "" && input.kind !== "unsupported") problems.push(`${input.label} is required`);
    if (input.kind === "text" && input.maxLength !== undefined && text.length > input.maxLength) {
      problems.push(`${input.label} is ${text.length} characters; the most is ${input.maxLength}`);
    }
    if (input.kind === "text" && input.minLength !== undefined && text !== "" && text.length < input.minLength) {
      problems.push(`${input.label} needs at least ${input.minLength} characters`);
    }
  }
  return problems;
}

/** `view.state.values` as Slack sends it in a view_submission: every input, null where empty. */
export function toStateValues(inputs: readonly ModalInput[]): Record<string, Record<string, Record<string, unknown>>> {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const input of inputs) {
    let state: Record<string, unknown>;
    switch (input.kind) {
      case "text":
        state = elementState.text(input.value);
        break;
      case "select":
        state = elementState.select(input.value);
        break;
      case "date":
        state = elementState.date(input.value);
        break;
      case "unsupported":
        state = { type: input.type };
        break;
    }
    values[input.blockId] = { [input.actionId]: state };
  }
  return values;
}

/** How an input reads in the terminal: its label, what it holds (or what it asks for), its hint. */
function renderInput(input: ModalInput, error: string | undefined): string[] {
  const label = `${input.label}${input.optional ? " (optional)" : ""}`;
  const current = valueText(input);
  let shown: string;
  if (input.kind === "unsupported") shown = `(a ${input.type}: not supported by the CLI)`;
  else if (current !== "") shown = input.kind === "text" && input.multiline ? current.replaceAll("\n", "\n    ") : current;
  else if (input.kind === "select") shown = `— pick one of ${input.options.map((o) => o.label).join(", ")}`;
  else shown = `—${input.placeholder ? ` (${input.placeholder})` : ""}`;
  const lines = `${label}: ${shown}`.split("\n");
  if (input.hint) lines.push(`    ${input.hint}`);
  if (error) lines.push(`    ⚠ ${error}`);
  return lines;
}

/**
 * The modal as a box: title, each block (inputs with their current values, other blocks as in a
 * message), errors under their inputs, and the close and submit buttons.
 */
export function renderModal(
  view: Record<string, unknown>,
  options: { inputs?: readonly ModalInput[]; errors?: Readonly<Record<string, string>>; directory?: Directory } = {},
): string[] {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return ["(not a modal Slack could show)"];
  const inputs = new Map((options.inputs ?? readModalInputs(view)).map((input) => [input.blockId, input]));
  const lines: string[] = [];
  for (const raw of parsed.data.blocks) {
    const blockId = inputBlock.safeParse(raw);
    const input = blockId.success ? inputs.get(blockId.data.block_id) : undefined;
    if (input) lines.push(...renderInput(input, options.errors?.[input.blockId]));
    else lines.push(...renderMessage({ text: "", blocks: [raw] }, options.directory ?? EMPTY_DIRECTORY));
  }
  // Errors keyed by a block that is not an input still have to be seen.
  for (const [blockId, error] of Object.entries(options.errors ?? {})) {
    if (!inputs.has(blockId)) lines.push(`⚠ ${error}`);
  }
  const buttons = [parsed.data.close?.text, parsed.data.submit?.text].filter((text) => text !== undefined).map((text) => `[${text}]`);
  if (buttons.length > 0) lines.push(buttons.join(" "));
  return boxed(parsed.data.title?.text ?? "Modal", lines);
}
