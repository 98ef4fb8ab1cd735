/**
 * What Slack posts to the interactivity URL (a `payload=` form field holding JSON): modal
 * submissions, message shortcuts and button clicks, trimmed to the fields the bot reads.
 */
import * as z from "zod/mini";
import { LIMITS } from "./blocks.js";
import { NOT_JSON, parseJsonText } from "../../json-text.js";
import { describeIssue, once } from "../../schema.js";
import { bounded, ID_MAX, id, name, optionalId, responseUrl } from "./payload-fields.js";

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

export const viewSubmissionSchema = /* @__PURE__ */ once(() => z.looseObject({
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

export const messageActionSchema = /* @__PURE__ */ once(() => z.looseObject({
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

export const blockActionsSchema = /* @__PURE__ */ once(() => z.looseObject({
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
