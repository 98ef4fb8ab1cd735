/**
 * Hostile payloads at both Slack endpoints and at Notion's, correctly signed (a signature proves who
 * sent a body, not that it is sane) and unsigned. Whatever arrives: never a 5xx, never a thrown error, an answer Slack
 * can show or act on, and one log line. request-verification.test.ts covers random bytes; this file
 * covers payloads shaped like Slack's and broken on purpose (dev/hostile-payloads.ts, which
 * `npm run hostile` sends by the tens of thousands).
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Handler } from "../../src/handlers.js";
import { MAX_BODY_BYTES } from "../../src/platforms/slack/read-request.js";
import { signSlackRequest } from "../../src/platforms/slack/verify-request.js";
import { MAX_WEBHOOK_BODY_BYTES } from "../../src/notion/read-webhook.js";
import { signNotionBody } from "../../src/notion/verify-webhook.js";
import { TEST_NOTION_WEBHOOK_SECRET } from "../../dev/emulator-env.js";
import { FAULTED_TIMEOUT_MS, startHarness, type Harness } from "../../dev/harness.js";
import { answerProblem, hostileCommandBodies as commandBodies, hostileEventsBodies as eventsBodies, hostileInteractionBodies as interactionBodies, hostileText, INHERITED, tamperedHeaders, TAMPERINGS, withLiveUrls as withEmulatorUrls } from "../../dev/hostile-payloads.js";
import { signedRequest } from "../../dev/signed-request.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";

/**
 * The handlers' clock, fixed, and the signatures' timestamp with it: a request signed 301 s away is
 * then always outside Slack's five-minute window, however long a run takes. Signed against the real
 * clock, a "future" request crept inside the window whenever a second passed before the check.
 */
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0, 999);
const NOW_SECONDS = Math.floor(NOW_MS / 1000);

let h: Harness;
/** Hosts the bot tried to reach that are not the emulators: a fuzzed response_url, say. */
const escaped: string[] = [];
/** The emulators' origins, once started: the only places the bot may call. */
const emulators = new Set<string>();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

/** Keeps every call on the emulators: a fuzzed payload must never make the test talk to anything else. */
const emulatorsOnly: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!emulators.has(url.origin)) {
    escaped.push(url.host);
    throw new TypeError(`fuzz: ${url.host} is not an emulator`);
  }
  return fetch(input, init);
};

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startHarness({ fetch: emulatorsOnly, slackTimeoutMs: FAULTED_TIMEOUT_MS, notionTimeoutMs: FAULTED_TIMEOUT_MS, ackDeadlineMs: 1_000, now: () => NOW_MS });
  for (const url of [h.slack.origin, h.notion.url, h.blobs.connection.edgeURL]) emulators.add(new URL(url).origin);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

/** Fresh emulator URLs for the placeholders, so a deferred answer lands on loopback and is recorded. */
function withLiveUrls(body: string): string {
  return withEmulatorUrls(body, { responseUrl: () => h.slack.responseUrl(), triggerId: () => h.slack.triggerId(SLACK_SEED.alice) });
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
    expect(answerProblem(json)).toBeUndefined();
  }
  return { status: response.status, json, text };
}

/** Runs per property; FUZZ_RUNS=5000 npm test -- test/integration/fuzz.test.ts searches harder. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 150;

describe("correctly signed hostile payloads", () => {
  it("at /slack/commands: every command gets a clear answer, never a 5xx or a throw", async () => {
    await fc.assert(
      fc.asyncProperty(commandBodies, async (template) => {
        const opened = h.slack.callsTo("views.open").length;
        const told = h.slack.responses.length + h.slack.messages.length;
        const answer = await sendSigned(h.commands, withLiveUrls(template));
        if (answer.status !== 200) return;
        // An empty answer is right only when something else tells the person: the modal, or a later message.
        if (answer.text === "") {
          const answeredLater = h.slack.responses.length + h.slack.messages.length > told;
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

  it("kept the bot on the emulators: no fuzzed URL was called", () => {
    expect(escaped).toEqual([]);
  });
});

describe("the same hostile payloads unsigned or wrongly signed", () => {
  const tamper = fc.constantFrom(...TAMPERINGS);

  function unsigned(url: string, body: string, how: (typeof TAMPERINGS)[number]): Request {
    return new Request(url, { method: "POST", headers: tamperedHeaders(body, how, NOW_SECONDS), body });
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
