/**
 * Schemas for what Slack sends, trimmed to the fields the bot reads; unknown fields pass through
 * untouched because Slack adds fields without notice.
 */
import * as z from "zod/mini";
import { LIMITS } from "./blocks.js";

/**
 * Each schema is built on its first use rather than at import: a function reads one or two kinds
 * of payload, and building every schema cost each cold start a few milliseconds. It also lets the
 * bundler leave out the schemas a function never uses (zod's `.check()` looks like a side effect).
 */
/* @__NO_SIDE_EFFECTS__ */
function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * Slack's own limits, so an attacker-sized value (a signed body can hold a 1,000,000-character
 * callback_id) is an invalid payload at the boundary, never a key, a log field or a Notion text.
 * callback_id, action_id, block_id and external_id are at most 255 characters (LIMITS, from
 * Block Kit's reference); Slack's ids (team, user, channel, view, ts, trigger) are far shorter, and
 * are held to the same 255, as are names (a channel's is at most 80 characters, a person's shorter).
 * What a person typed (a modal's input, a message's text) is not bounded here: the task rules
 * answer an over-long title in the modal, with the input kept, and typed text is never logged.
 */
const ID_MAX = 255;
const NAME_MAX = 255;
const bounded = (max: number) => z.string().check(z.maxLength(max));
const id = () => z.string().check(z.minLength(1), z.maxLength(ID_MAX));
const optionalId = () => z.optional(bounded(ID_MAX));
const name = () => z.optional(bounded(NAME_MAX));
/**
 * A response_url is checked for its form only. Whether it may be called is decided at the call
 * (slack/outbound.ts, with SLACK_API_URL, which a schema does not know), so a refused URL leaves the
 * rest of the payload readable and the person is answered another way, not left without a word.
 */
const responseUrl = () => z.url({ protocol: /^https?$/ });

/**
 * The most text a slash command carries, in UTF-16 units: what Slack's message box holds (Slack
 * documents no separate limit for a command's text). A longer text is not refused at parsing: the
 * person is told the limit (handlers.ts). The body itself is bounded (1 MiB, read-request.ts).
 */
export const COMMAND_TEXT_MAX = 4_000;

export const slashCommandSchema = once(() => z.object({
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

/** Where the interaction happened (null for an org-wide install); in an Enterprise Grid org, with the org's id. */
const team = () => z.looseObject({ id: id(), enterprise_id: optionalId() });
/** Who acted; `team_id` is their own workspace (or, in an Enterprise Grid org, the org's E… id). */
const user = () => z.looseObject({ id: id(), name: name(), username: name(), team_id: optionalId() });
/** Enterprise Grid: the org (null outside one); never a reason to refuse a payload, so loosely read (its id bounded). */
const enterprise = () => z.optional(z.nullable(z.looseObject({ id: optionalId() })));

/** One input's value in a view's state, whichever element produced it (`value`: typed text, see above). */
const stateValueSchema = () => z.looseObject({
  type: bounded(ID_MAX),
  value: z.optional(z.nullable(z.string())),
  selected_date: z.optional(z.nullable(bounded(ID_MAX))),
  selected_option: z.optional(z.nullable(z.looseObject({ value: bounded(LIMITS.optionValue) }))),
});
export type ViewStateValues = Record<string, Record<string, z.infer<ReturnType<typeof stateValueSchema>>>>;

export const viewSubmissionSchema = once(() => z.looseObject({
  type: z.literal("view_submission"),
  team: z.nullable(team()),
  enterprise: enterprise(),
  user: user(),
  api_app_id: optionalId(),
  trigger_id: optionalId(),
  view: z.looseObject({
    id: id(),
    callback_id: bounded(LIMITS.callbackId),
    hash: optionalId(),
    private_metadata: z.optional(bounded(LIMITS.privateMetadata)),
    root_view_id: z.optional(z.nullable(bounded(ID_MAX))),
    // Keyed by block_id, then by action_id.
    state: z.looseObject({ values: z.record(bounded(LIMITS.blockId), z.record(bounded(LIMITS.actionId), stateValueSchema())) }),
  }),
}));
export type ViewSubmission = z.infer<ReturnType<typeof viewSubmissionSchema>>;

/** A message as a shortcut or a button sees it; author fields are absent on bot and system messages. */
const messageSchema = () => z.looseObject({
  ts: id(),
  thread_ts: optionalId(),
  text: z.optional(z.string()),
  user: optionalId(),
  bot_id: optionalId(),
  subtype: optionalId(),
});
export type SlackMessage = z.infer<ReturnType<typeof messageSchema>>;

export const messageActionSchema = once(() => z.looseObject({
  type: z.literal("message_action"),
  callback_id: bounded(LIMITS.callbackId),
  trigger_id: id(),
  response_url: responseUrl(),
  team: z.nullable(team()),
  enterprise: enterprise(),
  user: user(),
  api_app_id: optionalId(),
  channel: z.looseObject({ id: id(), name: name() }),
  message: messageSchema(),
}));
export type MessageAction = z.infer<ReturnType<typeof messageActionSchema>>;

export const blockActionsSchema = once(() => z.looseObject({
  type: z.literal("block_actions"),
  trigger_id: id(),
  response_url: z.optional(responseUrl()),
  team: z.nullable(team()),
  enterprise: enterprise(),
  user: user(),
  api_app_id: optionalId(),
  channel: z.optional(z.looseObject({ id: id() })),
  message: z.optional(messageSchema()),
  /** The surface the button is on, when it is a view: `type` "home" for the Home tab. */
  view: z.optional(z.looseObject({ id: id(), type: bounded(ID_MAX) })),
  actions: z.array(
    z.looseObject({
      action_id: bounded(LIMITS.actionId),
      block_id: z.optional(bounded(LIMITS.blockId)),
      value: z.optional(bounded(LIMITS.buttonValue)),
    }),
  ).check(z.minLength(1)),
}));
export type BlockActions = z.infer<ReturnType<typeof blockActionsSchema>>;

export type Interaction =
  | { kind: "view_submission"; payload: ViewSubmission }
  | { kind: "message_action"; payload: MessageAction }
  | { kind: "block_actions"; payload: BlockActions }
  | { kind: "other"; type: string }
  /**
   * `type` when the payload said which kind it is: an unreadable modal submission still needs an
   * answer; `responseUrl` when it named one, to answer an unreadable shortcut or button through
   * (only if the outbound rule allows it: slack/outbound.ts).
   */
  | { kind: "invalid"; problem: string; type?: string; responseUrl?: string };

const schemasByType = {
  view_submission: viewSubmissionSchema,
  message_action: messageActionSchema,
  block_actions: blockActionsSchema,
} as const;

/** Parses the `payload=` field Slack posts to the interactivity URL, never throwing. */
export function parseInteraction(form: URLSearchParams): Interaction {
  const raw = form.get("payload");
  if (raw === null) return { kind: "invalid", problem: "no payload field" };
  const json = parseJsonText(raw);
  if (json === NOT_JSON) return { kind: "invalid", problem: "payload is not JSON" };
  const type = typeof json === "object" && json !== null && "type" in json ? json.type : undefined;
  if (typeof type !== "string") return { kind: "invalid", problem: "payload has no type" };
  // Own keys only: `in` would take "toString" or "constructor" for a kind of payload.
  if (!Object.hasOwn(schemasByType, type)) return { kind: "other", type: type.slice(0, 64) };
  const kind = type as keyof typeof schemasByType;
  const parsed = schemasByType[kind]().safeParse(json);
  if (!parsed.success) {
    const responseUrl = (json as { response_url?: unknown }).response_url;
    return { kind: "invalid", problem: describeIssue(parsed.error.issues[0]), type: kind, ...(typeof responseUrl === "string" ? { responseUrl } : {}) };
  }
  return { kind, payload: parsed.data } as Interaction;
}

const MAY_HOLD_SURROGATE = /[\ud800-\udfff]|\\u[dD][89a-fA-F]/;
const NOT_JSON = Symbol("not JSON");

/** JSON text as a value, every lone surrogate made U+FFFD; NOT_JSON when it does not parse. */
function parseJsonText(raw: string): unknown {
  try {
    // A reviver makes JSON.parse several times slower: only a payload that has a surrogate (as a
    // character or a \uD800-\uDFFF escape) can hold a lone one.
    return MAY_HOLD_SURROGATE.test(raw)
      ? JSON.parse(raw, (_key, value: unknown) => (typeof value === "string" ? toWellFormed(value) : value))
      : JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

/**
 * A lone surrogate (`"\udfff"` in JSON) is no text anyone typed, and makes encodeURIComponent and
 * others throw: it becomes U+FFFD at the boundary, as a form body's broken UTF-8 already does.
 */
function toWellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** Parses a slash command's form body, never throwing. */
export function parseSlashCommand(form: URLSearchParams): { ok: true; command: SlashCommand } | { ok: false; problem: string } {
  const parsed = slashCommandSchema().safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, problem: describeIssue(parsed.error.issues[0]) };
  return { ok: true, command: parsed.data };
}

/** Names the field at fault without echoing its value: payload text is the user's, not the log's. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return "invalid payload";
  const path = issue.path.map(String).join(".").slice(0, 120) || "payload";
  return `${path}: ${issue.code}`;
}

/** A button value that is only an id: a UUID (a Notion page), dashed or not. */
const ID_VALUE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** What a person typed or quoted in an interaction: logged by length only, and masked if a library echoes it. */
export function typedTextIn(interaction: Extract<Interaction, { payload: unknown }>): string[] {
  switch (interaction.kind) {
    case "view_submission":
      return Object.values(interaction.payload.view.state.values)
        .flatMap((block) => Object.values(block))
        .flatMap((input) => (typeof input.value === "string" ? [input.value] : []));
    case "message_action":
      return interaction.payload.message.text ? [interaction.payload.message.text] : [];
    case "block_actions":
      // A button's value can carry a message's text (the reminder's does); one that is an id (a
      // status button's page id) is no one's text, and masking it would hide ids the log needs.
      return [
        ...interaction.payload.actions.flatMap((action) => (action.value && !ID_VALUE.test(action.value) ? [action.value] : [])),
        ...(interaction.payload.message?.text ? [interaction.payload.message.text] : []),
      ];
  }
}

// ---------------------------------------------------------------------------------------------
// The Events API: a JSON body (docs.slack.dev/apis/events-api, …/reference/events/app_home_opened,
// …/reference/events/app_mention), trimmed to the fields the bot reads.

/** A user id, as Slack writes it; a Home tab's state is stored under it. */
const userId = () => z.string().check(z.maxLength(ID_MAX), z.regex(/^[UW][A-Z0-9]{2,}$/, "is not a user id"));
/** A message ts, "seconds.micros". */
const messageTs = () => z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/, "is not a message ts"));

export const urlVerificationSchema = once(() => z.looseObject({
  type: z.literal("url_verification"),
  // Slack's challenges are about 50 characters; the bound keeps a forged one from being echoed at length.
  challenge: z.string().check(z.minLength(1), z.maxLength(255)),
}));

/** The envelope every event comes in; `authorizations` holds at most one installation, the bot's own. */
export const eventEnvelopeSchema = once(() => z.looseObject({
  type: z.literal("event_callback"),
  team_id: id(),
  api_app_id: optionalId(),
  // Claims are keyed by it, so it is held to the characters Slack uses ("Ev0123ABCD").
  event_id: z.string().check(z.regex(/^[A-Za-z0-9]{1,64}$/, "is not an event id")),
  event_time: z.number(),
  is_ext_shared_channel: z.optional(z.boolean()),
  context_team_id: z.optional(z.nullable(bounded(ID_MAX))),
  authorizations: z.optional(
    z.array(z.looseObject({ team_id: z.optional(z.nullable(bounded(ID_MAX))), user_id: optionalId(), is_bot: z.optional(z.boolean()) })),
  ),
  event: z.looseObject({ type: bounded(ID_MAX) }),
}));
export type EventEnvelope = z.infer<ReturnType<typeof eventEnvelopeSchema>>;

/** A person opened the bot's App Home; `tab` says which tab ("home" or "messages"). */
export const appHomeOpenedSchema = once(() => z.looseObject({
  type: z.literal("app_home_opened"),
  user: userId(),
  channel: optionalId(),
  tab: optionalId(),
  event_ts: optionalId(),
}));
export type AppHomeOpened = z.infer<ReturnType<typeof appHomeOpenedSchema>>;

/** A message that mentions the bot. `user` is absent and `bot_id` set when a bot wrote it. */
export const appMentionSchema = once(() => z.looseObject({
  type: z.literal("app_mention"),
  user: optionalId(),
  bot_id: optionalId(),
  text: z.string().check(z.maxLength(40_000)),
  ts: messageTs(),
  // Where the reply and the task's Slack link go: a channel the bot is in.
  channel: z.string().check(z.regex(/^[CDG][A-Z0-9]{2,}$/, "is not a channel id")),
  thread_ts: z.optional(messageTs()),
  team: optionalId(),
  user_team: optionalId(),
  subtype: optionalId(),
}));
export type AppMention = z.infer<ReturnType<typeof appMentionSchema>>;

/**
 * The bot's own user id, as the envelope's authorizations say (the installation the event is for is
 * the bot's); undefined when Slack left them out.
 */
export function botUserIdOf(envelope: Pick<EventEnvelope, "authorizations">): string | undefined {
  return envelope.authorizations?.find((authorization) => authorization.is_bot === true)?.user_id;
}

/** The envelope's own fields (a loose object's type has an index signature, which Omit would empty). */
type EnvelopeField = "type" | "team_id" | "api_app_id" | "event_id" | "event_time" | "is_ext_shared_channel" | "context_team_id" | "authorizations";

/** The envelope with its event read: what an event's route is given. */
export type EventCallback<Event> = Pick<EventEnvelope, EnvelopeField> & { event: Event };

const eventSchemasByType = {
  app_home_opened: appHomeOpenedSchema,
  app_mention: appMentionSchema,
} as const;

/** An event the bot handles, with its type beside it so a switch narrows the callback. */
export type KnownEvent =
  | { type: "app_home_opened"; callback: EventCallback<AppHomeOpened> }
  | { type: "app_mention"; callback: EventCallback<AppMention> };

export type EventsApiPayload =
  | { kind: "url_verification"; challenge: string }
  | ({ kind: "event_callback" } & KnownEvent)
  /** An event_callback whose event the bot does not subscribe to: acknowledged, nothing else. */
  | { kind: "unhandled_event"; type: string; envelope: EventEnvelope }
  /** Another kind of Events API request (app_rate_limited, …). */
  | { kind: "other"; type: string }
  /** `eventType` when the envelope said which event it carries. */
  | { kind: "invalid"; problem: string; eventType?: string };

/** Parses a request to the Events API URL, never throwing. */
export function parseEventsApiPayload(body: string): EventsApiPayload {
  const json = parseJsonText(body);
  if (json === NOT_JSON) return { kind: "invalid", problem: "body is not JSON" };
  const type = typeof json === "object" && json !== null && "type" in json ? json.type : undefined;
  if (typeof type !== "string") return { kind: "invalid", problem: "body has no type" };
  if (type === "url_verification") {
    const parsed = urlVerificationSchema().safeParse(json);
    return parsed.success ? { kind: "url_verification", challenge: parsed.data.challenge } : { kind: "invalid", problem: describeIssue(parsed.error.issues[0]) };
  }
  if (type !== "event_callback") return { kind: "other", type: type.slice(0, 64) };
  const envelope = eventEnvelopeSchema().safeParse(json);
  if (!envelope.success) return { kind: "invalid", problem: describeIssue(envelope.error.issues[0]) };
  const eventType = envelope.data.event.type.slice(0, 64);
  // Own keys only: `in` would take "toString" or "constructor" for an event type.
  if (!Object.hasOwn(eventSchemasByType, eventType)) return { kind: "unhandled_event", type: eventType, envelope: envelope.data };
  const known = eventType as keyof typeof eventSchemasByType;
  const event = eventSchemasByType[known]().safeParse(envelope.data.event);
  if (!event.success) return { kind: "invalid", problem: `event.${describeIssue(event.error.issues[0])}`, eventType: known };
  return { kind: "event_callback", type: known, callback: { ...envelope.data, event: event.data } } as EventsApiPayload;
}
