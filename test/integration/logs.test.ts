/**
 * The function log: one structured "request" line per request and per scheduled run, with what a
 * person debugging needs, and never a secret or what a person typed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../../src/features/process-reminder/reminder-message.js";
import { TEST_NOTION_TOKEN, TEST_NOTION_WEBHOOK_SECRET, TEST_SLACK_TOKEN } from "../../dev/emulator-env.js";
import { FAULTED_TIMEOUT_MS, startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { signedRequest, TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { SLACK_SEED, type PostedMessage } from "../../dev/slack-emulator.js";
import { clickButton, interactionBody, messageAction, slackMessage } from "../../dev/slack-payloads.js";

let h: Harness;
afterEach(async () => h?.close());

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

type Line = Record<string, unknown>;

function lines(): Line[] {
  return h.logs.map((line) => JSON.parse(line) as Line);
}

function requestLines(): Line[] {
  return lines().filter((line) => line.event === "request");
}

/** Runs `action` and returns the one request line it wrote (after its deferred work). */
async function onlyRequestLine(action: () => Promise<unknown>): Promise<Line> {
  const before = requestLines().length;
  await action();
  await h.settle();
  const written = requestLines().slice(before);
  expect(written).toHaveLength(1);
  return written[0]!;
}


async function postReminder(): Promise<PostedMessage> {
  await h.interact(messageAction({ callbackId: "remind_process", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
  await h.settle();
  return h.slack.messages.find((message) => message.kind === "message")!;
}

const SLACK_FIELDS = { team: SLACK_SEED.teamId, request_id: expect.stringMatching(/\S/), duration_ms: expect.any(Number), status: 200 };

describe("one request line per request", () => {
  it("for a slash command: kind command, the command as callback id, team, user and the text's length", async () => {
    await start();
    const line = await onlyRequestLine(() => h.command("Fix the login page"));
    expect(line).toMatchObject({ ...SLACK_FIELDS, level: "info", kind: "command", callback_id: "/task", outcome: "ok", user: SLACK_SEED.alice, text_length: 18 });
  });

  it("for a modal submission: kind view_submission and the modal's callback id", async () => {
    await start();
    const view = await h.openTaskModal();
    const line = await onlyRequestLine(() => h.submitTaskModal(view, { title: "Ship it", description: "soon" }));
    expect(line).toMatchObject({ ...SLACK_FIELDS, kind: "view_submission", callback_id: "task_modal", outcome: "ok", user: SLACK_SEED.alice, text_length: 11 });
  });

  it("for a message shortcut: kind message_action and the shortcut's callback id", async () => {
    await start();
    const line = await onlyRequestLine(() => postReminder());
    expect(line).toMatchObject({ ...SLACK_FIELDS, kind: "message_action", callback_id: "remind_process", outcome: "ok", user: SLACK_SEED.bob });
  });

  it("for a button: kind block_actions and the action id", async () => {
    await start();
    const reminder = await postReminder();
    const click = clickButton(reminder, CREATE_TASK_FROM_REMINDER_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() });
    const line = await onlyRequestLine(() => h.interact(click));
    expect(line).toMatchObject({ ...SLACK_FIELDS, kind: "block_actions", callback_id: CREATE_TASK_FROM_REMINDER_ACTION, outcome: "ok", user: SLACK_SEED.bob });
  });

  it("for a scheduled run: kind schedule, with its outcome and duration", async () => {
    await start();
    const line = await onlyRequestLine(() => h.runWeeklyReview());
    expect(line).toMatchObject({ kind: "schedule", callback_id: "weekly-review", outcome: "posted", status: 200, request_id: expect.stringMatching(/\S/), duration_ms: expect.any(Number) });
  });

  it("gives each request its own id, carried by every line the request writes, deferred work included", async () => {
    await start();
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "Correlate me" });
    await h.settle();
    const ids = requestLines().map((line) => line.request_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const line of lines()) {
      // Board warnings belong to the warm instance, not to one request.
      if (line.event === "notion.board") continue;
      expect(ids).toContain(line.request_id);
    }
  });

  it("logs refused requests too: unsigned, and a payload it could not read", async () => {
    await start();
    const unsigned = await h.interactions(new Request("http://localhost/slack/interactions", { method: "POST", body: "payload=%7B%7D" }));
    expect(unsigned.status).toBe(401);
    await h.interactions(signedRequest(interactionBody({ type: "view_submission" })));
    expect(requestLines().map((line) => [line.outcome, line.status])).toEqual([
      ["missing_headers", 401],
      ["invalid_payload", 200],
    ]);
    expect(requestLines()[1]).toMatchObject({ problem: expect.stringMatching(/^\w/) });
  });
});

describe("attacker-sized values", () => {
  /** A line as the function log gets it, in bytes: the bound a log pipeline sees. */
  const LINE_BOUND_BYTES = 4_096;

  function expectEveryLineUnder(bytes: number): void {
    for (const line of h.logs) expect(Buffer.byteLength(line), line.slice(0, 200)).toBeLessThan(bytes);
  }

  it("a signed shortcut with a 1,000,000-character callback_id is an invalid payload, answered, and writes no line over 4 KB", async () => {
    await start();
    const payload = messageAction({ callbackId: "x".repeat(1_000_000), triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() });
    const line = await onlyRequestLine(() => h.interact(payload));
    expect(line).toMatchObject({ kind: "invalid", outcome: "invalid_payload", problem: "callback_id: too_big", status: 200 });
    expect(line.callback_id).toBeUndefined();
    // The shortcut's answer is shown to no one, so the person is told through its response_url.
    expect(h.slack.responses.map((response) => response.body.text)).toEqual([expect.stringMatching(/couldn't read what Slack sent/)]);
    expect(h.slack.calls).toEqual([]);
    expectEveryLineUnder(LINE_BOUND_BYTES);
  });

  it("a signed /task with a 1,000,000-character team_id gets a clear answer and writes no line over 4 KB", async () => {
    await start();
    const answer = await h.command("list", { team_id: "T".repeat(1_000_000) });
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: expect.stringMatching(/couldn't read/) });
    expect(requestLines()).toEqual([expect.objectContaining({ outcome: "invalid_payload", problem: "team_id: too_big" })]);
    expectEveryLineUnder(LINE_BOUND_BYTES);
  });

  it("ids within Slack's 255 but made of characters JSON escapes to six bytes still write short lines", async () => {
    await start();
    const payload = messageAction(
      { callbackId: "\u0000".repeat(255), user: { id: "\u0001".repeat(255), name: "\u0002".repeat(255) }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() },
      { team: { id: "\u0003".repeat(255) } },
    );
    const line = await onlyRequestLine(() => h.interact(payload));
    expect(line).toMatchObject({ kind: "message_action", outcome: "unknown_callback" });
    for (const field of ["callback_id", "team", "user"]) expect(Buffer.byteLength(JSON.stringify(line[field]))).toBeLessThanOrEqual(302);
    expectEveryLineUnder(LINE_BOUND_BYTES);
  });
});

describe("the request line of a failure", () => {
  it("carries the Notion error's code and cause when a submission is kept in the modal", async () => {
    await start();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "error", status: 500, code: "internal_server_error" });
    const line = await onlyRequestLine(() => h.submitTaskModal(view, { title: "Not yet" }));
    expect(line).toMatchObject({ kind: "view_submission", outcome: "kept_in_modal", failure: "task.save_failed", error_code: "unavailable", status: 200 });
    expect(line.error_cause).toMatch(/internal_server_error|Unexpected error/);
  });

  it("carries Slack's code and cause when the modal cannot open", async () => {
    await start();
    h.slack.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    const line = await onlyRequestLine(() => h.command(""));
    expect(line).toMatchObject({ kind: "command", outcome: "failed", failure: "slack.views_open_failed", error_code: "expired_trigger_id" });
    expect(line.error_cause).toMatch(/expired_trigger_id/);
  });

  it("carries what failed in a scheduled run, with Slack's code and cause", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "error", error: "not_in_channel" });
    const line = await onlyRequestLine(() => h.runWeeklyReview());
    expect(line).toMatchObject({ kind: "schedule", outcome: "failed", failed: "slack", error_code: "not_in_channel", status: 500 });
    expect(line.error_cause).toMatch(/not_in_channel/);
  });

  it("names the request's kind, callback id, team and user on a failure in deferred work", async () => {
    await start({ ackDeadlineMs: 100, notionTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "hang" });
    h.slack.fail("chat.postMessage", { kind: "error", error: "cannot_dm_bot" });
    h.slack.fail("response_url", { kind: "http", status: 404 });
    // The form carries its channel since the chat port: the ephemeral is a road too, and must fail as well.
    h.slack.fail("chat.postEphemeral", { kind: "error", error: "channel_not_found" });
    await h.submitTaskModal(view, { title: "Nowhere to send" });
    await h.settle();
    const deferred = lines().find((line) => line.event === "deferred.failed");
    expect(deferred).toMatchObject({ kind: "view_submission", callback_id: "task_modal", team: SLACK_SEED.teamId, user: SLACK_SEED.alice, error_code: expect.any(String) });
    expect(deferred!.request_id).toBe(requestLines().at(-1)!.request_id);
  });
});

describe("what the log never holds", () => {
  /** Distinctive, with characters JSON escapes, in every field a person types into. */
  const typed = {
    command: "Zebra-striped command text \"quoted\" ünïcödé ✓",
    title: "Quokka title typed by Alice \t with a tab",
    description: "Narwhal description line one\nAxolotl line two <!channel> & more",
    message: "Pangolin message someone wrote in the channel",
  };

  /** Each value as the log could show it: raw, JSON-escaped, and line by line. */
  function shapes(value: string): string[] {
    const parts = [value, ...value.split("\n")].filter((part) => part.trim().length >= 4);
    return [...new Set(parts.flatMap((part) => [part, JSON.stringify(part).slice(1, -1)]))];
  }

  it("holds no token, no signing secret and no typed text, across successes and failures, only lengths", async () => {
    await start({ ackDeadlineMs: 300, notionTimeoutMs: FAULTED_TIMEOUT_MS, slackTimeoutMs: FAULTED_TIMEOUT_MS, env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    // A command that opens a prefilled modal, then a successful submission.
    let view = await h.openTaskModal(typed.command);
    await h.submitTaskModal(view, { title: typed.title, description: typed.description });
    // Notion refusing the task with a message that quotes what was typed, as its validation messages do.
    view = await h.openTaskModal();
    h.notion.fail("pages.create", {
      kind: "error",
      status: 400,
      code: "validation_error",
      message: `body.properties.Name.title[0].text.content should be shorter, instead was "${typed.title}". Also "${typed.description}"`,
    });
    await h.submitTaskModal(view, { title: typed.title, description: typed.description });
    // Notion refusing the token; Slack refusing the bot's.
    h.notion.fail("pages.create", { kind: "error", status: 401, code: "unauthorized" });
    await h.submitTaskModal(view, { title: typed.title, description: typed.description });
    h.slack.fail("views.open", { kind: "error", error: "invalid_auth" });
    await h.command(typed.command);
    // A save that never answers: the input is sent back by DM, and that DM fails too.
    h.notion.fail("pages.create", { kind: "hang" });
    await h.submitTaskModal(view, { title: typed.title, description: typed.description });
    await h.settle();
    // Shortcuts on a message with the text, and the reminder's button that carries it.
    const message = slackMessage({ text: typed.message });
    await h.interact(messageAction({ callbackId: "remind_process", message, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    const reminder = h.slack.messages.find((posted) => posted.kind === "message" && posted.thread_ts === message.ts)!;
    h.slack.fail("views.open", { kind: "http", status: 500 });
    await h.interact(clickButton(reminder, CREATE_TASK_FROM_REMINDER_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    h.slack.fail("chat.postMessage", { kind: "error", error: "not_in_channel" });
    await h.interact(messageAction({ callbackId: "remind_process", message: slackMessage({ text: typed.message }), triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.interact(messageAction({ callbackId: "create_task", message, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    // Notion: the handshake, whose token is the webhook secret, and a signed event about a saved task.
    await h.notion.sendHandshake();
    await h.notion.setStatus(h.notion.pages(h.board.dataSourceId)[0]!.id, "Done");
    await h.settle();

    const log = h.logs.join("\n");
    expect(log).toContain('"kind":"handshake"');
    expect(log).toContain('"callback_id":"page.properties_updated"');
    // The flows above did fail, and said so in the log.
    expect(log).toContain('"error_code":"invalid_request"');
    expect(log).toContain('"error_code":"unauthorized"');
    expect(log).toContain("input_sent_back");
    expect(log).toContain("[typed text]");
    for (const secret of [TEST_SLACK_TOKEN, TEST_NOTION_TOKEN, TEST_SIGNING_SECRET, TEST_NOTION_WEBHOOK_SECRET]) expect(log).not.toContain(secret);
    for (const [field, value] of Object.entries(typed)) {
      for (const shape of shapes(value)) expect(log, `${field}: ${shape}`).not.toContain(shape);
    }
    // Lengths instead.
    const lengths = requestLines().map((line) => line.text_length);
    expect(lengths).toContain(typed.command.length);
    expect(lengths).toContain(typed.title.length + typed.description.length);
    expect(lengths).toContain(typed.message.length);
  });
});
