/**
 * What the bot tells a person when Notion fails, in words they can act on: no codes, no stack
 * traces. Shared by every feature that reads or writes the board.
 */
import { NotionStoreError, type NotionErrorCode } from "../notion/client.js";

/** The failure's code, when it is one of the Notion adapter's; undefined for anything else. */
export function notionCodeOf(error: unknown): NotionErrorCode | undefined {
  return error instanceof NotionStoreError ? error.code : undefined;
}

/** Why Notion failed, as a sentence ending in a full stop. */
export function explainNotionFailure(code: NotionErrorCode | undefined): string {
  switch (code) {
    case "not_found":
      return "the bot can't see the board. Ask an admin to share the Notion database with the integration.";
    case "unauthorized":
      return "Notion refused the bot's token. Ask an admin to update NOTION_TOKEN.";
    case "invalid_request":
      return "Notion refused the task; the board's properties may have changed (an admin can run npm run doctor).";
    case "too_long":
      return "Notion refused a text as too long.";
    case "conflict":
      return "Notion was busy saving another change to the board at the same moment.";
    case "rate_limited":
      return "Notion is rate-limiting the bot right now.";
    case "timeout":
      return "Notion took too long to answer.";
    case "unconfirmed":
      return "Notion didn't answer, and the board couldn't be checked, so the bot can't tell whether the task was saved.";
    default:
      return "Notion is unavailable right now.";
  }
}

/**
 * Why Notion failed, as a sentence ending in a full stop, saying more than the code where the error
 * does: how long Notion asked the bot to wait, or which text it refused as too long, and its limit.
 */
export function explainNotionError(error: unknown): string {
  const waitSeconds = error instanceof NotionStoreError && error.code === "rate_limited" ? error.retryAfterSeconds : undefined;
  if (waitSeconds !== undefined && waitSeconds > 1) return `Notion is rate-limiting the bot right now and asked it to wait ${waitSeconds} seconds.`;
  const tooLong = error instanceof NotionStoreError && error.code === "too_long" ? error.tooLong : undefined;
  if (!tooLong) return explainNotionFailure(notionCodeOf(error));
  const limit = `it takes at most ${tooLong.limit.toLocaleString("en-US")} characters there (an emoji counts as two)`;
  if (tooLong.field === "description") return `Notion refused the description as too long: ${limit}. Shorten it.`;
  return `Notion refused ${tooLong.field === undefined ? "a text" : `the ${tooLong.field} field`} as too long: ${limit}.`;
}

/** What to do about it: nothing for an admin to fix means try again later; the same text again would be refused again. */
export function retryAdvice(code: NotionErrorCode | undefined): string {
  return code === "not_found" || code === "unauthorized" || code === "invalid_request" || code === "too_long" ? "" : " Please try again in a minute.";
}

/** "I couldn't read the board: <why><advice>": for /task list, /task review and the Home tab. */
export function describeBoardReadFailure(error: unknown): string {
  return `I couldn't read the board: ${explainNotionError(error)}${retryAdvice(notionCodeOf(error))}`;
}
