import { quietSlackLogger } from "../../../dev/quiet-slack-logger.js";
import { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackApi, SlackApiError, toSlackApiError, type SlackApi } from "../../../src/platforms/slack/client.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator, type SlackFault } from "../../../dev/slack-emulator.js";
import { FAULTED_TIMEOUT_MS } from "../../../dev/harness.js";

// The port wraps @slack/web-api with bounds of its own (see client.ts). These tests hold it to a
// plain WebClient: the same calls reach Slack, and every failure maps to one narrow code.

const TOKEN = "xoxb-client-test";
/** Answered calls get seconds: on a busy machine a prompt answer can take longer than a short timeout. */
const TIMEOUT_MS = 10_000;
/** Only a call that is never answered gets a short one: it is reached however busy the machine is. */
const HANG_TIMEOUT_MS = 300;

let emu: SlackEmulator;
let port: SlackApi;
let sdk: WebClient;

/** The port, and a WebClient configured as the port configures its own, both timing out after `timeoutMs`. */
function clientsWithin(timeoutMs: number): { port: SlackApi; sdk: WebClient } {
  return {
    port: createSlackApi({ token: TOKEN, apiUrl: emu.apiUrl, timeoutMs }),
    sdk: new WebClient(TOKEN, { slackApiUrl: emu.apiUrl, timeout: timeoutMs, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quietSlackLogger }),
  };
}

beforeAll(async () => {
  emu = await startSlackEmulator({ token: TOKEN });
  ({ port, sdk } = clientsWithin(TIMEOUT_MS));
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

const view = {
  type: "modal" as const,
  callback_id: "task_modal",
  title: { type: "plain_text" as const, text: "New task" },
  blocks: [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "Hello *there*" } }],
  private_metadata: JSON.stringify({ channelId: SLACK_SEED.general }),
};

/** What Slack received for the last call: the method, its arguments and the token. */
function lastCall() {
  const call = emu.calls.at(-1)!;
  return { method: call.method, args: call.args, token: call.token };
}

describe("the Slack port on the wire", () => {
  it("opens a view with the same arguments and token as @slack/web-api", async () => {
    await port.openView(emu.triggerId(SLACK_SEED.alice), view);
    const fromPort = lastCall();
    await sdk.views.open({ trigger_id: emu.triggerId(SLACK_SEED.alice), view });
    const fromSdk = lastCall();
    expect({ ...fromPort, args: { ...fromPort.args, trigger_id: "T" } }).toEqual({ ...fromSdk, args: { ...fromSdk.args, trigger_id: "T" } });
    expect(fromPort.token).toBe(TOKEN);
  });

  it("posts a threaded message with blocks with the same arguments as @slack/web-api", async () => {
    const blocks = [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "A *task*" } }];
    const posted = await port.postMessage(SLACK_SEED.general, { text: "A task", blocks, threadTs: "1700000000.000100" });
    const fromPort = lastCall();
    await sdk.chat.postMessage({ channel: SLACK_SEED.general, text: "A task", blocks, thread_ts: "1700000000.000100", unfurl_links: false, unfurl_media: false });
    expect(fromPort).toEqual(lastCall());
    expect(posted.channel).toBe(SLACK_SEED.general);
    expect(posted.ts).toMatch(/^\d+\.\d+$/);
  });

  it("reads a user as users.info returns them", async () => {
    const user = await port.getUser(SLACK_SEED.alice);
    const { user: fromSdk } = await sdk.users.info({ user: SLACK_SEED.alice });
    expect(user).toEqual({ id: SLACK_SEED.alice, name: fromSdk?.profile?.display_name || fromSdk?.real_name, email: fromSdk?.profile?.email, isBot: false });
  });
});

describe("the Slack port's failures", () => {
  const faults: [string, SlackFault][] = [
    ["an ok:false answer", { kind: "error", error: "channel_not_found" }],
    ["a 429 with Retry-After", { kind: "rate_limited", retryAfterSeconds: 7 }],
    ["a 429 without Retry-After", { kind: "rate_limited", retryAfterSeconds: undefined }],
    ["a 500", { kind: "http", status: 500 }],
    ["no answer in time", { kind: "hang" }],
    ["a dropped connection", { kind: "drop" }],
  ];

  it.each(faults)("maps %s to the code toSlackApiError gives @slack/web-api's error", async (_name, fault) => {
    const { port, sdk } = clientsWithin(fault.kind === "hang" ? HANG_TIMEOUT_MS : TIMEOUT_MS);
    emu.fail("chat.postMessage", fault);
    const fromPort = await port.postMessage(SLACK_SEED.general, { text: "hi" }).then(
      () => undefined,
      (error: unknown) => error,
    );
    emu.fail("chat.postMessage", fault);
    const fromSdk = await sdk.chat.postMessage({ channel: SLACK_SEED.general, text: "hi" }).then(
      () => undefined,
      (error: unknown) => toSlackApiError("chat.postMessage", error),
    );
    expect(fromPort).toBeInstanceOf(SlackApiError);
    expect(fromSdk).toBeInstanceOf(SlackApiError);
    const { code, method, retryAfterSeconds } = fromPort as SlackApiError;
    expect({ code, method, retryAfterSeconds }).toEqual({ code: (fromSdk as SlackApiError).code, method: "chat.postMessage", retryAfterSeconds: (fromSdk as SlackApiError).retryAfterSeconds });
  });

  // views.open goes over fetch, not the SDK (client.ts openViewOverFetch): every fault maps as WebClient's does.
  it.each(faults)("maps %s on views.open, sent over fetch, to the code @slack/web-api's views.open gives", async (_name, fault) => {
    const { port, sdk } = clientsWithin(fault.kind === "hang" ? HANG_TIMEOUT_MS : TIMEOUT_MS);
    emu.fail("views.open", fault);
    const fromPort = await port.openView(emu.triggerId(SLACK_SEED.alice), view).then(
      () => undefined,
      (error: unknown) => error,
    );
    emu.fail("views.open", fault);
    const fromSdk = await sdk.views.open({ trigger_id: emu.triggerId(SLACK_SEED.alice), view }).then(
      () => undefined,
      (error: unknown) => toSlackApiError("views.open", error),
    );
    expect(fromPort).toBeInstanceOf(SlackApiError);
    const { code, method, retryAfterSeconds } = fromPort as SlackApiError;
    expect({ code, method, retryAfterSeconds }).toEqual({ code: (fromSdk as SlackApiError).code, method: "views.open", retryAfterSeconds: (fromSdk as SlackApiError).retryAfterSeconds });
  });

  it("keeps Slack's own code and the Retry-After seconds", async () => {
    emu.fail("views.open", { kind: "rate_limited", retryAfterSeconds: 3 });
    const error = await port.openView(emu.triggerId(), view).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterSeconds: 3 });
    emu.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    expect(await port.openView(emu.triggerId(), view).catch((e: unknown) => e)).toMatchObject({ code: "expired_trigger_id" });
  });

  // A refusal posted nothing: taken for a transport failure (which may have posted), the weekly
  // review counted the week as maybe posted and never posted it.
  it("takes a 429 without a Retry-After, and an ok:false ratelimited, for a rate limit, not a network failure", async () => {
    emu.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: undefined });
    const bare = await port.postMessage(SLACK_SEED.general, { text: "hi" }).catch((e: unknown) => e);
    expect(bare).toMatchObject({ code: "rate_limited", retryAfterSeconds: undefined });
    emu.fail("chat.postMessage", { kind: "error", error: "ratelimited" });
    expect(await port.postMessage(SLACK_SEED.general, { text: "hi" }).catch((e: unknown) => e)).toMatchObject({ code: "rate_limited" });
  });

  it("keeps a response_url's Retry-After", async () => {
    const local = createSlackApi({ token: TOKEN, apiUrl: emu.apiUrl, timeoutMs: TIMEOUT_MS });
    emu.fail("response_url", { kind: "rate_limited", retryAfterSeconds: 12 });
    const error = await local.respond(emu.responseUrl(), { text: "hi" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", method: "response_url", retryAfterSeconds: 12 });
  });
});
