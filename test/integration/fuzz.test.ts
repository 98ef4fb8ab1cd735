/**
 * Hostile payloads at both Slack endpoints and at Notion's, correctly signed (a signature proves who
 * sent a body, not that it is sane) and unsigned. Whatever arrives: never a 5xx, never a thrown error, an answer Slack
 * can show or act on, and one log line. request-verification.test.ts covers random bytes; this file
 * covers payloads shaped like Slack's and broken on purpose.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CREATE_TASK_CALLBACK_ID } from "../../src/features/task-request/task-from-message.js";
import { REMIND_PROCESS_CALLBACK_ID } from "../../src/features/process-reminder/remind-of-process.js";
import { CREATE_TASK_FROM_REMINDER_ACTION, encodeReminderButton } from "../../src/features/process-reminder/reminder-message.js";
import { OPEN_IN_NOTION_ACTION } from "../../src/features/task-request/messages.js";
import { TASK_BLOCKS, TASK_MODAL_CALLBACK_ID } from "../../src/features/task-request/modal.js";
import type { Handler } from "../../src/handlers.js";
import { MAX_BODY_BYTES } from "../../src/slack/read-request.js";
import { signSlackRequest } from "../../src/slack/verify-request.js";
import { MAX_WEBHOOK_BODY_BYTES } from "../../src/notion/read-webhook.js";
import { signNotionBody } from "../../src/notion/verify-webhook.js";
import { TEST_NOTION_WEBHOOK_SECRET } from "../../dev/emulator-env.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { isRecord } from "../../dev/is-record.js";
import { signedRequest, TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";

/**
 * The handlers' clock, fixed, and the signatures' timestamp with it: a request signed 301 s away is
 * then always outside Slack's five-minute window, however long a run takes. Signed against the real
 * clock, a "future" request crept inside the window whenever a second passed before the check.
 */
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0, 999);
const NOW_SECONDS = Math.floor(NOW_MS / 1000);

let h: Harness;
/** Hosts the bot tried to reach that are not the loopback emulators: a fuzzed response_url, say. */
const escaped: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

/** Keeps every call on loopback: a fuzzed payload must never make the test talk to the internet. */
const loopbackOnly: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") {
    escaped.push(url.host);
    throw new TypeError(`fuzz: ${url.host} is not loopback`);
  }
  return fetch(input, init);
};

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startHarness({ fetch: loopbackOnly, slackTimeoutMs: 500, notionTimeoutMs: 500, ackDeadlineMs: 1_000, now: () => NOW_MS });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Hostile values

const CONTROL = ["\u0000", "\u0007", "\b", "\t", "\n", "\r", "\u000b", "\u001b", "\u007f", "\u0085", "\u200b", "\u200d", "\u2028", "\u2029", "\u202e", "\ufeff", "\ud800", "\udfff"];
/** Names every object inherits: a routing table read with `table[name]` finds them. */
const INHERITED = ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty", "prototype"];
const NASTY = [...INHERITED, "<!channel>", "<!here|here>", "<@U0ALICE>", "&amp;&lt;&gt;", "*bold* _it_ ~s~ `code`", "```", "${x}", "{author}", "\\", '"', "'", "%00", "%", "+", "&payload=", "=", "null", "[]", "{}", "👩‍👩‍👧‍👦", "é", "ﷺ", "𝕏", "\u0301\u0301\u0301"];

/** Text a person could type or a client could mangle: any unicode, control characters, markup, nothing, or a lot. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...CONTROL, ...NASTY, "a", " "), { maxLength: 30 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\n\n\n", ...INHERITED) },
  // Huge: past every limit the bot and Slack set (a title's 150, a text field's 3,000, a command's 4,000).
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
    callback_id: fc.oneof({ weight: 4, arbitrary: fc.constant(TASK_MODAL_CALLBACK_ID) }, { weight: 1, arbitrary: hostileText }),
    hash: hostileText,
    private_metadata: fc.oneof(
      fc.constant(""),
      hostileText,
      fc.record({ channelId: idLike, responseUrl: fc.oneof(hostileText, fc.constant("https://hooks.slack.example/x")), slackLink: hostileText }).map((m) => JSON.stringify(m)),
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
  callback_id: fc.oneof(fc.constantFrom(REMIND_PROCESS_CALLBACK_ID, CREATE_TASK_CALLBACK_ID), hostileText),
  trigger_id: idLike,
  response_url: fc.constant("RESPONSE_URL"),
  team,
  user,
  channel: fc.record({ id: fc.oneof(fc.constantFrom(SLACK_SEED.general, SLACK_SEED.random, SLACK_SEED.secret, "D0ALICEBOB"), idLike), name: hostileText }),
  message,
});

const buttonValue = fc.oneof(
  hostileText,
  fc.record({ channel: fc.constantFrom(SLACK_SEED.general, "CXYZ"), ts: fc.constant("1760000001.000100"), author: fc.option(fc.constant(SLACK_SEED.alice), { nil: undefined }), excerpt: hostileText }).map((b) =>
    encodeReminderButton({ channelId: b.channel, messageTs: b.ts, authorId: b.author, excerpt: b.excerpt }),
  ),
);

const blockActions: fc.Arbitrary<Json> = fc.record({
  type: fc.constant("block_actions"),
  trigger_id: idLike,
  response_url: fc.oneof(fc.constant("RESPONSE_URL"), hostileText),
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
  for (const change of changes) {
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

interface HostileInteraction {
  body: string;
  /** The payload's declared type, when its JSON parsed. */
  type: unknown;
}

const interactionBodies: fc.Arbitrary<HostileInteraction> = fc
  .tuple(payloadField(fc.oneof(viewSubmission, messageAction, blockActions, unknownKind)), fc.dictionary(hostileText.filter((k) => k !== "payload" && k !== "ssl_check"), hostileText, { maxKeys: 2 }), fc.boolean())
  .map(([payload, extra, twice]) => {
    const form = new URLSearchParams(extra);
    form.append("payload", payload.raw.replaceAll("RESPONSE_URL", "__RESPONSE_URL__"));
    if (twice) form.append("payload", "{}");
    return { body: form.toString(), type: payload.parsed?.type };
  });

const commandBodies: fc.Arbitrary<string> = fc
  .record(
    {
      command: fc.oneof({ weight: 4, arbitrary: fc.constant("/task") }, { weight: 1, arbitrary: hostileText }),
      text: fc.oneof(hostileText, fc.constantFrom("help", "list", "review", "HELP", " list ", "list extra", ...INHERITED)),
      team_id: idLike,
      user_id: idLike,
      channel_id: idLike,
      api_app_id: fc.constant(SLACK_SEED.appId),
      response_url: fc.oneof({ weight: 4, arbitrary: fc.constant("__RESPONSE_URL__") }, { weight: 1, arbitrary: hostileText }),
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

const eventsBodies: fc.Arbitrary<string> = payloadField(eventsPayload).map((payload) => payload.raw);

/** Fresh emulator URLs for placeholders, so a deferred answer lands on loopback and is recorded. */
function withLiveUrls(body: string): string {
  return body
    .replaceAll(encodeURIComponent("__RESPONSE_URL__"), encodeURIComponent(h.slack.responseUrl()))
    .replaceAll("__RESPONSE_URL__", encodeURIComponent(h.slack.responseUrl()))
    .replaceAll("__TRIGGER_ID__", encodeURIComponent(h.slack.triggerId(SLACK_SEED.alice)));
}

// ---------------------------------------------------------------------------------------------
// What every answer must be

/** Sends a body to a handler and checks the answer and the log line; returns the parsed answer. */
async function sendSigned(handler: Handler, body: string): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string }> {
  const before = h.logs.length;
  let response: Response;
  try {
    response = await handler(signedRequest(body, { timestamp: NOW_SECONDS }));
  } catch (error) {
    throw new Error(`the handler threw: ${String(error)}`);
  }
  const text = await response.text();
  await h.settle();
  const tooLarge = Buffer.byteLength(body) > MAX_BODY_BYTES;
  expect(response.status).toBe(tooLarge ? 413 : 200);
  const written = h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLines = written.filter((line) => line.event === "request");
  expect(requestLines).toHaveLength(1);
  expect(requestLines[0]).toMatchObject({ outcome: expect.stringMatching(/^\w/), status: response.status, request_id: expect.any(String) });
  expect(written.filter((line) => line.outcome === "error")).toEqual([]);
  let json: Record<string, unknown> | undefined;
  if (text !== "" && !tooLarge) {
    json = JSON.parse(text) as Record<string, unknown>;
    expectKnownShape(json);
  }
  return { status: response.status, json, text };
}

/** An ephemeral message with words, or a modal answer Slack accepts: nothing Slack would turn into its generic error. */
function expectKnownShape(json: Record<string, unknown>): void {
  if ("response_type" in json) {
    expect(json.response_type).toBe("ephemeral");
    expect(json.text).toEqual(expect.stringMatching(/\w/));
    return;
  }
  switch (json.response_action) {
    case "errors": {
      const errors = Object.entries(json.errors as Record<string, unknown>);
      expect(errors.length).toBeGreaterThan(0);
      for (const [, message] of errors) expect(message).toEqual(expect.stringMatching(/\w/));
      return;
    }
    case "update": {
      const view = json.view as { type: string; title: { text: string }; blocks: unknown[] };
      expect(view.type).toBe("modal");
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(JSON.stringify(view.blocks)).toMatch(/\w/);
      return;
    }
    case "clear":
      return;
    default:
      throw new Error(`an answer Slack does not know: ${JSON.stringify(json).slice(0, 200)}`);
  }
}

const RUNS = 150;

describe("correctly signed hostile payloads", () => {
  it("at /slack/commands: every command gets a clear answer, never a 5xx or a throw", async () => {
    await fc.assert(
      fc.asyncProperty(commandBodies, async (template) => {
        const opened = h.slack.callsTo("views.open").length;
        const answer = await sendSigned(h.commands, withLiveUrls(template));
        if (answer.status !== 200) return;
        // An empty answer is right only when something else tells the person: the modal, or a later message.
        if (answer.text === "") {
          const answeredLater = h.slack.responses.length > 0;
          expect(h.slack.callsTo("views.open").length > opened || answeredLater).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("at /slack/interactions: every payload gets an answer Slack accepts, and a modal is never closed without a word", async () => {
    await fc.assert(
      fc.asyncProperty(interactionBodies, async (hostile) => {
        const answer = await sendSigned(h.interactions, withLiveUrls(hostile.body));
        if (answer.status === 200 && hostile.type === "view_submission") {
          // An empty 200 closes the modal: only a save may do that (and it answers "clear").
          expect(answer.json?.response_action).toEqual(expect.stringMatching(/^(errors|update|clear)$/));
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("at /slack/events: every payload is acknowledged (or its challenge echoed), never a 5xx or a throw", async () => {
    await fc.assert(
      fc.asyncProperty(eventsBodies, async (body) => {
        const before = h.logs.length;
        const response = await h.events(signedRequest(body, { timestamp: NOW_SECONDS, headers: { "content-type": "application/json" } }));
        const text = await response.text();
        await h.settle();
        expect(response.status).toBe(Buffer.byteLength(body) > MAX_BODY_BYTES ? 413 : 200);
        const written = h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
        const requestLines = written.filter((line) => line.event === "request");
        expect(requestLines).toHaveLength(1);
        expect(requestLines[0]).toMatchObject({ outcome: expect.stringMatching(/^\w/), status: response.status });
        expect(written.filter((line) => line.outcome === "error")).toEqual([]);
        // Only Slack's URL check is answered with a body: its own challenge, nothing else.
        if (text !== "") expect(requestLines[0]).toMatchObject({ kind: "url_verification" });
      }),
      { numRuns: RUNS },
    );
  });

  it("kept the bot on loopback: no fuzzed URL was reached", () => {
    expect(escaped).toEqual([]);
  });
});

describe("the same hostile payloads unsigned or wrongly signed", () => {
  const tamper = fc.constantFrom("none", "other-secret", "stale", "future", "garbage");

  function unsigned(url: string, body: string, how: string): Request {
    const now = NOW_SECONDS;
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (how === "other-secret") Object.assign(headers, { "x-slack-request-timestamp": String(now), "x-slack-signature": signSlackRequest("another-secret-0123456789", String(now), body) });
    if (how === "stale") Object.assign(headers, { "x-slack-request-timestamp": String(now - 301), "x-slack-signature": signSlackRequest(TEST_SIGNING_SECRET, String(now - 301), body) });
    if (how === "future") Object.assign(headers, { "x-slack-request-timestamp": String(now + 301), "x-slack-signature": signSlackRequest(TEST_SIGNING_SECRET, String(now + 301), body) });
    if (how === "garbage") Object.assign(headers, { "x-slack-request-timestamp": String(now), "x-slack-signature": `v0=${"0".repeat(64)}` });
    return new Request(url, { method: "POST", headers, body });
  }

  it.each([
    ["/slack/commands", () => h.commands, commandBodies],
    ["/slack/interactions", () => h.interactions, interactionBodies.map((hostile) => hostile.body)],
    ["/slack/events", () => h.events, eventsBodies],
  ] as const)("at %s: always a bare 401, and nothing called", async (path, handler, bodies) => {
    await fc.assert(
      fc.asyncProperty(bodies, tamper, async (template, how) => {
        const body = withLiveUrls(template);
        const calls = h.slack.calls.length + h.notion.requests.length;
        const response = await handler()(unsigned(`http://localhost${path}`, body, how));
        const expected = Buffer.byteLength(body) > MAX_BODY_BYTES ? 413 : 401;
        expect(response.status).toBe(expected);
        if (expected === 401) expect(await response.text()).toBe("Unauthorized");
        await h.settle();
        expect(h.slack.calls.length + h.notion.requests.length).toBe(calls);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("hostile webhook bodies at /notion/webhooks", () => {
  const at = new Date(NOW_MS).toISOString();
  const anything = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined));
  /** Notion's event shape with any field broken, missing or swapped for something else. */
  const events = fc
    .record({
      id: fc.oneof(fc.uuid(), anything),
      timestamp: fc.oneof(fc.constant(at), anything),
      type: fc.oneof(fc.constantFrom("page.properties_updated", "page.created", "comment.created", ...INHERITED), anything),
      attempt_number: fc.oneof(fc.integer({ min: -2, max: 12 }), anything),
      authors: fc.oneof(fc.array(fc.record({ id: fc.oneof(fc.uuid(), anything), type: fc.oneof(fc.constantFrom("person", "bot", "agent"), anything) }), { maxLength: 3 }), anything),
      entity: fc.oneof(fc.record({ id: fc.oneof(fc.uuid(), anything), type: fc.oneof(fc.constant("page"), anything) }), anything),
      data: fc.oneof(fc.record({ parent: anything, updated_properties: fc.oneof(fc.array(hostileText, { maxLength: 3 }), anything) }), anything),
    })
    .map((event) => JSON.stringify(event));

  function post(body: string, signature: string | undefined): Request {
    return new Request("http://localhost/notion/webhooks", { method: "POST", headers: { "content-type": "application/json", ...(signature ? { "x-notion-signature": signature } : {}) }, body });
  }

  it("signed: always 200 (or 401 for a stale or replayed event, 413 past 256 KiB), never a 5xx or a throw, and nothing posted", async () => {
    await fc.assert(
      fc.asyncProperty(events, async (body) => {
        // Work an earlier test handed to waitUntil may still post: let it land first.
        await h.settle();
        const posted = h.slack.messages.length;
        const response = await h.notionWebhooks(post(body, signNotionBody(TEST_NOTION_WEBHOOK_SECRET, body)));
        expect(Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES ? [413] : [200, 401]).toContain(response.status);
        await h.settle();
        expect(h.slack.messages.length).toBe(posted);
      }),
      { numRuns: RUNS },
    );
  });

  it("unsigned, signed with another secret or a broken signature: 401 (413 past 256 KiB), and nothing called", async () => {
    const how = fc.constantFrom("none", "other-secret", "garbage");
    await fc.assert(
      fc.asyncProperty(events, how, async (body, tamper) => {
        const calls = h.slack.calls.length + h.notion.requests.length;
        const signature = tamper === "none" ? undefined : tamper === "garbage" ? `sha256=${"0".repeat(64)}` : signNotionBody("secret_someone_else_0000000000", body);
        const response = await h.notionWebhooks(post(body, signature));
        const expected = Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES ? 413 : 401;
        expect(response.status).toBe(expected);
        if (expected === 401) expect(await response.text()).toBe("Unauthorized");
        await h.settle();
        expect(h.slack.calls.length + h.notion.requests.length).toBe(calls);
      }),
      { numRuns: RUNS },
    );
  });
});
