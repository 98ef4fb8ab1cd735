/**
 * The commands `npm run discord:register` will overwrite (PUT /applications/{id}/commands): the
 * names are fixed by what the Discord application is configured with (issue #22) and map onto the
 * routing table's names in parse-interaction.ts. Pure data.
 */
import { MESSAGE_COMMANDS, TASK_COMMAND_NAME, TASK_TEXT_OPTION } from "./parse-interaction.js";
import type { CommandDefinition } from "./rest.js";

/** Installation contexts: in a server, and in the bot's DM (HTTP interactions reach both). */
const CONTEXTS = [0, 1];

/** `task` (CHAT_INPUT, one optional STRING `text`), then the MESSAGE commands (which take no description). */
export function commandDefinitions(): CommandDefinition[] {
  return [
    {
      name: TASK_COMMAND_NAME,
      type: 1,
      description: "Put a request on the team's board (or: list, review, help)",
      options: [{ type: 3, name: TASK_TEXT_OPTION, description: "A title for the task, or list, review or help", required: false, max_length: 4000 }],
      contexts: CONTEXTS,
      integration_types: [0],
    },
    ...Object.keys(MESSAGE_COMMANDS).map((name): CommandDefinition => ({ name, type: 3, description: "", contexts: CONTEXTS, integration_types: [0] })),
  ];
}
