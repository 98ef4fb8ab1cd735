/** What Slack posts for a slash command (a form body), trimmed to the fields the bot reads. */
import * as z from "zod/mini";
import { describeIssue, once } from "../../schema.js";
import { id, name, optionalId, responseUrl } from "./payload-fields.js";

/**
 * The most text a slash command carries, in UTF-16 units: what Slack's message box holds (Slack
 * documents no separate limit for a command's text). A longer text is not refused at parsing: the
 * person is told the limit (handlers/slack-commands.ts). The body itself is bounded (1 MiB, read-request.ts).
 */
export const COMMAND_TEXT_MAX = 4_000;

export const slashCommandSchema = /* @__PURE__ */ once(() => z.object({
  command: z.string().check(z.regex(/^\/[\w-]{1,32}$/, "is not a slash command")),
  /** As Slack sends it: &, < and > escaped as entities, whatever the command's escaping setting (plainTextFrom reads it). */
  text: z.string(),
  team_id: id(),
  /** Enterprise Grid: the org the command came from. */
  enterprise_id: optionalId(),
  user_id: id(),
  user_name: name(),
  channel_id: id(),
  channel_name: name(),
  api_app_id: optionalId(),
  response_url: responseUrl(),
  trigger_id: id(),
}));
export type SlashCommand = z.infer<ReturnType<typeof slashCommandSchema>>;

/** Parses a slash command's form body, never throwing. */
export function parseSlashCommand(form: URLSearchParams): { ok: true; command: SlashCommand } | { ok: false; problem: string } {
  const parsed = slashCommandSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, problem: describeIssue(parsed.error.issues[0]) };
  return { ok: true, command: parsed.data };
}
