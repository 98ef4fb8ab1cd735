/**
 * Hostile inputs for the Slack endpoints (commands, interactivity, events), as fast-check
 * arbitraries: payloads shaped like Slack's and broken on purpose (hostile text, wrong types,
 * missing and extra fields, broken JSON, hostile response_urls), and the ways a request can be
 * unsigned or wrongly signed. Shared by the fuzz test (test/integration/fuzz.test.ts) and
 * `npm run hostile` (bench/hostile.ts), with what every answer to them must be.
 *
 * Bodies hold placeholders for what must be fresh when sent (RESPONSE_URL, TRIGGER_ID): withLiveUrls
 * puts the emulator's in, so a deferred answer lands on loopback and is recorded.
 */
import fc from "fast-check";
import { CREATE_TASK_FROM_REMINDER_ACTION, encodeReminderButton } from "../src/features/process-reminder/reminder-message.js";
import { REMIND_PROCESS_SHORTCUT } from "../src/features/process-reminder/remind-of-process.js";
import { OPEN_IN_NOTION_ACTION } from "../src/features/task-request/messages.js";
import { TASK_FORM_ID } from "../src/features/task-request/modal.js";
import { TASK_BLOCKS } from "./slack-payloads.js";
import { CREATE_TASK_CALLBACK_ID } from "../src/features/task-request/task-from-message.js";
import { isRecord } from "./is-record.js";
import { FORM_CONTENT, signedHeaders } from "./signed-request.js";
import { SLACK_SEED } from "./slack-emulator.js";

// ---------------------------------------------------------------------------------------------
// Hostile values

const CONTROL = ["\u0000", "\u0007", "\b", "\t", "\n", "\r", "\u000b", "\u001b", "\u007f", "\u0085", "\u200b", "\u200d", "\u2028", "\u2029", "\u202e", "\ufeff", "\ud800", "\udfff"];
/** Names every object inherits: a routing table read with `table[name]` finds them. */
export const INHERITED = ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty", "prototype"];
const NASTY = [...INHERITED, "<!channel>", "<!here|here>", "<@U0ALICE>", "&amp;&lt;&gt;", "*bold* _it_ ~s~ `code`", "```", "${x}", "{author}", "\\", '"', "'", "%00", "%", "+", "&payload=", "=", "null", "[]", "{}", "👩‍👩‍👧‍👦", "é", "ﷺ", "𝕏", "\u0301\u0301\u0301"];

/** Code points below and above the surrogates, in order: the 1,112,064 fast-check's unit "binary" draws from. */
const BELOW_SURROGATES = 0xd800;
const SURROGATES = 0x800;
const binaryUnit: fc.Arbitrary<string> = fc.integer({ min: 0, max: 0x10ffff - SURROGATES }).map(
  (index) => String.fromCodePoint(index < BELOW_SURROGATES ? index : index + SURROGATES),
  (unit) => {
    const point = typeof unit === "string" && unit.length <= 2 ? unit.codePointAt(0) : undefined;
    if (point === undefined || String.fromCodePoint(point) !== unit || (point >= BELOW_SURROGATES && point < BELOW_SURROGATES + SURROGATES)) throw new Error("not one code point");
    return point < BELOW_SURROGATES ? point : point - SURROGATES;
  },
);

/**
 * `fc.string({ unit: "binary", maxLength })`: any code points, drawn as fast-check 4.10's own unit
 * draws them (the same values for a seed), without the 1.1-million-entry reverse map that unit
 * builds on first use: 0.6 s of CPU in every test worker.
 */
export function binaryString(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: binaryUnit, maxLength });
}

/** Text a person could type or a client could mangle: any unicode, control characters, markup, nothing, or a lot. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: binaryString(60) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...CONTROL, ...NASTY, "a", " "), { maxLength: 30 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\n\n\n", ...INHERITED) },
  // Huge: past every limit the bot and Slack set (a title's 150, an id's 255, a text field's 3,000, a command's 4,000).
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("a", "é", "👩‍👩‍👧‍👦", "\u0000", "<!channel>", "\n"), fc.integer({ min: 150, max: 20_000 })).map(([unit, n]) => unit.repeat(n)) },
);

/** Any JSON value: the wrong type for whatever field it lands in. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, 1e308, true, false, [], {}, [null], { id: null }));

/** Mostly ids Slack would send, so most payloads get past validation into the features. */
const idLike = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(SLACK_SEED.alice, SLACK_SEED.bob, SLACK_SEED.general, SLACK_SEED.teamId) },
  { weight: 1, arbitrary: fc.constantFrom("V0VIEW", "C", "", "U0NOBODY") },
  { weight: 1, arbitrary: hostileText },
);

/**
 * response_urls the bot must never call (slack/outbound.ts): the cloud's metadata service, private
 * and loopback addresses in odd spellings, Slack's host as credentials or as part of another host.
 */
export const FORBIDDEN_RESPONSE_URLS = [
  "http://169.254.169.254/latest/meta-data/",
  "http://10.0.0.1/",
  "http://0x7f000001/",
  "http://127.0.0.1:9/",
  "https://hooks.slack.com@evil.example/x",
  "https://hooks.slack.com.evil.example/x",
  "http://hooks.slack.com/actions/T0TEAM/1/abc",
  "https://hooks.slack.example/x",
] as const;

/** Mostly a live response_url (a placeholder), sometimes one the bot must refuse, sometimes text. */
const responseUrl = fc.oneof(
  { weight: 6, arbitrary: fc.constant("__RESPONSE_URL__") },
  { weight: 2, arbitrary: fc.constantFrom(...FORBIDDEN_RESPONSE_URLS) },
  { weight: 1, arbitrary: hostileText },
);

// ---------------------------------------------------------------------------------------------
// Payloads shaped like Slack's, then broken

type Json = Record<string, unknown>;

function taskModalState(fields: { title: unknown; description: unknown; priority: unknown; due: unknown }, extra: Json): Json {
  return {
    [TASK_BLOCKS.title.block]: { [TASK_BLOCKS.title.action]: { type: "plain_text_input", value: fields.title } },
    [TASK_BLOCKS.description.block]: { [TASK_BLOCKS.description.action]: { type: "plain_text_input", value: fields.description } },
    [TASK_BLOCKS.priority.block]: { [TASK_BLOCKS.priority.action]: { type: "static_select", selected_option: fields.priority === null ? null : { value: fields.priority } } },
    [TASK_BLOCKS.due.block]: { [TASK_BLOCKS.due.action]: { type: "datepicker", selected_date: fields.due } },
    ...extra,
  };
}

const user = fc.record({ id: idLike, username: hostileText, name: hostileText, team_id: idLike });
const team = fc.oneof(fc.constant({ id: SLACK_SEED.teamId, domain: "example" }), fc.constant(null), fc.record({ id: idLike }));

/** State for blocks the modal never had: unknown block and action ids, unknown element types. */
const strangeBlocks: fc.Arbitrary<Json> = fc.dictionary(
  hostileText.filter((key) => key.length < 300),
  fc.dictionary(hostileText.filter((key) => key.length < 300), fc.record({ type: fc.oneof(hostileText, fc.constantFrom("checkboxes", "users_select", "rich_text_input")), value: fc.option(hostileText) }), { maxKeys: 2 }),
  { maxKeys: 3 },
);

const viewSubmission: fc.Arbitrary<Json> = fc.record({
  type: fc.constant("view_submission"),
  team,
  user,
  api_app_id: fc.constant(SLACK_SEED.appId),
  trigger_id: fc.constant("1111.2222.abcd"),
  view: fc.record({
    id: fc.oneof(fc.uuid().map((id) => `V${id.replaceAll("-", "").slice(0, 10).toUpperCase()}`), idLike),
    callback_id: fc.oneof({ weight: 4, arbitrary: fc.constant(TASK_FORM_ID) }, { weight: 1, arbitrary: hostileText }),
    hash: hostileText,
    private_metadata: fc.oneof(
      fc.constant(""),
      hostileText,
      // A forged private_metadata: a response_url of any kind, the task's Slack link as anything.
      fc.record({ channelId: idLike, responseUrl, slackLink: hostileText }).map((m) => JSON.stringify(m)),
    ),
    state: fc.record({
      values: fc.tuple(
        fc.record({ title: fc.option(hostileText), description: fc.option(hostileText), priority: fc.option(hostileText), due: fc.option(fc.oneof(hostileText, fc.constantFrom("2099-01-01", "2000-01-01", "2099-02-30"))) }),
        strangeBlocks,
        fc.boolean(),
      ).map(([fields, extra, withModal]) => (withModal ? taskModalState(fields, extra) : extra)),
    }),
  }),
});

const message: fc.Arbitrary<Json> = fc.record(
  { type: fc.constant("message"), ts: fc.oneof(fc.constant("1760000001.000100"), idLike), thread_ts: idLike, text: hostileText, user: idLike, bot_id: idLike, subtype: hostileText, user_profile: wrongType },
  { requiredKeys: ["ts"] },
);

const messageAction: fc.Arbitrary<Json> = fc.record({
  type: fc.constant("message_action"),
  callback_id: fc.oneof(fc.constantFrom(REMIND_PROCESS_SHORTCUT, CREATE_TASK_CALLBACK_ID), hostileText),
  trigger_id: idLike,
  response_url: responseUrl,
  team,
  user,
  channel: fc.record({ id: fc.oneof(fc.constantFrom(SLACK_SEED.general, SLACK_SEED.random, SLACK_SEED.secret, "D0ALICEBOB"), idLike), name: hostileText }),
  message,
});

const buttonValue = fc.oneof(
  hostileText,
  fc.record({ channel: fc.constantFrom(SLACK_SEED.general, "CXYZ"), ts: fc.constant("1760000001.000100"), author: fc.option(fc.constant(SLACK_SEED.alice), { nil: undefined }), excerpt: hostileText }).map((b) =>
    encodeReminderButton({ message: { platform: "slack", workspace: SLACK_SEED.teamId, conversation: b.channel, message: b.ts }, authorId: b.author, excerpt: b.excerpt }),
  ),
);

const blockActions: fc.Arbitrary<Json> = fc.record({
  type: fc.constant("block_actions"),
  trigger_id: idLike,
  response_url: responseUrl,
  team,
  user,
  api_app_id: fc.constant(SLACK_SEED.appId),
  channel: fc.record({ id: idLike }),
  message,
  actions: fc.array(
    fc.record({ action_id: fc.oneof(fc.constantFrom(CREATE_TASK_FROM_REMINDER_ACTION, OPEN_IN_NOTION_ACTION), hostileText), block_id: hostileText, value: buttonValue, type: fc.constant("button") }),
    { maxLength: 3 },
  ),
});

const unknownKind: fc.Arbitrary<Json> = fc.record({
  type: fc.oneof(fc.constantFrom("shortcut", "view_closed", "block_suggestion", "interactive_message", "dialog_submission", "workflow_step_edit"), hostileText),
  callback_id: hostileText,
  team,
  user,
});

type Mutation = { op: "delete" | "retype" | "add"; at: number; key: string; value: unknown };

/** None half the time, so the features see well-formed hostile text as often as broken shapes. */
const mutations: fc.Arbitrary<Mutation[]> = fc.oneof(
  fc.constant<Mutation[]>([]),
  fc.array(fc.record({ op: fc.constantFrom("delete", "retype", "add"), at: fc.nat(), key: hostileText.filter((key) => key.length < 100), value: wrongType }), { minLength: 1, maxLength: 3 }),
);

/** Every path to a value in a JSON tree, the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
}

/** Deletes a field, gives it a value of the wrong type, or adds an extra one, somewhere in the tree. */
function mutate(payload: Json, changes: readonly Mutation[]): Json {
  const copy = structuredClone(payload);
  for (const { value: shared, ...rest } of changes) {
    // A copy: fc.constantFrom hands out the same object every time, which a later change could
    // then be written into (a cycle, and every later payload changed with it).
    const change = { ...rest, value: structuredClone(shared) };
    const all = paths(copy);
    const path = all[change.at % Math.max(1, all.length)] ?? [];
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>;
    const last = path.at(-1);
    if (change.op === "add") {
      const node = last === undefined ? undefined : parent[last];
      const target = isRecord(node) ? node : copy;
      target[change.key] = change.value;
    } else if (last !== undefined) {
      if (change.op === "delete") {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else parent[last] = change.value;
    }
  }
  return copy;
}

/** The `payload=` field: the JSON, broken JSON, or no JSON at all. */
const payloadField = (json: fc.Arbitrary<Json>): fc.Arbitrary<{ raw: string; parsed: Json | undefined }> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(json, mutations).map(([payload, changes]) => mutate(payload, changes)).map((parsed) => ({ raw: JSON.stringify(parsed), parsed })) },
    { weight: 1, arbitrary: fc.tuple(json, fc.nat()).map(([payload, cut]) => { const text = JSON.stringify(payload); return { raw: text.slice(0, cut % Math.max(1, text.length)), parsed: undefined }; }) },
    { weight: 1, arbitrary: fc.oneof(hostileText, fc.constantFrom("{", "[]", "null", "\"view_submission\"", "{\"type\":1}", "{\"type\":\"view_submission\"}", "{'type':'view_submission'}", "NaN", "{\"type\":\"view_submission\",\"view\":null}")).map((raw) => ({ raw, parsed: undefined })) },
  );

export interface HostileInteraction {
  /** The form body, with placeholders (withLiveUrls). */
  body: string;
  /** The payload's declared type, when its JSON parsed. */
  type: unknown;
}

/** Form bodies for /slack/interactions: a hostile payload, extra fields, sometimes a second payload. */
export const hostileInteractionBodies: fc.Arbitrary<HostileInteraction> = fc
  .tuple(payloadField(fc.oneof(viewSubmission, messageAction, blockActions, unknownKind)), fc.dictionary(hostileText.filter((k) => k !== "payload" && k !== "ssl_check"), hostileText, { maxKeys: 2 }), fc.boolean())
  .map(([payload, extra, twice]) => {
    const form = new URLSearchParams(extra);
    form.append("payload", payload.raw.replaceAll("RESPONSE_URL", "__RESPONSE_URL__"));
    if (twice) form.append("payload", "{}");
    return { body: form.toString(), type: payload.parsed?.type };
  });

/** Form bodies for /slack/commands: hostile fields, some missing, some extra (with placeholders). */
export const hostileCommandBodies: fc.Arbitrary<string> = fc
  .record(
    {
      command: fc.oneof({ weight: 4, arbitrary: fc.constant("/task") }, { weight: 1, arbitrary: hostileText }),
      text: fc.oneof(hostileText, fc.constantFrom("help", "list", "review", "HELP", " list ", "list extra", ...INHERITED)),
      team_id: idLike,
      user_id: idLike,
      channel_id: idLike,
      api_app_id: fc.constant(SLACK_SEED.appId),
      response_url: responseUrl,
      trigger_id: fc.oneof(fc.constant("__TRIGGER_ID__"), idLike),
      user_name: hostileText,
    },
  )
  .chain((fields) =>
    fc
      .tuple(
        // Missing fields, now and then.
        fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(Object.keys(fields), { minLength: 1, maxLength: 2 }) }),
        // Extra fields.
        fc.dictionary(hostileText.filter((k) => k !== "ssl_check"), hostileText, { maxKeys: 2 }),
      )
      .map(([missing, extra]) => {
        const form = new URLSearchParams(extra);
        for (const [name, value] of Object.entries(fields)) if (!missing.includes(name)) form.set(name, value);
        return form.toString();
      }),
  );

const eventId = fc.oneof({ weight: 6, arbitrary: fc.uuid().map((id) => `Ev${id.replaceAll("-", "").slice(0, 12).toUpperCase()}`) }, { weight: 1, arbitrary: hostileText });
const tsLike = fc.oneof(fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }).map((seconds) => `${seconds}.000100`), idLike);

const innerEvent: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ type: fc.constant("app_home_opened"), user: idLike, channel: idLike, tab: fc.oneof(fc.constantFrom("home", "messages"), hostileText), event_ts: hostileText }, { requiredKeys: ["type", "user"] }),
  fc.record(
    { type: fc.constant("app_mention"), user: idLike, text: fc.oneof(hostileText, fc.constantFrom("list", "help", "review", ...INHERITED).map((word) => `<@${SLACK_SEED.botUserId}> ${word}`)), ts: tsLike, channel: fc.oneof(fc.constantFrom(SLACK_SEED.general, SLACK_SEED.random), idLike), thread_ts: tsLike, bot_id: hostileText, user_team: idLike },
    { requiredKeys: ["type", "text", "ts", "channel"] },
  ),
  fc.record({ type: fc.oneof(fc.constantFrom("reaction_added", "message", ...INHERITED), hostileText), user: idLike }),
);

/** What the Events API URL receives: Slack's URL check, events in their envelope, other kinds. */
const eventsPayload: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ type: fc.constant("url_verification"), token: hostileText, challenge: fc.oneof(hostileText, fc.constant("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")) }),
  fc.record({
    type: fc.constant("event_callback"),
    team_id: idLike,
    api_app_id: fc.constant(SLACK_SEED.appId),
    event_id: eventId,
    event_time: fc.oneof(fc.nat(), wrongType),
    authorizations: fc.oneof(fc.constant([{ team_id: SLACK_SEED.teamId, user_id: SLACK_SEED.botUserId, is_bot: true }]), wrongType),
    is_ext_shared_channel: fc.boolean(),
    event: innerEvent,
  }),
  fc.record({ type: fc.oneof(fc.constantFrom("app_rate_limited", "block_suggestion"), hostileText) }),
);

/** JSON bodies for /slack/events: hostile events, Slack's URL check and other kinds, broken as the others are. */
export const hostileEventsBodies: fc.Arbitrary<string> = payloadField(eventsPayload).map((payload) => payload.raw);

/** Fresh URLs and trigger ids for the placeholders, so a deferred answer lands on loopback and is recorded. */
export function withLiveUrls(body: string, live: { responseUrl: () => string; triggerId: () => string }): string {
  return body
    .replaceAll(encodeURIComponent("__RESPONSE_URL__"), encodeURIComponent(live.responseUrl()))
    .replaceAll("__RESPONSE_URL__", encodeURIComponent(live.responseUrl()))
    .replaceAll("__TRIGGER_ID__", encodeURIComponent(live.triggerId()));
}

// ---------------------------------------------------------------------------------------------
// Unsigned or wrongly signed

/** How a request can fail verification: no headers, another secret, too old, too new, a made-up signature. */
export const TAMPERINGS = ["none", "other-secret", "stale", "future", "garbage"] as const;
export type Tampering = (typeof TAMPERINGS)[number];

/** The headers of a request that must be refused (`nowSeconds`: the handler's clock; stale and future are 301 s away). */
export function tamperedHeaders(body: string, how: Tampering, nowSeconds: number): Record<string, string> {
  switch (how) {
    case "none":
      return { ...FORM_CONTENT };
    case "other-secret":
      return signedHeaders(body, { secret: "another-secret-0123456789", timestamp: nowSeconds });
    case "stale":
      return signedHeaders(body, { timestamp: nowSeconds - 301 });
    case "future":
      return signedHeaders(body, { timestamp: nowSeconds + 301 });
    case "garbage":
      return { ...signedHeaders(body, { timestamp: nowSeconds }), "x-slack-signature": `v0=${"0".repeat(64)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// What every answer must be

/**
 * Why an answer body is not one Slack can show or act on (an ephemeral message with words, or a
 * modal answer Slack accepts: nothing Slack would turn into its generic error); undefined when it is.
 */
export function answerProblem(json: Record<string, unknown>): string | undefined {
  if ("response_type" in json) {
    if (json.response_type !== "ephemeral") return `response_type ${String(json.response_type)}`;
    return typeof json.text === "string" && /\w/.test(json.text) ? undefined : "an ephemeral without words";
  }
  switch (json.response_action) {
    case "errors": {
      const errors = isRecord(json.errors) ? Object.values(json.errors) : [];
      if (errors.length === 0) return "errors without an error";
      return errors.every((message) => typeof message === "string" && /\w/.test(message)) ? undefined : "an error without words";
    }
    case "update": {
      const view = json.view as { type?: unknown; title?: { text?: unknown }; blocks?: unknown } | undefined;
      if (view?.type !== "modal") return "an update that is not a modal";
      if (typeof view.title?.text !== "string" || view.title.text.length > 24) return "a modal title Slack refuses";
      return /\w/.test(JSON.stringify(view.blocks)) ? undefined : "a modal without words";
    }
    case "clear":
      return undefined;
    default:
      return `an answer Slack does not know: ${JSON.stringify(json).slice(0, 200)}`;
  }
}
