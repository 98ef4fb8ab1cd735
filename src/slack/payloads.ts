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

export const slashCommandSchema = once(() => z.object({
  command: z.string().check(z.regex(/^\/[\w-]{1,32}$/, "is not a slash command")),
  text: z.string().check(z.maxLength(4000)),
  team_id: id(),
  user_id: id(),
  user_name: name(),
  channel_id: id(),
  channel_name: name(),
  api_app_id: optionalId(),
  response_url: responseUrl(),
  trigger_id: id(),
}));
export type SlashCommand = z.infer<ReturnType<typeof slashCommandSchema>>;

const team = () => z.looseObject({ id: id() });
const user = () => z.looseObject({ id: id(), name: name(), username: name() });

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
  user: user(),
  api_app_id: optionalId(),
  channel: z.optional(z.looseObject({ id: id() })),
  message: z.optional(messageSchema()),
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
  let json: unknown;
  try {
    // A reviver makes JSON.parse several times slower: only a payload that has a surrogate (as a
    // character or a \uD800-\uDFFF escape) can hold a lone one.
    json = MAY_HOLD_SURROGATE.test(raw)
      ? JSON.parse(raw, (_key, value: unknown) => (typeof value === "string" ? toWellFormed(value) : value))
      : JSON.parse(raw);
  } catch {
    return { kind: "invalid", problem: "payload is not JSON" };
  }
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
      // A button's value can carry a message's text (the reminder's does).
      return [
        ...interaction.payload.actions.flatMap((action) => (action.value ? [action.value] : [])),
        ...(interaction.payload.message?.text ? [interaction.payload.message.text] : []),
      ];
  }
}
