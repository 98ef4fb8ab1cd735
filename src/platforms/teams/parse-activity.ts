/**
 * A verified activity's body (Bot Framework Activity schema, as Teams sends it), read into the
 * port's Intents. The names Teams is configured with (message text starting `task`, the dialog's
 * invokes, the message extension's command ids `remindProcess` and `createTask`, Action.Execute
 * verbs) map here onto the routing table's names, so no feature ever sees them. Never throws.
 */
import * as z from "zod/mini";
import type { Form, FormValues } from "../../chat/form.js";
import type { ChatMessage, ConversationKind, Intent } from "../../chat/intent.js";
import type { Person, Place } from "../../chat/model.js";
import { isTeamsWebUrl } from "../../chat/web-link.js";
import { NOT_JSON, parseJsonText } from "../../json-text.js";
import { describeIssue } from "../../schema.js";
import { CONTEXT_KEY, FORM_KEY, OPENED_BY } from "./render.js";

/** The message extension's action commands (context `message`) and the shortcut each is. */
export const MESSAGE_EXTENSION_COMMANDS = Object.freeze({ remindProcess: "remind_process", createTask: "create_task" } as const);
/** The word a message to the bot starts with: what Slack's `/task` is. */
export const TASK_WORD = "task";
/** A button's data key holding a Form to open as a dialog (task/fetch): how a message or a card opens a form in Teams. */
export const OPEN_FORM_KEY = "chatops.open";

const id = () => z.string().check(z.minLength(1), z.maxLength(512));
const name = () => z.optional(z.nullable(z.string().check(z.maxLength(512))));
const account = () => z.looseObject({ id: id(), name: name(), aadObjectId: z.optional(z.string().check(z.maxLength(64))) });

/** The envelope every activity has; `value` is read per invoke below. Unknown fields pass: Teams adds them without notice. */
const activitySchema = () => z.looseObject({
  type: z.string().check(z.maxLength(64)),
  id: id(),
  serviceUrl: z.string().check(z.maxLength(2048)),
  channelId: z.string().check(z.maxLength(64)),
  from: account(),
  recipient: account(),
  conversation: z.looseObject({ id: id(), conversationType: z.optional(z.string().check(z.maxLength(32))), tenantId: z.optional(z.string().check(z.maxLength(64))) }),
  channelData: z.optional(z.looseObject({ tenant: z.optional(z.looseObject({ id: z.string().check(z.maxLength(64)) })) })),
  text: z.optional(z.string().check(z.maxLength(100_000))),
  replyToId: z.optional(z.string().check(z.maxLength(512))),
  name: z.optional(z.string().check(z.maxLength(128))),
  value: z.optional(z.unknown()),
  entities: z.optional(z.array(z.looseObject({ type: z.string(), mentioned: z.optional(z.looseObject({ id: z.string() })) }))),
});
type Activity = z.infer<ReturnType<typeof activitySchema>>;

/** What answering an activity needs besides its intent. */
export interface ActivityHandle {
  id: string;
  type: string;
  /** The invoke's name (`task/fetch`, `adaptiveCard/action`, …); undefined for a message. */
  name: string | undefined;
  serviceUrl: string;
  /** The conversation's full id, as the connector takes it (a channel thread's `;messageid=` included). */
  conversationId: string;
  conversationType: string | undefined;
  tenantId: string;
  /** The bot as Teams addresses it (`28:<app id>`). */
  botId: string;
  from: { id: string; name: string | undefined };
  replyToId: string | undefined;
}

export type ParsedActivity =
  | { kind: "intent"; intent: Intent; activity: ActivityHandle }
  /** A `task/fetch` from a button that carries a form: the adapter opens it as a dialog. */
  | { kind: "open_form"; form: Form; activity: ActivityHandle }
  /** The bot added to a conversation, or it changed: the reference is kept, nothing else. */
  | { kind: "conversation"; activity: ActivityHandle }
  | { kind: "other"; what: string; activity: ActivityHandle }
  | { kind: "invalid"; problem: string };

/** The two fields verification needs from a body not yet trusted; undefined where the body does not say. */
export function unverifiedOrigin(body: string): { serviceUrl: string | undefined; channelId: string | undefined } {
  const json = parseJsonText(body);
  const record = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  return { serviceUrl: typeof record.serviceUrl === "string" ? record.serviceUrl : undefined, channelId: typeof record.channelId === "string" ? record.channelId : undefined };
}

/** Parses a verified body; `subcommands` are the routing table's `task` words. */
export function parseTeamsActivity(body: string, subcommands: ReadonlySet<string>): ParsedActivity {
  const json = parseJsonText(body);
  if (json === NOT_JSON) return { kind: "invalid", problem: "body is not JSON" };
  const parsed = activitySchema().safeParse(json);
  if (!parsed.success) return { kind: "invalid", problem: describeIssue(parsed.error.issues[0]) };
  const activity = parsed.data;
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  if (tenantId === undefined) return { kind: "invalid", problem: "conversation.tenantId: no tenant" };
  const handle: ActivityHandle = {
    id: activity.id,
    type: activity.type,
    name: activity.name,
    serviceUrl: activity.serviceUrl,
    conversationId: activity.conversation.id,
    conversationType: activity.conversation.conversationType,
    tenantId,
    botId: activity.recipient.id,
    from: { id: activity.from.id, name: activity.from.name ?? undefined },
    replyToId: activity.replyToId,
  };
  const person: Person = { platform: "teams", workspace: tenantId, userId: activity.from.id, displayName: activity.from.name ?? undefined };
  const place = placeOf(activity, tenantId);
  if (activity.type === "conversationUpdate" || activity.type === "installationUpdate") return { kind: "conversation", activity: handle };
  if (activity.type === "message") {
    const text = messageText(activity);
    const [first = "", second = "", ...rest] = text.split(/\s+/);
    if (first.toLowerCase() !== TASK_WORD) return { kind: "other", what: "message", activity: handle };
    // As on Slack: a first word that is a subcommand is one (`task list`); any other text is a title.
    if (subcommands.has(second.toLowerCase())) return { kind: "intent", intent: { kind: "subcommand", person, place, name: second.toLowerCase(), rest: rest.join(" ") }, activity: handle };
    return { kind: "intent", intent: { kind: "ask_for_task", person, place, text: [second, ...rest].join(" ").trim() }, activity: handle };
  }
  if (activity.type !== "invoke") return { kind: "other", what: activity.type, activity: handle };
  const value = record(activity.value);
  switch (activity.name) {
    case "task/fetch": {
      const form = formIn(record(value.data)[OPEN_FORM_KEY]);
      return form ? { kind: "open_form", form, activity: handle } : { kind: "other", what: "task/fetch", activity: handle };
    }
    case "task/submit":
    case "composeExtension/submitAction": {
      const submitted = submissionOf(record(value.data), activity.id, activity.from.id);
      if (submitted === undefined) return { kind: "other", what: activity.name, activity: handle };
      return { kind: "intent", intent: { kind: "submit_form", person, place, ...submitted }, activity: handle };
    }
    case "composeExtension/fetchTask": {
      const commandId = value.commandId;
      if (typeof commandId !== "string" || !Object.hasOwn(MESSAGE_EXTENSION_COMMANDS, commandId)) return { kind: "other", what: "composeExtension/fetchTask", activity: handle };
      const message = chatMessageOf(record(value.messagePayload), activity, tenantId);
      if (message === undefined) return { kind: "invalid", problem: "value.messagePayload: no message" };
      return { kind: "intent", intent: { kind: "message_shortcut", person, place, shortcut: MESSAGE_EXTENSION_COMMANDS[commandId as keyof typeof MESSAGE_EXTENSION_COMMANDS], message }, activity: handle };
    }
    case "adaptiveCard/action": {
      const action = record(value.action);
      if (action.type !== "Action.Execute" || typeof action.verb !== "string" || action.verb.length > 256) return { kind: "other", what: "adaptiveCard/action", activity: handle };
      const data = record(action.data);
      const message: Place | undefined = activity.replyToId === undefined ? undefined : { ...placeOf(activity, tenantId), message: activity.replyToId };
      return {
        kind: "intent",
        intent: { kind: "button", person, place, action: action.verb, value: typeof data.value === "string" ? data.value : undefined, rowId: typeof data.rowId === "string" ? data.rowId : undefined, message },
        activity: handle,
      };
    }
    default:
      return { kind: "other", what: activity.name ?? "invoke", activity: handle };
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Where an activity happened: the tenant, the conversation, and in a channel the thread (Teams
 * names a channel thread `<channel>;messageid=<root>`), and the activity itself as the message.
 */
function placeOf(activity: Activity, tenantId: string): Place {
  const [conversation = activity.conversation.id, root] = activity.conversation.id.split(";messageid=");
  return { platform: "teams", workspace: tenantId, conversation, ...(root ? { thread: root } : {}), message: activity.id };
}

/** A message's text without the bot's own `<at>` mention, tags or entities: what the person typed. */
function messageText(activity: Activity): string {
  // In a channel the bot hears only what mentions it, first: `<at>Bot</at> task list`. Other mentions stay, as names.
  const withoutBot = (activity.text ?? "").replace(/^\s*<at>[^<]*<\/at>/i, "");
  return plainTextFromHtml(withoutBot).trim();
}

/** Teams' HTML (a message's body, text with formatting) as plain text: breaks as new lines, tags dropped, entities decoded. */
export function plainTextFromHtml(html: string): string {
  const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return html
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, (all, entity: string) => {
      if (entity.startsWith("#")) {
        const code = entity[1] === "x" || entity[1] === "X" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
      }
      return ENTITIES[entity.toLowerCase()] ?? all;
    })
    .replace(/\n{3,}/g, "\n\n");
}

const CONVERSATION_KINDS: Readonly<Record<string, ConversationKind>> = { personal: "dm", groupChat: "group_dm", channel: "public" };

/** The message a message-extension command was used on (`value.messagePayload`); undefined when there is none. */
function chatMessageOf(payload: Record<string, unknown>, activity: Activity, tenantId: string): ChatMessage | undefined {
  if (typeof payload.id !== "string" || payload.id.length > 512) return undefined;
  const body = record(payload.body);
  const content = typeof body.content === "string" ? body.content.slice(0, 100_000) : "";
  const from = record(payload.from);
  const user = record(from.user);
  // A message by an app or a bot (from.application) has no person to mention.
  const author: Person | undefined = typeof user.id === "string" && user.id.length <= 512 ? { platform: "teams", workspace: tenantId, userId: user.id, displayName: typeof user.displayName === "string" ? user.displayName : undefined } : undefined;
  const [conversation = activity.conversation.id] = activity.conversation.id.split(";messageid=");
  const root = typeof payload.replyToId === "string" && payload.replyToId !== "" ? payload.replyToId : payload.id;
  const link = typeof payload.linkToMessage === "string" && isTeamsWebUrl(payload.linkToMessage) ? payload.linkToMessage : undefined;
  return {
    place: { platform: "teams", workspace: tenantId, conversation, ...(activity.conversation.conversationType === "channel" ? { thread: root } : {}), message: payload.id },
    conversationKind: CONVERSATION_KINDS[activity.conversation.conversationType ?? ""],
    author,
    text: body.contentType === "text" ? content : plainTextFromHtml(content),
    link,
  };
}

/** A submitted form: its id, context and values from Action.Submit's data (what renderFormCard put there, and the inputs Teams merged in); its instance is the sender's id and the opening's. */
function submissionOf(data: Record<string, unknown>, activityId: string, fromId: string): { form: string; instance: string; values: FormValues; context: Readonly<Record<string, string>> } | undefined {
  const form = data[FORM_KEY];
  if (typeof form !== "string") return undefined;
  const rawContext = record(data[CONTEXT_KEY]);
  // Own properties only, through a Map: an input or context key "__proto__" must stay a key.
  const context = new Map<string, string>();
  for (const [key, value] of Object.entries(rawContext)) if (typeof value === "string") context.set(key, value);
  const values = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(data)) {
    if (key === FORM_KEY || key === CONTEXT_KEY || key === "msteams" || typeof value !== "string") continue;
    values.set(key, value.trim() === "" ? undefined : value);
  }
  // The submit's data comes back through the client, which could send any: the instance is the
  // sender's own, so a forged opening id can only meet that person's own forms, never show another's save.
  return { form, instance: `${fromId}/${context.get(OPENED_BY) ?? activityId}`, values: Object.fromEntries(values), context: Object.fromEntries(context) };
}

/** A form carried by a button's data, when it is one (shape checked; the handler trusts only a verified activity's). */
function formIn(value: unknown): Form | undefined {
  const form = record(value);
  const strings = (entry: unknown) => typeof entry === "object" && entry !== null && Object.values(entry).every((item) => typeof item === "string");
  if (typeof form.id !== "string" || typeof form.title !== "string" || typeof form.submitLabel !== "string" || !Array.isArray(form.inputs) || !strings(form.context)) return undefined;
  return form as unknown as Form;
}
