/**
 * Schemas for what Slack sends, trimmed to the fields the bot reads; unknown fields pass through
 * untouched because Slack adds fields without notice. One import point for them, each kind in its own
 * file: slash commands (parse-slash-command.ts), interactions (parse-interaction.ts), the Events API
 * (parse-events-api-payload.ts), and what they are built from (payload-fields.ts, ../schema.ts, ../json-text.ts).
 */
export { COMMAND_TEXT_MAX, parseSlashCommand, slashCommandSchema, type SlashCommand } from "./parse-slash-command.js";
export {
  blockActionsSchema,
  messageActionSchema,
  parseInteraction,
  typedTextIn,
  viewSubmissionSchema,
  type BlockActions,
  type Interaction,
  type MessageAction,
  type SlackMessage,
  type ViewStateValues,
  type ViewSubmission,
} from "./parse-interaction.js";
export {
  appHomeOpenedSchema,
  appMentionSchema,
  botUserIdOf,
  eventEnvelopeSchema,
  parseEventsApiPayload,
  urlVerificationSchema,
  type AppHomeOpened,
  type AppMention,
  type EventCallback,
  type EventEnvelope,
  type EventsApiPayload,
  type KnownEvent,
} from "./parse-events-api-payload.js";
