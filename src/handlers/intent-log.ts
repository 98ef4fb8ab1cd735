/**
 * What a request's one log line says of an intent, and what of it is masked, the same on every
 * platform whose adapter parses its payloads into intents (Discord, Mattermost, Teams; Slack reads its own
 * payloads, platforms/slack/parse-interaction.ts, by the same rules).
 */
import type { Intent } from "../chat/intent.js";
import type { LogFields } from "../log.js";

/** A button value that is only an id: a UUID (a Notion page), dashed or not. */
const ID_VALUE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Fills the line's kind, callback_id (the command's or button's name, the form's id), team (workspace, guild) and user. */
export function describeIntent(line: LogFields, intent: Intent): void {
  const callbackId = intent.kind === "ask_for_task" ? "task" : intent.kind === "subcommand" ? `task ${intent.name}` : intent.kind === "message_shortcut" ? intent.shortcut : intent.kind === "button" ? intent.action : intent.form;
  Object.assign(line, { kind: intent.kind, callback_id: callbackId, team: intent.person.workspace, user: intent.person.userId });
}

/**
 * What the person typed or quoted in an intent: masked in every line of the request. A button's
 * value can carry a message's text (the reminder's excerpt); one that is an id (a status button's
 * page id) is no one's text, and masking it would hide the ids the log needs.
 */
export function typedTextIn(intent: Intent): string[] {
  switch (intent.kind) {
    case "ask_for_task":
      return [intent.text];
    case "subcommand":
      return [intent.rest];
    case "message_shortcut":
      return [intent.message.text];
    case "button":
      return intent.value === undefined || ID_VALUE.test(intent.value) ? [] : [intent.value];
    case "submit_form":
      return Object.values(intent.values).filter((value): value is string => value !== undefined);
  }
}
