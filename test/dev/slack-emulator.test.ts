import { quietSlackLogger } from "../../dev/quiet-slack-logger.js";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from "@slack/web-api";
import type { WebClientOptions } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES, SLACK_SEED, imChannelIdFor, startSlackEmulator } from "../../dev/slack-emulator.js";
import type { SlackEmulator, SlackEmulatorOptions } from "../../dev/slack-emulator.js";

const TOKEN = "xoxb-emulator-test";


let emu: SlackEmulator;

beforeAll(async () => {
  emu = await startSlackEmulator({ token: TOKEN });
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

/** A real WebClient aimed at `target`; `token: null` sends none. */
function clientFor(target: SlackEmulator, options: WebClientOptions = {}, token: string | null = TOKEN) {
  return new WebClient(token ?? undefined, {
    slackApiUrl: target.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietSlackLogger,
    ...options,
  });
}

/**
 * Runs `work` on an emulator of its own, closed after. For a test whose client gives up on a call: on
 * a busy machine that call can reach the emulator after the client gave up, even after the test, and
 * on the shared one it took the fault a later test had set for its own call (a hang answered, its
 * answer hung).
 */
async function withOwnEmulator(work: (own: SlackEmulator) => Promise<void>): Promise<void> {
  const own = await startSlackEmulator({ token: TOKEN });
  try {
    await work(own);
  } finally {
    await own.close();
  }
}

function client(options: WebClientOptions = {}): WebClient {
  return clientFor(emu, options);
}

/** Starts a second emulator for options the shared one does not have; closed after the test body. */
async function withEmulator(options: SlackEmulatorOptions, body: (other: SlackEmulator) => Promise<void>) {
  const other = await startSlackEmulator(options);
  try {
    await body(other);
  } finally {
    await other.close();
  }
}

async function rejectionOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The `error` of the WebAPIPlatformError a call fails with. */
async function platformErrorOf(call: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(call);
  if (!(error instanceof WebAPIPlatformError)) throw new Error(`expected WebAPIPlatformError, got ${String(error)}`);
  return error.data.error;
}

async function platformErrorDataOf(call: Promise<unknown>): Promise<WebAPIPlatformError["data"]> {
  const error = await rejectionOf(call);
  if (!(error instanceof WebAPIPlatformError)) throw new Error(`expected WebAPIPlatformError, got ${String(error)}`);
  return error.data;
}

const plain = (text: string) => ({ type: "plain_text" as const, text });
const section = (text: string) => ({ type: "section" as const, text: { type: "mrkdwn" as const, text } });
const modal = (title = "New task", blocks: ReturnType<typeof section>[] = [section("Hello")]) => ({
  type: "modal" as const,
  title: plain(title),
  submit: plain("Save"),
  blocks,
});

describe("auth and methods", () => {
  it("answers auth.test with the bot identity and the configured scopes", async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({
      ok: true,
      url: "https://example.slack.com/",
      team_id: SLACK_SEED.teamId,
      user_id: SLACK_SEED.botUserId,
      bot_id: SLACK_SEED.botId,
    });
    expect(result.response_metadata?.scopes).toEqual(DEFAULT_SCOPES);
  });

  it("records each call with its token and decoded arguments, token removed", async () => {
    await client().users.info({ user: SLACK_SEED.alice });
    expect(emu.calls).toEqual([
      { method: "users.info", args: { user: SLACK_SEED.alice }, token: TOKEN, at: expect.any(Number) },
    ]);
  });

  it("refuses a token other than the configured one with invalid_auth", async () => {
    const wrong = clientFor(emu, {}, "xoxb-someone-else");
    expect(await platformErrorOf(wrong.auth.test())).toBe("invalid_auth");
  });

  it("refuses a call without a token with not_authed", async () => {
    const anonymous = clientFor(emu, {}, null);
    expect(await platformErrorOf(anonymous.auth.test())).toBe("not_authed");
  });

  it("accepts any token when none is configured", async () => {
    await withEmulator({}, async (open) => {
      const result = await clientFor(open, {}, "xoxb-anything").auth.test();
      expect(result.ok).toBe(true);
    });
  });

  it("answers an unknown method with unknown_method", async () => {
    expect(await platformErrorOf(client().apiCall("tasks.explode"))).toBe("unknown_method");
  });
});

describe("views", () => {
  it("opens a modal and records it with the user who owns the trigger", async () => {
    const triggerId = emu.triggerId(SLACK_SEED.alice);
    const result = await client().views.open({ trigger_id: triggerId, view: modal() });
    const id = result.view?.id ?? "";
    expect(id).toMatch(/^V/);
    expect(result.view).toMatchObject({ type: "modal", title: plain("New task"), state: { values: {} } });
    expect(result.view?.hash).toEqual(expect.any(String));
    expect(emu.views).toEqual([
      { id, hash: result.view?.hash, view: expect.objectContaining({ title: plain("New task") }), trigger_id: triggerId, user: SLACK_SEED.alice },
    ]);
    expect(emu.callsTo("views.open")[0]?.args.view).toEqual(modal());
  });

  it("refuses views.open without a trigger_id", async () => {
    expect(await platformErrorOf(client().apiCall("views.open", { view: modal() }))).toBe("invalid_arguments");
  });

  it("refuses a trigger_id used twice with exchanged_trigger_id", async () => {
    const triggerId = emu.triggerId();
    await client().views.open({ trigger_id: triggerId, view: modal() });
    expect(await platformErrorOf(client().views.open({ trigger_id: triggerId, view: modal() }))).toBe(
      "exchanged_trigger_id",
    );
  });

  it("opens a modal with a trigger_id 3 s old, and refuses one 3.001 s old with expired_trigger_id", async () => {
    let now = 1_700_000_000_000;
    await withEmulator({ token: TOKEN, now: () => now }, async (other) => {
      const fresh = other.triggerId();
      const stale = other.triggerId();
      now += 3_000;
      expect((await clientFor(other).views.open({ trigger_id: fresh, view: modal() })).ok).toBe(true);
      now += 1;
      expect(await platformErrorOf(clientFor(other).views.open({ trigger_id: stale, view: modal() }))).toBe("expired_trigger_id");
      expect(await platformErrorOf(clientFor(other).views.push({ trigger_id: stale, view: modal() }))).toBe("expired_trigger_id");
    });
  });

  it("keeps a trigger_id good for triggerLifetimeMs when given", async () => {
    let now = 1_700_000_000_000;
    await withEmulator({ token: TOKEN, now: () => now, triggerLifetimeMs: 30_000 }, async (other) => {
      const triggerId = other.triggerId();
      now += 29_000;
      expect((await clientFor(other).views.open({ trigger_id: triggerId, view: modal() })).ok).toBe(true);
    });
  });

  it("stamps ts and calls with its own clock", async () => {
    const now = Date.UTC(2030, 0, 15, 9, 0, 0);
    await withEmulator({ token: TOKEN, now: () => now }, async (other) => {
      const posted = await clientFor(other).chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" });
      expect(posted.ts).toBe(`${now / 1000}.000000`);
      expect(other.calls[0]?.at).toBe(now);
    });
  });

  it("updates a modal by view_id, replacing its recorded version and hash", async () => {
    const opened = await client().views.open({ trigger_id: emu.triggerId(), view: modal("First") });
    const updated = await client().views.update({
      view_id: opened.view?.id ?? "",
      hash: opened.view?.hash ?? "",
      view: modal("Second"),
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(emu.views).toHaveLength(1);
    expect(emu.views[0]).toMatchObject({ hash: updated.view?.hash, view: { title: plain("Second") } });
  });

  it("updates a modal by external_id", async () => {
    await client().views.open({ trigger_id: emu.triggerId(), view: { ...modal("First"), external_id: "task-1" } });
    await client().views.update({ external_id: "task-1", view: modal("Second") });
    expect(emu.views[0]?.view).toMatchObject({ title: plain("Second") });
  });

  it("refuses an update carrying a stale hash with hash_conflict", async () => {
    const opened = await client().views.open({ trigger_id: emu.triggerId(), view: modal() });
    const id = opened.view?.id ?? "";
    await client().views.update({ view_id: id, view: modal("Newer") });
    const stale = client().views.update({ view_id: id, hash: opened.view?.hash ?? "", view: modal("Older") });
    expect(await platformErrorOf(stale)).toBe("hash_conflict");
    expect(emu.views[0]?.view).toMatchObject({ title: plain("Newer") });
  });

  it("refuses an update of an unknown view with not_found", async () => {
    expect(await platformErrorOf(client().views.update({ view_id: "V404", view: modal() }))).toBe("not_found");
  });

  it("pushes a modal onto the stack and records it", async () => {
    await client().views.open({ trigger_id: emu.triggerId(), view: modal("Base") });
    const pushed = await client().views.push({ trigger_id: emu.triggerId(), view: modal("Detail") });
    expect(pushed.view?.title).toEqual(plain("Detail"));
    expect(emu.views.map((view) => view.view.title)).toEqual([plain("Base"), plain("Detail")]);
  });
});

describe("the Home tab (views.publish)", () => {
  const home = (blocks: ReturnType<typeof section>[] = [section("Your tasks")]) => ({ type: "home" as const, blocks });

  it("publishes a person's Home tab and reads it back by user, the same view id each time", async () => {
    const first = await client().views.publish({ user_id: SLACK_SEED.alice, view: home() });
    const second = await client().views.publish({ user_id: SLACK_SEED.alice, view: home([section("Refreshed")]) });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.type).toBe("home");
    expect(emu.homes).toHaveLength(1);
    expect(emu.homeView(SLACK_SEED.alice)?.view.blocks).toEqual([section("Refreshed")]);
    expect(emu.homeView(SLACK_SEED.bob)).toBeUndefined();
  });

  it("refuses more than 100 blocks, as Slack does for a Home tab", async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => section(`Line ${i}`));
    const data = await platformErrorDataOf(client().views.publish({ user_id: SLACK_SEED.alice, view: home(tooMany) }));
    expect(data.error).toBe("invalid_arguments");
    expect(data.response_metadata?.messages?.[0]).toContain("/view/blocks");
    await client().views.publish({ user_id: SLACK_SEED.alice, view: home(tooMany.slice(0, 100)) });
    expect(emu.homeView(SLACK_SEED.alice)?.view.blocks).toHaveLength(100);
  });

  it("refuses a modal, an unknown user, a view over 250 kB and a stale hash", async () => {
    expect(await platformErrorOf(client().views.publish({ user_id: SLACK_SEED.alice, view: modal() as never }))).toBe("invalid_arguments");
    expect(await platformErrorOf(client().views.publish({ user_id: "U0NOBODY", view: home() }))).toBe("invalid_arguments");
    const big = Array.from({ length: 90 }, () => section("x".repeat(2_900)));
    expect(await platformErrorOf(client().views.publish({ user_id: SLACK_SEED.alice, view: home(big) }))).toBe("view_too_large");
    const published = await client().views.publish({ user_id: SLACK_SEED.alice, view: home() });
    await client().views.publish({ user_id: SLACK_SEED.alice, view: home() });
    expect(await platformErrorOf(client().views.publish({ user_id: SLACK_SEED.alice, hash: published.view?.hash ?? "", view: home() }))).toBe("hash_conflict");
  });

  it("applies Block Kit's limits inside the tab", async () => {
    const long = section("x".repeat(3_001));
    expect(await platformErrorOf(client().views.publish({ user_id: SLACK_SEED.alice, view: home([long]) }))).toBe("invalid_arguments");
  });
});

describe("chat", () => {
  it("posts a message and receives its blocks parsed back into objects", async () => {
    const blocks = [section("*New task*"), { type: "divider" as const }];
    const result = await client().chat.postMessage({ channel: SLACK_SEED.general, text: "New task", blocks });
    expect(result).toMatchObject({ ok: true, channel: SLACK_SEED.general, message: { text: "New task", blocks } });
    expect(emu.callsTo("chat.postMessage")[0]?.args.blocks).toEqual(blocks);
    expect(emu.messages).toEqual([
      { kind: "message", channel: SLACK_SEED.general, text: "New task", blocks, ts: result.ts },
    ]);
  });

  it("keeps thread_ts as the string the bot sent", async () => {
    const parent = await client().chat.postMessage({ channel: SLACK_SEED.general, text: "Parent" });
    await client().chat.postMessage({ channel: SLACK_SEED.general, text: "Reply", thread_ts: parent.ts ?? "" });
    expect(emu.messages[1]?.thread_ts).toBe(parent.ts);
  });

  it("delivers a message sent to a user id into that user's DM channel", async () => {
    const result = await client().chat.postMessage({ channel: SLACK_SEED.alice, text: "Your task is due" });
    expect(result.channel).toBe(imChannelIdFor(SLACK_SEED.alice));
    expect(emu.messages[0]?.channel).toBe(imChannelIdFor(SLACK_SEED.alice));
  });

  it("posts an ephemeral message and answers its message_ts", async () => {
    const result = await client().chat.postEphemeral({
      channel: SLACK_SEED.general,
      user: SLACK_SEED.bob,
      text: "Only you can see this",
    });
    expect(result.message_ts).toEqual(expect.stringMatching(/^\d+\.\d{6}$/));
    expect(emu.messages).toEqual([
      {
        kind: "ephemeral",
        channel: SLACK_SEED.general,
        user: SLACK_SEED.bob,
        text: "Only you can see this",
        blocks: undefined,
        ts: result.message_ts,
      },
    ]);
  });

  it("updates a posted message in place", async () => {
    const posted = await client().chat.postMessage({ channel: SLACK_SEED.general, text: "Draft" });
    await client().chat.update({ channel: SLACK_SEED.general, ts: posted.ts ?? "", text: "Final" });
    expect(emu.messages).toEqual([expect.objectContaining({ text: "Final", ts: posted.ts })]);
  });

  it("refuses to update a message that was never posted with message_not_found", async () => {
    const update = client().chat.update({ channel: SLACK_SEED.general, ts: "1.000001", text: "Final" });
    expect(await platformErrorOf(update)).toBe("message_not_found");
  });

  it("builds a permalink from the channel and the ts without its dot", async () => {
    const posted = await client().chat.postMessage({ channel: SLACK_SEED.general, text: "Link me" });
    const ts = posted.ts ?? "";
    const result = await client().chat.getPermalink({ channel: SLACK_SEED.general, message_ts: ts });
    expect(result.permalink).toBe(`https://example.slack.com/archives/${SLACK_SEED.general}/p${ts.replace(".", "")}`);
  });

  it("refuses a message with neither text nor blocks with no_text", async () => {
    expect(await platformErrorOf(client().apiCall("chat.postMessage", { channel: SLACK_SEED.general }))).toBe(
      "no_text",
    );
  });
});

describe("channel rules", () => {
  it("refuses a post to a public channel the bot has not joined with not_in_channel", async () => {
    const post = client().chat.postMessage({ channel: SLACK_SEED.random, text: "Hi" });
    expect(await platformErrorOf(post)).toBe("not_in_channel");
    expect(emu.messages).toEqual([]);
  });

  it("refuses a post to a private channel the bot is not in with channel_not_found", async () => {
    expect(await platformErrorOf(client().chat.postMessage({ channel: SLACK_SEED.secret, text: "Hi" }))).toBe(
      "channel_not_found",
    );
  });

  it("refuses a post to an unknown channel with channel_not_found", async () => {
    expect(await platformErrorOf(client().chat.postMessage({ channel: "C0NOWHERE", text: "Hi" }))).toBe(
      "channel_not_found",
    );
  });

  it("applies the same rules to ephemeral messages", async () => {
    const post = client().chat.postEphemeral({ channel: SLACK_SEED.random, user: SLACK_SEED.alice, text: "Hi" });
    expect(await platformErrorOf(post)).toBe("not_in_channel");
  });

  it("lets the bot post to a public channel after conversations.join", async () => {
    await client().conversations.join({ channel: SLACK_SEED.random });
    const result = await client().chat.postMessage({ channel: SLACK_SEED.random, text: "Hi" });
    expect(result.ok).toBe(true);
  });

  it("with publicPostWithoutJoin, posts to public channels but still not to private ones", async () => {
    await withEmulator({ publicPostWithoutJoin: true }, async (open) => {
      const posted = await clientFor(open).chat.postMessage({ channel: SLACK_SEED.random, text: "Hi" });
      expect(posted.ok).toBe(true);
      const secret = clientFor(open).chat.postMessage({ channel: SLACK_SEED.secret, text: "Hi" });
      expect(await platformErrorOf(secret)).toBe("channel_not_found");
    });
  });

  it("reset undoes a join, so one test's join does not leak into the next", async () => {
    await client().conversations.join({ channel: SLACK_SEED.random });
    emu.reset();
    expect(await platformErrorOf(client().chat.postMessage({ channel: SLACK_SEED.random, text: "Hi" }))).toBe(
      "not_in_channel",
    );
  });

  it("adds channels and users for a test to use", async () => {
    emu.addChannel({ id: "C0TASKS", name: "tasks" });
    emu.addUser({ id: "U0CAROL", realName: "Carol", email: "carol@example.com" });
    await client().chat.postMessage({ channel: "C0TASKS", text: "Hi" });
    const carol = await client().users.info({ user: "U0CAROL" });
    expect(carol.user?.profile?.email).toBe("carol@example.com");
  });
});

describe("users and conversations", () => {
  it("answers users.info with the user and profile", async () => {
    const result = await client().users.info({ user: SLACK_SEED.alice });
    expect(result.user).toMatchObject({
      id: SLACK_SEED.alice,
      name: "alice",
      real_name: "Alice",
      is_bot: false,
      profile: { email: "alice@example.com", real_name: "Alice", display_name: "alice" },
    });
  });

  it("refuses an unknown user with user_not_found", async () => {
    expect(await platformErrorOf(client().users.info({ user: "U0NOBODY" }))).toBe("user_not_found");
  });

  it("leaves emails out without the users:read.email scope", async () => {
    await withEmulator({ scopes: ["chat:write", "users:read"] }, async (open) => {
      const result = await clientFor(open).users.info({ user: SLACK_SEED.alice });
      expect(result.user?.profile).not.toHaveProperty("email");
    });
  });

  it("answers conversations.info with membership and privacy", async () => {
    const general = await client().conversations.info({ channel: SLACK_SEED.general });
    const random = await client().conversations.info({ channel: SLACK_SEED.random });
    expect(general.channel).toMatchObject({ id: SLACK_SEED.general, name: "general", is_member: true, is_private: false, is_im: false });
    expect(random.channel).toMatchObject({ id: SLACK_SEED.random, is_member: false });
  });

  it("hides a private channel the bot is not in, as channel_not_found", async () => {
    expect(await platformErrorOf(client().conversations.info({ channel: SLACK_SEED.secret }))).toBe(
      "channel_not_found",
    );
  });

  it("opens a DM whose channel conversations.info then knows", async () => {
    const opened = await client().conversations.open({ users: SLACK_SEED.bob });
    const id = opened.channel?.id ?? "";
    expect(id).toBe(imChannelIdFor(SLACK_SEED.bob));
    const info = await client().conversations.info({ channel: id });
    expect(info.channel).toMatchObject({ id, is_im: true, user: SLACK_SEED.bob });
  });
});

describe("Block Kit limits", () => {
  const blocksOf = (count: number) => Array.from({ length: count }, (_, index) => section(`Block ${index}`));
  const post = (blocks: unknown[], text = "Fallback") =>
    client().apiCall("chat.postMessage", { channel: SLACK_SEED.general, text, blocks });

  it("accepts a message with 50 blocks", async () => {
    expect((await post(blocksOf(50))).ok).toBe(true);
  });

  it("refuses a message with 51 blocks with invalid_blocks, pointing at the blocks", async () => {
    const data = await platformErrorDataOf(post(blocksOf(51)));
    expect(data.error).toBe("invalid_blocks");
    expect(data.response_metadata?.messages).toEqual(["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"]);
  });

  it("accepts section text of 3000 characters and refuses 3001", async () => {
    expect((await post([section("x".repeat(3000))])).ok).toBe(true);
    expect(await platformErrorOf(post([section("x".repeat(3001))]))).toBe("invalid_blocks");
  });

  it("refuses header text over 150 characters", async () => {
    expect(await platformErrorOf(post([{ type: "header", text: plain("x".repeat(151)) }]))).toBe("invalid_blocks");
  });

  it("refuses a header whose text is mrkdwn", async () => {
    expect(await platformErrorOf(post([{ type: "header", text: { type: "mrkdwn", text: "*Hi*" } }]))).toBe(
      "invalid_blocks",
    );
  });

  it("refuses context text over 3000 characters", async () => {
    const context = { type: "context", elements: [{ type: "mrkdwn", text: "x".repeat(3001) }] };
    expect(await platformErrorOf(post([context]))).toBe("invalid_blocks");
  });

  it("refuses two blocks with the same block_id", async () => {
    const twice = [{ ...section("a"), block_id: "same" }, { ...section("b"), block_id: "same" }];
    expect(await platformErrorOf(post(twice))).toBe("invalid_blocks");
  });

  it("refuses blocks that are not a JSON array with invalid_blocks_format", async () => {
    const call = client().apiCall("chat.postMessage", { channel: SLACK_SEED.general, text: "x", blocks: "[oops" });
    expect(await platformErrorOf(call)).toBe("invalid_blocks_format");
  });

  it("accepts 40,000 characters of text and refuses 40,001 with msg_too_long", async () => {
    expect((await post([], "x".repeat(40_000))).ok).toBe(true);
    expect(await platformErrorOf(post([], "x".repeat(40_001)))).toBe("msg_too_long");
  });

  it("accepts a modal with 100 blocks and refuses 101 with invalid_arguments", async () => {
    const open = (count: number) => client().views.open({ trigger_id: emu.triggerId(), view: modal("Big", blocksOf(count)) });
    expect((await open(100)).ok).toBe(true);
    expect(await platformErrorOf(open(101))).toBe("invalid_arguments");
  });

  it("accepts a modal title of 24 characters and refuses 25", async () => {
    const open = (title: string) => client().views.open({ trigger_id: emu.triggerId(), view: modal(title) });
    expect((await open("x".repeat(24))).ok).toBe(true);
    const data = await platformErrorDataOf(open("x".repeat(25)));
    expect(data.error).toBe("invalid_arguments");
    expect(data.response_metadata?.messages).toEqual([
      "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
    ]);
  });

  it("refuses a modal submit label over 24 characters", async () => {
    const view = { ...modal(), submit: plain("Save this task right now!") };
    expect(await platformErrorOf(client().views.open({ trigger_id: emu.triggerId(), view }))).toBe(
      "invalid_arguments",
    );
  });

  it("refuses a modal whose section text is over 3000 characters with invalid_arguments", async () => {
    const view = modal("Long", [section("x".repeat(3001))]);
    expect(await platformErrorOf(client().views.open({ trigger_id: emu.triggerId(), view }))).toBe(
      "invalid_arguments",
    );
  });
});

describe("Block Kit element limits", () => {
  const post = (blocks: unknown[], method = "chat.postMessage") =>
    client().apiCall(method, { channel: SLACK_SEED.general, user: SLACK_SEED.alice, text: "Fallback", blocks });
  const open = (blocks: unknown[]) => client().views.open({ trigger_id: emu.triggerId(), view: modal("Form", blocks as ReturnType<typeof section>[]) });
  const button = (fields: Record<string, unknown> = {}) => ({ type: "button", action_id: "go", text: plain("Go"), ...fields });
  const buttons = (...elements: unknown[]) => [{ type: "actions", elements }];
  const option = (text: string, value = "v") => ({ text: plain(text), value });
  const select = (options: unknown[], fields: Record<string, unknown> = {}) => ({ type: "input", block_id: "pick", label: plain("Pick"), element: { type: "static_select", action_id: "choice", options, ...fields } });
  const textInput = (fields: Record<string, unknown>) => ({ type: "input", block_id: "title", label: plain("Title"), element: { type: "plain_text_input", action_id: "value", ...fields } });
  /** The one `[ERROR] problem [json-pointer:…]` line Slack explains a refusal with. */
  const explained = async (call: Promise<unknown>) => {
    const data = await platformErrorDataOf(call);
    return [data.error, ...(data.response_metadata?.messages ?? [])];
  };

  it("accepts button text of 75 characters and refuses 76 with invalid_blocks, pointing at the text", async () => {
    expect((await post(buttons(button({ text: plain("x".repeat(75)) })))).ok).toBe(true);
    expect(await explained(post(buttons(button({ text: plain("x".repeat(76)) }))))).toEqual([
      "invalid_blocks",
      "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
    ]);
  });

  it("refuses button text in mrkdwn", async () => {
    expect(await platformErrorOf(post(buttons(button({ text: { type: "mrkdwn", text: "*Go*" } }))))).toBe("invalid_blocks");
  });

  it("accepts a button value of 2000 characters and refuses 2001", async () => {
    expect((await post(buttons(button({ value: "v".repeat(2000) })))).ok).toBe(true);
    expect(await explained(post(buttons(button({ value: "v".repeat(2001) }))))).toEqual([
      "invalid_blocks",
      "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
    ]);
  });

  it("accepts a button url of 3000 characters and refuses 3001", async () => {
    const url = (length: number) => `https://example.com/${"a".repeat(length - 20)}`;
    expect((await post(buttons(button({ url: url(3000) })))).ok).toBe(true);
    expect(await explained(post(buttons(button({ url: url(3001) }))))).toEqual([
      "invalid_blocks",
      "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]",
    ]);
  });

  it("checks a section's accessory like any element", async () => {
    const withAccessory = { ...section("Pick one"), accessory: button({ text: plain("x".repeat(76)) }) };
    expect(await explained(post([withAccessory]))).toEqual(["invalid_blocks", "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/accessory/text/text]"]);
  });

  it("accepts an action_id of 255 characters and refuses 256", async () => {
    expect((await post(buttons(button({ action_id: "a".repeat(255) })))).ok).toBe(true);
    expect(await explained(post(buttons(button({ action_id: "a".repeat(256) }))))).toEqual([
      "invalid_blocks",
      "[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
    ]);
  });

  it("accepts option text of 75 characters in a modal and refuses 76 with invalid_arguments", async () => {
    expect((await open([select([option("x".repeat(75))])])).ok).toBe(true);
    expect(await explained(open([select([option("x".repeat(76))])]))).toEqual([
      "invalid_arguments",
      "[ERROR] must be less than 76 characters [json-pointer:/view/blocks/0/element/options/0/text/text]",
    ]);
  });

  it("accepts an option value of 150 characters and refuses 151", async () => {
    expect((await open([select([option("P0", "v".repeat(150))])])).ok).toBe(true);
    expect(await explained(open([select([option("P0", "v".repeat(151))])]))).toEqual([
      "invalid_arguments",
      "[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/options/0/value]",
    ]);
  });

  it("checks the initial option like the others", async () => {
    expect(await platformErrorOf(open([select([option("P0")], { initial_option: option("x".repeat(76)) })]))).toBe("invalid_arguments");
  });

  it("accepts 100 options and refuses 101", async () => {
    const options = (count: number) => Array.from({ length: count }, (_, index) => option(`P${index}`, `p${index}`));
    expect((await open([select(options(100))])).ok).toBe(true);
    expect(await explained(open([select(options(101))]))).toEqual([
      "invalid_arguments",
      "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks/0/element/options]",
    ]);
  });

  it("accepts a placeholder of 150 characters and refuses 151", async () => {
    expect((await open([textInput({ placeholder: plain("x".repeat(150)) })])).ok).toBe(true);
    expect(await explained(open([textInput({ placeholder: plain("x".repeat(151)) })]))).toEqual([
      "invalid_arguments",
      "[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/placeholder/text]",
    ]);
  });

  it("accepts an initial_value as long as the input's max_length and refuses a longer one", async () => {
    expect((await open([textInput({ max_length: 10, initial_value: "x".repeat(10) })])).ok).toBe(true);
    expect(await explained(open([textInput({ max_length: 10, initial_value: "x".repeat(11) })]))).toEqual([
      "invalid_arguments",
      "[ERROR] must be less than 11 characters [json-pointer:/view/blocks/0/element/initial_value]",
    ]);
  });

  it("refuses a max_length over 3000", async () => {
    expect(await explained(open([textInput({ max_length: 3001 })]))).toEqual([
      "invalid_arguments",
      "[ERROR] must be no more than 3000 [json-pointer:/view/blocks/0/element/max_length]",
    ]);
  });

  it("counts lengths in UTF-16 code units, as Slack does: an emoji is two", async () => {
    // 75 emoji are 150 units: as many as the input takes; one more is refused though it is 76 characters.
    expect((await open([textInput({ max_length: 150, initial_value: "😀".repeat(75) })])).ok).toBe(true);
    expect(await platformErrorOf(open([textInput({ max_length: 150, initial_value: "😀".repeat(76) })]))).toBe("invalid_arguments");
    expect(await platformErrorOf(post(buttons(button({ text: plain("😀".repeat(38)) }))))).toBe("invalid_blocks");
  });

  it.each(["chat.postMessage", "chat.postEphemeral"])("refuses an input block in %s with invalid_blocks", async (method) => {
    expect(await explained(post([textInput({})], method))).toEqual([
      "invalid_blocks",
      "[ERROR] input blocks are only allowed in modals and Home tabs [json-pointer:/blocks/0/type]",
    ]);
  });
});

describe("faults", () => {
  it("answers a scripted error as ok:false with its extra fields", async () => {
    emu.fail("chat.postMessage", { kind: "error", error: "is_archived", extra: { needed: "nothing" } });
    const data = await platformErrorDataOf(client().chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" }));
    expect(data).toMatchObject({ ok: false, error: "is_archived", needed: "nothing" });
    expect(emu.messages).toEqual([]);
  });

  it("fails only as many times as scripted, then answers normally", async () => {
    emu.fail("auth.test", { kind: "error", error: "fatal_error" }, { times: 2 });
    expect(await platformErrorOf(client().auth.test())).toBe("fatal_error");
    expect(await platformErrorOf(client().auth.test())).toBe("fatal_error");
    expect((await client().auth.test()).ok).toBe(true);
  });

  it("keeps failing forever with times: Infinity", async () => {
    emu.fail("auth.test", { kind: "error", error: "fatal_error" }, { times: Infinity });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await platformErrorOf(client().auth.test())).toBe("fatal_error");
    }
  });

  it("plays faults for one method in the order they were scripted", async () => {
    emu.fail("auth.test", { kind: "error", error: "first" });
    emu.fail("auth.test", { kind: "error", error: "second" });
    expect(await platformErrorOf(client().auth.test())).toBe("first");
    expect(await platformErrorOf(client().auth.test())).toBe("second");
  });

  it("applies a fault scripted for '*' to any method", async () => {
    emu.fail("*", { kind: "error", error: "service_unavailable" });
    expect(await platformErrorOf(client().users.info({ user: SLACK_SEED.alice }))).toBe("service_unavailable");
  });

  it("rejects a 429 with Retry-After as WebAPIRateLimitedError when the client rejects rate-limited calls", async () => {
    emu.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 7 });
    const error = await rejectionOf(client().chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ retryAfter: 7 });
  });

  it("succeeds on the second try when the client waits out a 1-second Retry-After", async () => {
    emu.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 1 });
    const patient = client({ rejectRateLimitedCalls: false, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const result = await patient.chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" });
    expect(result.ok).toBe(true);
    expect(emu.callsTo("chat.postMessage")).toHaveLength(2);
    expect(emu.messages).toHaveLength(1);
  });

  it("surfaces a scripted 500 as WebAPIHTTPError with status 500", async () => {
    emu.fail("views.open", { kind: "http", status: 500 });
    const error = await rejectionOf(client().views.open({ trigger_id: emu.triggerId(), view: modal() }));
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(error).toMatchObject({ statusCode: 500 });
    expect(emu.views).toEqual([]);
  });

  it("answers after a delay shorter than the client timeout", async () => {
    emu.fail("auth.test", { kind: "delay", ms: 50 });
    expect((await client({ timeout: 5_000 }).auth.test()).ok).toBe(true);
  });

  it("does the work before a slow answer, so a client that times out has still posted", async () => {
    await withOwnEmulator(async (own) => {
      own.fail("chat.postMessage", { kind: "delay", ms: 1_000 });
      const error = await rejectionOf(
        clientFor(own, { timeout: 100 }).chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" }),
      );
      expect(error).toBeInstanceOf(WebAPIRequestError);
      // The call may reach the emulator after the client gave up, on a busy machine: the work is done when it does.
      await expect.poll(() => own.messages.length).toBe(1);
    });
  });

  it("adds latencyMs to every answer until reset", async () => {
    await withOwnEmulator(async (own) => {
      own.latencyMs = 1_000;
      expect(await rejectionOf(clientFor(own, { timeout: 100 }).auth.test())).toBeInstanceOf(WebAPIRequestError);
      own.reset();
      // Without a timeout: on a busy machine even a prompt answer can take longer than the 100 ms above.
      expect((await clientFor(own).auth.test()).ok).toBe(true);
    });
  });

  it("never answers a hung call, so the client's timeout fires", async () => {
    await withOwnEmulator(async (own) => {
      own.fail("auth.test", { kind: "hang" });
      expect(await rejectionOf(clientFor(own, { timeout: 100 }).auth.test())).toBeInstanceOf(WebAPIRequestError);
      // The hung call reached the emulator (on a busy machine, maybe after the client gave up): the next one is answered.
      await expect.poll(() => own.callsTo("auth.test").length).toBe(1);
      expect((await clientFor(own).auth.test()).ok).toBe(true);
    });
  });

  it("closes while a call hangs, failing that call", async () => {
    const other = await startSlackEmulator();
    other.fail("auth.test", { kind: "hang" });
    const hanging = rejectionOf(clientFor(other).auth.test());
    await waitFor(() => other.calls.length === 1);
    await other.close();
    expect(await hanging).toBeInstanceOf(WebAPIRequestError);
  });

  it("resets the connection, which the client reports as a request error, without doing the work", async () => {
    emu.fail("chat.postMessage", { kind: "drop" });
    const error = await rejectionOf(client().chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" }));
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(error).toMatchObject({ original: { cause: { code: "ECONNRESET" } } });
    expect(emu.callsTo("chat.postMessage")).toHaveLength(1);
    expect(emu.messages).toEqual([]);
  });

  it("refuses a times that is not a positive count", () => {
    expect(() => emu.fail("auth.test", { kind: "hang" }, { times: 0 })).toThrow(RangeError);
  });

  it("counts a hung call's connection until the client aborts it", async () => {
    await withOwnEmulator(async (own) => {
      own.fail("auth.test", { kind: "hang" });
      const abort = new AbortController();
      const hanging = rejectionOf(fetch(`${own.apiUrl}auth.test`, { method: "POST", signal: abort.signal }));
      await waitFor(() => own.hangingConnections() === 1);
      abort.abort();
      expect(await hanging).toMatchObject({ name: "AbortError" });
      await waitFor(() => own.hangingConnections() === 0);
    });
  });
});

describe("response_url", () => {

  it("records JSON posted to a response_url, in order, with when it arrived", async () => {
    const first = emu.responseUrl();
    const second = emu.responseUrl();
    expect(first).not.toBe(second);
    expect((await postJson(first, { text: "Saved", replace_original: true })).status).toBe(200);
    await postJson(second, { text: "Again" });
    expect(emu.responses).toEqual([
      { url: first, body: { text: "Saved", replace_original: true }, at: expect.any(Number) },
      { url: second, body: { text: "Again" }, at: expect.any(Number) },
    ]);
    expect(emu.responses[0]!.at).toBeLessThanOrEqual(emu.responses[1]!.at);
  });

  it("answers 404 for a response_url it never handed out", async () => {
    const response = await postJson(`${emu.origin}/actions/T0TEAM/1/forged`, { text: "Hi" });
    expect(response.status).toBe(404);
    expect(emu.responses).toEqual([]);
  });

  it("answers a scripted redirect with its status and Location, doing nothing", async () => {
    emu.fail("response_url", { kind: "redirect", location: "http://127.0.0.1:9/elsewhere" });
    const response = await fetch(emu.responseUrl(), { method: "POST", body: "{}", redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://127.0.0.1:9/elsewhere");
    expect(emu.responses).toEqual([]);
  });

  it("applies faults scripted for 'response_url'", async () => {
    emu.fail("response_url", { kind: "http", status: 503 });
    expect((await postJson(emu.responseUrl(), { text: "Hi" })).status).toBe(503);
    expect(emu.responses).toEqual([]);
  });
});

describe("reset and persistence", () => {
  it("reset forgets calls, messages, views, responses and faults but keeps added users and channels", async () => {
    emu.addUser({ id: "U0DAVE", realName: "Dave" });
    await client().chat.postMessage({ channel: SLACK_SEED.general, text: "Hi" });
    await client().views.open({ trigger_id: emu.triggerId(), view: modal() });
    await client().views.publish({ user_id: SLACK_SEED.alice, view: { type: "home", blocks: [section("Home")] } });
    await postJson(emu.responseUrl(), { text: "Hi" });
    emu.fail("users.info", { kind: "error", error: "fatal_error" });
    emu.reset();
    expect([emu.calls, emu.messages, emu.views, emu.homes, emu.responses]).toEqual([[], [], [], [], []]);
    expect((await client().users.info({ user: "U0DAVE" })).user?.real_name).toBe("Dave");
  });

  it("reloads users, channels, messages and views from statePath on the next start", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slack-emulator-"));
    const statePath = join(dir, "slack.json");
    try {
      let firstTs = "";
      await withEmulator({ statePath }, async (first) => {
        first.addUser({ id: "U0ERIN", realName: "Erin" });
        first.addChannel({ id: "C0TASKS", name: "tasks" });
        firstTs = (await clientFor(first).chat.postMessage({ channel: "C0TASKS", text: "Remember me" })).ts ?? "";
        await clientFor(first).views.open({ trigger_id: first.triggerId(), view: modal("Kept") });
        await clientFor(first).views.publish({ user_id: SLACK_SEED.alice, view: { type: "home", blocks: [section("Kept home")] } });
      });
      await withEmulator({ statePath }, async (second) => {
        expect(second.messages).toEqual([expect.objectContaining({ channel: "C0TASKS", text: "Remember me" })]);
        expect(second.views.map((view) => view.view.title)).toEqual([plain("Kept")]);
        expect(second.homeView(SLACK_SEED.alice)?.view.blocks).toEqual([section("Kept home")]);
        expect((await clientFor(second).users.info({ user: "U0ERIN" })).user?.real_name).toBe("Erin");
        const next = await clientFor(second).chat.postMessage({ channel: "C0TASKS", text: "Later" });
        expect(Number(next.ts)).toBeGreaterThan(Number(firstTs));
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps a person's message from postUserMessage, with its author and thread, like any post", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slack-emulator-"));
    const statePath = join(dir, "slack.json");
    try {
      await withEmulator({ statePath }, async (first) => {
        const asked = first.postUserMessage({ channel: SLACK_SEED.general, author: SLACK_SEED.bob, text: "Can someone fix the login?" });
        const reply = first.postUserMessage({ channel: SLACK_SEED.general, author: SLACK_SEED.alice, text: "On it", thread_ts: asked.ts });
        expect(Number(reply.ts)).toBeGreaterThan(Number(asked.ts));
        const link = await clientFor(first).chat.getPermalink({ channel: SLACK_SEED.general, message_ts: reply.ts });
        expect(link.permalink).toContain(`?thread_ts=${asked.ts}`);
        expect(() => first.postUserMessage({ channel: "C0NOWHERE", author: SLACK_SEED.bob, text: "x" })).toThrow("no channel C0NOWHERE");
      });
      await withEmulator({ statePath }, async (second) => {
        expect(second.messages).toEqual([
          expect.objectContaining({ kind: "message", author: SLACK_SEED.bob, text: "Can someone fix the login?" }),
          expect.objectContaining({ author: SLACK_SEED.alice, thread_ts: second.messages[0]!.ts }),
        ]);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("listens on the port it is given", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    await withEmulator({ port }, async (other) => {
      expect(other.apiUrl).toBe(`http://127.0.0.1:${port}/api/`);
      const answer = await fetch(`${other.apiUrl}auth.test`, { method: "POST" });
      expect(await answer.json()).toEqual({ ok: false, error: "not_authed" });
    });
  });

});

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
