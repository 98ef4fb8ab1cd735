/**
 * The Events API: a JSON body (docs.slack.dev/apis/events-api, …/reference/events/app_home_opened,
 * …/reference/events/app_mention), trimmed to the fields the bot reads.
 */
import * as z from "zod/mini";
import { NOT_JSON, parseJsonText } from "../../json-text.js";
import { describeIssue, once } from "../../schema.js";
import { bounded, ID_MAX, id, optionalId, USER_ID } from "./payload-fields.js";

/** A user id, as Slack writes it; a Home tab's state is stored under it. */
const userId = () => z.string().check(z.maxLength(ID_MAX), z.regex(USER_ID, "is not a user id"));
/** A message ts, "seconds.micros". */
const messageTs = () => z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/, "is not a message ts"));

export const urlVerificationSchema = /* @__PURE__ */ once(() => z.looseObject({
  type: z.literal("url_verification"),
  // Slack's challenges are about 50 characters; the bound keeps a forged one from being echoed at length.
  challenge: z.string().check(z.minLength(1), z.maxLength(255)),
}));

/** The envelope every event comes in; `authorizations` holds at most one installation, the bot's own. */
export const eventEnvelopeSchema = /* @__PURE__ */ once(() => z.looseObject({
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
export const appHomeOpenedSchema = /* @__PURE__ */ once(() => z.looseObject({
  type: z.literal("app_home_opened"),
  user: userId(),
  channel: optionalId(),
  tab: optionalId(),
  event_ts: optionalId(),
}));
export type AppHomeOpened = z.infer<ReturnType<typeof appHomeOpenedSchema>>;

/** A message that mentions the bot. `user` is absent and `bot_id` set when a bot wrote it. */
export const appMentionSchema = /* @__PURE__ */ once(() => z.looseObject({
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
  // Set when the message was edited: Slack then sends app_mention again under a new event_id (bolt-js#960).
  edited: z.optional(z.looseObject({ user: optionalId(), ts: z.optional(messageTs()) })),
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
