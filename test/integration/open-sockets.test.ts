/**
 * A call that times out is aborted, not abandoned: its socket is closed at the deadline, for Notion,
 * Slack's Web API, a response_url and the store alike. Each test makes a service hang (it never
 * answers, and keeps the connection open for as long as the client does), lets the bot time out,
 * and counts the connections the hang still holds: a client that only stopped waiting leaves them
 * open until the emulator closes (five of them 20 s later, in the issue); an abort closes them at once.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { FAULTED_TIMEOUT_MS, startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { messageAction } from "../../dev/slack-payloads.js";

let h: Harness;
afterEach(async () => h?.close());

/** The abort's FIN reaches the emulator a moment after the client gives up: wait for it, up to 5 s (never 20). */
async function expectClosed(hung: () => number): Promise<void> {
  await vi.waitFor(() => expect(hung()).toBe(0), { timeout: 5_000, interval: 10 });
}

describe("no socket outlives its timeout", () => {
  it("five /task list calls against a Notion that never answers leave no connection open", async () => {
    h = await startHarness({ notionTimeoutMs: 200, ackDeadlineMs: 50 });
    for (const route of ["databases.retrieve", "dataSources.retrieve", "dataSources.query"] as const) h.notion.fail(route, { kind: "hang" }, { times: Infinity });
    for (let call = 0; call < 5; call++) {
      const answer = await h.command("list");
      expect(answer).toMatchObject({ status: 200, text: "" });
      // One after the other, as five people would: each reads the board afresh.
      await h.settle();
    }
    // Five lists, each told later that Notion took too long; each left a hung request behind.
    expect(h.slack.responses.map((response) => response.body.text)).toEqual(Array.from({ length: 5 }, () => expect.stringMatching(/Notion took too long/)));
    expect(h.notion.requests.length).toBeGreaterThanOrEqual(5);
    await expectClosed(() => h.notion.hangingConnections());
  });

  it("/task with Slack's views.open never answering: the one call is aborted, its connection closed", async () => {
    // The handlers' clock stands still, so the deadline ends only the call that waits on it: views.open
    // is reached however busy the machine is, and the hang outlasts what is left (800 ms of real time).
    const now = Date.now();
    h = await startHarness({ ackDeadlineMs: FAULTED_TIMEOUT_MS, now: () => now });
    h.slack.fail("views.open", { kind: "hang" });
    const answer = await h.command("Fix login");
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: expect.stringMatching(/took too long/) });
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
    await expectClosed(() => h.slack.hangingConnections());
  });

  it("a response_url that never answers is aborted at the Slack timeout, and the person answered another way", async () => {
    h = await startHarness({ slackTimeoutMs: FAULTED_TIMEOUT_MS, ackDeadlineMs: 50 });
    h.notion.fail("dataSources.query", { kind: "delay", ms: 300 }, { times: Infinity });
    h.slack.fail("response_url", { kind: "hang" });
    await h.command("list");
    await h.settle();
    expect(h.slack.messages).toEqual([expect.objectContaining({ kind: "ephemeral", user: SLACK_SEED.alice, channel: SLACK_SEED.general })]);
    await expectClosed(() => h.slack.hangingConnections());
  });

  it("a store that never answers: claims on the acknowledgement path and after it are aborted, and the work still done once", async () => {
    // FAULTED_TIMEOUT_MS: the set-up's own claims (opening the modal) are answered, and must fit too.
    h = await startHarness({ storeTimeoutMs: FAULTED_TIMEOUT_MS, ackDeadlineMs: 1_000 });
    const view = await h.openTaskModal();
    h.blobs.fail({ kind: "hang" }, { times: Infinity });
    // A submission claims within the request's deadline; a reminder claims after the acknowledgement.
    const submitted = await h.submitTaskModal(view, { title: "Saved without the store" });
    await h.interact(messageAction({ callbackId: "remind_process", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    expect(submitted.json?.response_action).toMatch(/^(clear|update)$/);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    expect(h.slack.messages.filter((message) => message.kind === "message" && message.thread_ts !== undefined)).toHaveLength(1);
    expect(h.logs.filter((line) => line.includes('"store.unavailable"')).length).toBeGreaterThanOrEqual(2);
    expect(h.blobs.requests.length).toBeGreaterThanOrEqual(2);
    await expectClosed(() => h.blobs.hangingConnections());
  });
});
