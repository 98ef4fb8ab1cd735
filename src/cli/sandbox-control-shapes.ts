/**
 * The shapes the sandbox's control endpoints (sandbox-control.ts) answer and take, shared by its
 * server and its client: the CLI in another process validates every answer against them.
 */
import * as z from "zod/mini";


export const named = z.object({ id: z.string(), name: z.string() });

export const messageSchema = z.object({
  kind: z.enum(["message", "ephemeral"]),
  channel: z.string(),
  user: z.optional(z.string()),
  author: z.optional(z.string()),
  text: z.string(),
  blocks: z.optional(z.array(z.unknown())),
  thread_ts: z.optional(z.string()),
  ts: z.string(),
});
export type SandboxMessage = z.infer<typeof messageSchema>;

const viewSchema = z.object({
  id: z.string(),
  hash: z.string(),
  view: z.record(z.string(), z.unknown()),
  trigger_id: z.optional(z.string()),
  user: z.optional(z.string()),
});
export type SandboxView = z.infer<typeof viewSchema>;

const homeSchema = z.object({
  user: z.string(),
  id: z.string(),
  hash: z.string(),
  view: z.record(z.string(), z.unknown()),
});
export type SandboxHome = z.infer<typeof homeSchema>;

const responseSchema = z.object({
  url: z.string(),
  body: z.record(z.string(), z.unknown()),
  /** When Slack received it (ms, the emulator's clock): where the page places it among the messages. */
  at: z.number(),
  /** Where the request that minted the response_url came from. */
  channel: z.optional(z.string()),
  user: z.optional(z.string()),
});
export type SandboxResponse = z.infer<typeof responseSchema>;

const pageSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  created_time: z.string(),
  last_edited_time: z.string(),
  in_trash: z.boolean(),
  properties: z.record(z.string(), z.looseObject({ type: z.string() })),
});
export type SandboxPage = z.infer<typeof pageSchema>;

export const stateSchema = z.object({
  users: z.array(named),
  channels: z.array(named),
  messages: z.array(messageSchema),
  views: z.array(viewSchema),
  /** Each person's Home tab as the bot last published it. */
  homes: z.array(homeSchema),
  responses: z.array(responseSchema),
  pages: z.array(pageSchema),
  activity: z.number(),
});
export type SandboxState = z.infer<typeof stateSchema>;

export const activitySchema = z.object({ activity: z.number(), busy: z.optional(z.number()) });
export type Activity = z.infer<typeof activitySchema>;

export const boardSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  properties: z.record(z.string(), z.looseObject({ type: z.string(), name: z.string() })),
});
/** The board's data source, in Notion's shapes: what the bot reads its priorities and properties from. */
export type SandboxBoard = z.infer<typeof boardSchema>;

export const triggerRequest = z.object({ user: z.string() });
export const responseUrlRequest = z.object({ channel: z.string(), user: z.string() });
export const messageRequest = z.object({ channel: z.string(), author: z.string(), text: z.string().check(z.minLength(1)), thread_ts: z.optional(z.string()) });
/** `page` is the page's id: the CLI picks the task (slack-tasks.ts), and says which when several share a title. */
export const statusRequest = z.object({ page: z.string().check(z.minLength(1)), status: z.string().check(z.minLength(1)), by: z.optional(z.string().check(z.minLength(1))) });

/** A webhook delivery as the CLI shows it: the event's type and id, and the function's answer. */
export const deliverySchema = z.object({ type: z.string(), event_id: z.optional(z.string()), status: z.optional(z.number()), error: z.optional(z.string()) });
export type SandboxDelivery = z.infer<typeof deliverySchema>;
export const statusChangeSchema = z.object({ page: pageSchema, delivery: z.optional(deliverySchema) });
