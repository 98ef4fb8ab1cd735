/**
 * The input flags (--title, --priority, --due…) against a form: which input each fills, and, before
 * anything is sent, whether the form the bot will open would take them.
 */
import type { DataSourceObjectResponse } from "@notionhq/client";
import { readEnv } from "../env.js";
import { buildTaskForm } from "../features/task-request/modal.js";
import { renderSlackForm } from "../platforms/slack/render-card.js";
import { detectBoard } from "../notion/board.js";
import { propertyNamesFrom } from "./board-schema.js";
import { checkInputs, fillInput, readModalInputs, type ModalInput } from "./modal-form.js";
import { FIELD_FLAGS, FORM_FLAGS, UsageError, type Flags } from "./slack-arguments.js";
import type { Session } from "./slack-session.js";

/** The inputs with each input flag's value put in, and what cannot go in (a flag the form has no input for, a value it refuses). */
export function fillFromFlags(flags: Flags, inputs: readonly ModalInput[]): { inputs: ModalInput[]; filled: ModalInput[]; problems: string[] } {
  const result = [...inputs];
  const filled: ModalInput[] = [];
  const problems: string[] = [];
  for (const name of FIELD_FLAGS) {
    const text = flags[name];
    if (text === undefined) continue;
    const index = result.findIndex((input) => matchesFlag(input, name));
    if (index === -1) {
      problems.push(`This modal has no ${name} input`);
      continue;
    }
    const outcome = fillInput(result[index]!, text);
    if (!outcome.ok) {
      problems.push(outcome.problem);
      continue;
    }
    result[index] = outcome.input;
    filled.push(outcome.input);
  }
  return { inputs: result, filled, problems };
}

/**
 * Refuses, before anything is sent, form flags where no form will open (`prefill` undefined), and
 * values the task form the bot will open would not take: a priority the board does not offer, a due
 * date that is no date, a text over its limit. When the title the bot puts in is known (`/task`), a
 * form to be submitted without one is refused too, as Slack's client would.
 */
export async function checkFormFlags(session: Session, prefill: { title?: string } | undefined, what: string): Promise<void> {
  const given = FORM_FLAGS.filter((name) => session.flags[name] !== undefined);
  if (given.length === 0) return;
  if (prefill === undefined) throw new UsageError(`${what} opens no form: ${given.map((name) => `--${name}`).join(", ")} would have nothing to fill or submit.`);
  const { inputs, filled, problems } = fillFromFlags(session.flags, await expectedTaskForm(session, prefill.title));
  if (problems.length > 0) throw new UsageError(`${problems.join("; ")}.`);
  const submitting = !session.flags["no-submit"] && given.some((name) => name !== "no-submit");
  const refused = checkInputs(submitting && prefill.title !== undefined ? inputs : filled);
  if (refused.length > 0) throw new UsageError(`Slack won't submit this: ${refused.join("; ")}.`);
}

/** The task form as the bot will open it: with the board's priorities, read as the bot reads them, and `title`. */
async function expectedTaskForm(session: Session, title: string | undefined): Promise<ModalInput[]> {
  const board = await session.control.board();
  const names = propertyNamesFrom(readEnv([], session.file.env));
  // The board comes from the Notion emulator, in Notion's own shapes.
  const priorities = detectBoard(board as unknown as Pick<DataSourceObjectResponse, "id" | "url" | "properties">, names).priority?.options;
  return readModalInputs(renderSlackForm(buildTaskForm({ title, priorities, context: {} })) as unknown as Record<string, unknown>);
}

function matchesFlag(input: ModalInput, name: string): boolean {
  const slug = input.label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return input.blockId === name || slug === name || slug.startsWith(`${name}-`);
}
