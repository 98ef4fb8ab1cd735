/**
 * What Notion POSTs to /notion/webhooks, trimmed to the fields the bot reads; unknown fields pass
 * through, since Notion adds event types and fields without notice. Shapes: developers.notion.com
 * "Event types & delivery" and @notionhq/client's webhooks.d.ts (BaseWebhookPayload).
 */
import * as z from "zod/mini";
import { NOT_JSON, parseJsonText } from "../json-text.js";
import { describeIssue, once } from "../schema.js";

const id = () => z.string().check(z.minLength(1), z.maxLength(100));
const reference = () => z.looseObject({ id: id(), type: z.string().check(z.maxLength(64)) });

/**
 * The subscription's first request: unsigned, its body only the token that will sign every event.
 * Strict: any other field, and it is not a handshake.
 */
const handshakeSchema = /* @__PURE__ */ once(() => z.strictObject({ verification_token: z.string().check(z.minLength(8), z.maxLength(500)) }));

const eventSchema = /* @__PURE__ */ once(() =>
  z.looseObject({
    id: id(),
    /** When it happened, ISO 8601; "can be used to order events". */
    timestamp: z.string().check(z.minLength(1), z.maxLength(64)),
    type: z.string().check(z.minLength(1), z.maxLength(100)),
    /** 1 to 8; each redelivery of an event carries the next number. */
    attempt_number: z.optional(z.number().check(z.int(), z.gte(1), z.lte(1_000))),
    /** Who did it: `person`, `bot` or `agent`. More than one for an aggregated event. */
    authors: z.optional(z.array(reference()).check(z.maxLength(100))),
    entity: reference(),
    data: z.optional(
      z.looseObject({
        parent: z.optional(z.looseObject({ id: z.optional(id()), type: z.optional(z.string()), data_source_id: z.optional(id()) })),
        /** page.properties_updated: the ids of the properties that changed. */
        updated_properties: z.optional(z.array(z.unknown()).check(z.maxLength(1_000))),
      }),
    ),
  }),
);

export type NotionEvent = z.infer<ReturnType<typeof eventSchema>>;

export type NotionWebhook =
  | { kind: "handshake"; token: string }
  | { kind: "event"; event: NotionEvent }
  | { kind: "invalid"; problem: string };

/** The verification token when `body` is Notion's handshake, else undefined. Never throws. */
export function readHandshake(body: string): string | undefined {
  const json = parseJsonText(body);
  const parsed = handshakeSchema().safeParse(json);
  return parsed.success ? parsed.data.verification_token : undefined;
}

/** Parses a signed event, never throwing; a problem names the field, never its value. */
export function parseNotionEvent(body: string): Extract<NotionWebhook, { kind: "event" | "invalid" }> {
  const json = parseJsonText(body);
  if (json === NOT_JSON) return { kind: "invalid", problem: "body is not JSON" };
  const parsed = eventSchema().safeParse(json);
  if (!parsed.success) return { kind: "invalid", problem: describeIssue(parsed.error.issues[0], "body") };
  return { kind: "event", event: parsed.data };
}

/** The property ids an event says changed, when it says (page.properties_updated). */
export function updatedPropertyIds(event: NotionEvent): string[] | undefined {
  const listed = event.data?.updated_properties;
  return listed?.filter((item): item is string => typeof item === "string");
}
