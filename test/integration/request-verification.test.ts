import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSlackRequest } from "../../src/platforms/slack/verify-request.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { signedRequest, TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { slashCommandBody } from "../../dev/slack-payloads.js";

/** The handlers' clock, fixed, so a timestamp's distance from it is exactly what a test says. */
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0, 999);
const now = () => Math.floor(NOW_MS / 1000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: () => NOW_MS });
});
afterAll(async () => h.close());

const body = slashCommandBody({ text: "help" });

function requestWith(headers: Record<string, string>, requestBody = body, method = "POST"): Request {
  return new Request("http://localhost/slack/commands", { method, headers, ...(method === "GET" ? {} : { body: requestBody }) });
}

function signedHeaders(timestamp = now(), requestBody = body): Record<string, string> {
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signSlackRequest(TEST_SIGNING_SECRET, String(timestamp), requestBody) };
}

/** A body each endpoint answers when signed: a command, an interaction, an event. */
const SIGNED_BODIES = { commands: body, interactions: "payload=%7B%22type%22%3A%22view_closed%22%7D", events: '{"type":"event_callback","team_id":"T0TEAM","event_id":"Ev0VERIFY","event_time":1,"event":{"type":"reaction_added"}}' } as const;

describe.each(["commands", "interactions", "events"] as const)("the %s endpoint", (endpoint) => {
  const handler = () => h[endpoint];

  it("answers a correctly signed request", async () => {
    const response = await handler()(signedRequest(SIGNED_BODIES[endpoint], { timestamp: now() }));
    expect(response.status).toBe(200);
  });

  it.each<[string, () => Request]>([
    ["no signature headers", () => requestWith({})],
    ["no timestamp header", () => requestWith({ "x-slack-signature": signedHeaders()["x-slack-signature"]! })],
    ["a signature made with another secret", () => requestWith({ ...signedHeaders(), "x-slack-signature": signSlackRequest("wrong-secret-0123456789", String(now()), body) })],
    ["a timestamp six minutes old", () => requestWith(signedHeaders(now() - 360))],
    ["a timestamp six minutes ahead", () => requestWith(signedHeaders(now() + 360))],
    ["a non-numeric timestamp", () => requestWith({ ...signedHeaders(), "x-slack-request-timestamp": "yesterday" })],
    ["a tampered body", () => requestWith(signedHeaders(), body.replace("help", "list"))],
  ])("refuses %s with a 401 that reveals nothing", async (_name, build) => {
    const response = await handler()(build());
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("Unauthorized");
  });

  it("refuses a body over 1 MiB with 413, before verifying", async () => {
    const huge = `text=${"a".repeat(1024 * 1024)}`;
    expect((await handler()(requestWith(signedHeaders(now(), huge), huge))).status).toBe(413);
  });

  it("refuses GET with 405", async () => {
    const response = await handler()(requestWith({}, "", "GET"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers Slack's ssl_check ping with an empty 200 (where Slack sends one: not to the Events API URL, which verifies it)", async () => {
    const response = await handler()(requestWith({}, "ssl_check=1&token=abc"));
    expect(response.status).toBe(endpoint === "events" ? 401 : 200);
    if (endpoint !== "events") expect(await response.text()).toBe("");
  });

  it("never crashes and never lets an unsigned or wrongly signed body through", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 500 }),
        fc.record({ timestamp: fc.oneof(fc.constant(String(now())), fc.string()), signature: fc.string() }, { requiredKeys: [] }),
        async (randomBody, headers) => {
          const sent: Record<string, string> = {};
          if (headers.timestamp !== undefined) sent["x-slack-request-timestamp"] = headers.timestamp;
          if (headers.signature !== undefined) sent["x-slack-signature"] = headers.signature;
          const response = await handler()(requestWith(sent, randomBody));
          const rightSignature = headers.timestamp !== undefined && headers.signature === signSlackRequest(TEST_SIGNING_SECRET, headers.timestamp, randomBody);
          const sslCheck = endpoint !== "events" && new URLSearchParams(randomBody).get("ssl_check") === "1";
          if (!rightSignature && !sslCheck) expect(response.status).toBe(401);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("verifies the raw bytes: a correctly signed body with bytes that are not UTF-8 is answered, not refused", async () => {
    const sent = Buffer.concat([Buffer.from(endpoint === "commands" ? body : "payload=%7B%22type%22%3A%22view_closed%22%7D"), Buffer.from("&note="), Buffer.from([0xff, 0xc3, 0x28])]);
    const response = await handler()(signedRequest(sent, { timestamp: now() }));
    expect(response.status).toBe(200);
  });

  it("answers any correctly signed random bytes without a 5xx or a 401", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const response = await handler()(signedRequest(bytes, { timestamp: now() }));
        expect(response.status).toBe(200);
      }),
      { numRuns: 200 },
    );
  });

  it("answers any correctly signed random body without a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.json().map((json) => `payload=${encodeURIComponent(json)}`)), async (randomBody) => {
        const response = await handler()(signedRequest(randomBody, { timestamp: now() }));
        expect(response.status).toBe(200);
      }),
      { numRuns: 200 },
    );
  });
});

describe("a function whose variables are missing", () => {
  it("answers 503 and logs every missing variable, without any value", async () => {
    const { createSlackCommandsHandler } = await import("../../src/handlers.js");
    const logs: string[] = [];
    const handler = createSlackCommandsHandler({ env: { SLACK_BOT_TOKEN: "xoxp-user-token-secret" }, logSink: (line) => logs.push(line) });
    const response = await handler(signedRequest(body));
    expect(response.status).toBe(503);
    const logged = logs.join("\n");
    for (const name of ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID"]) expect(logged).toContain(name);
    expect(logged).not.toContain("xoxp-user-token-secret");
  });
});
