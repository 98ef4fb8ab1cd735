/**
 * The task form's field flags checked before anything is sent, for the CLIs whose form the bot opens
 * only after a message or command went (Teams' `task "<title>" --priority …`, Mattermost's `/task
 * "<title>" --priority …`): what the client would not let a person pick is refused then, while
 * "Nothing was sent" is still true. `npm run slack`'s own check is slack-form-flags.ts.
 */
import type { DataSourceObjectResponse } from "@notionhq/client";
import { readEnv } from "../env.js";
import { detectBoard } from "../notion/board.js";
import { propertyNamesFrom } from "./board-schema.js";
import { didYouMean } from "./closest.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import { UsageError } from "./slack-arguments.js";

/**
 * Rejects with a UsageError a `priority` the board does not offer (the form's choices are the
 * board's, and a client's choice set or select offers only those) and, with `dueIsDate` (Teams'
 * Input.Date takes only a date), a `due` that is not a YYYY-MM-DD date. A board without a priority
 * property leaves `priority` to the form.
 */
export async function checkTaskFlags(control: Pick<SandboxControlClient, "board">, env: Record<string, string>, fields: { priority?: string | undefined; due?: string | undefined }, options: { dueIsDate: boolean }): Promise<void> {
  if (fields.priority !== undefined) {
    const board = await control.board();
    // The board comes from the Notion emulator, in Notion's own shapes; read as the bot reads it.
    const priorities = detectBoard(board as unknown as Pick<DataSourceObjectResponse, "id" | "url" | "properties">, propertyNamesFrom(readEnv([], env))).priority?.options;
    const typed = fields.priority;
    if (priorities !== undefined && !priorities.some((name) => name.toLowerCase() === typed.toLowerCase())) {
      throw new UsageError(`The board offers no priority ${typed}: ${priorities.join(", ")}.${didYouMean(typed, priorities)}`);
    }
  }
  if (options.dueIsDate && fields.due !== undefined && !isDate(fields.due)) throw new UsageError(`--due ${fields.due} is not a date: YYYY-MM-DD, as the date picker gives it.`);
}

/**
 * Submits the dialog a message or command just opened: a field the dialog refuses is said in one
 * line, exit 2, but not "Nothing was sent": the message went, and the dialog stays open for `again`.
 */
export async function submitOpened(run: { say: (text: string) => void }, submit: () => Promise<number>, again: string): Promise<number> {
  try {
    return await submit();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    run.say(`${error.message} The dialog stays open, nothing submitted: ${again} --… sends it.`);
    return 2;
  }
}

/** A calendar date as YYYY-MM-DD: 2031-02-30 is none (Date would roll it over to March). */
function isDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}
