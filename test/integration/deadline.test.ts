/**
 * One deadline per request, measured from its arrival, that every call on the acknowledgement path
 * draws from (src/serve.ts; DEFAULT_ACK_DEADLINE_MS). Proven by cause, not by stopwatch: the
 * handlers run on a clock the test moves while the request's body is being read, as if the body had
 * taken that long to arrive, and what the bot then does (or no longer does) shows what it had left.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InvocationContext } from "../../src/handlers.js";
import { DEFAULT_ACK_DEADLINE_MS } from "../../src/runtime.js";
import { SLACK_TIMEOUT_MS } from "../../src/platforms/slack/client.js";
import { startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { readAnswer, signedHeaders } from "../../dev/signed-request.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../../dev/slack-payloads.js";

const START = Date.UTC(2026, 10, 30, 12, 0, 0);
/** The handlers' clock: it moves only when a request's body is read (below). */
let clock = START;
let h: Harness;
const pending: Promise<unknown>[] = [];
const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ now: () => clock, ...options });
  return h;
}
beforeEach(() => {
  clock = START;
});
afterEach(async () => {
  await settle();
  await h?.close();
});

async function settle(): Promise<void> {
  while (pending.length > 0) await Promise.allSettled(pending.splice(0));
  await h?.settle();
}

/** A signed request whose body takes `ms` to arrive by the handlers' clock: the clock moves when the handler reads it. */
function arrivingOver(ms: number, path: "commands" | "interactions", body: string): Request {
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        clock += ms;
        controller.enqueue(bytes);
        controller.close();
      },
    },
    // Nothing is read before the handler asks: the request arrives when the handler starts.
    { highWaterMark: 0 },
  );
  const init = { method: "POST", headers: signedHeaders(body, { timestamp: Math.floor(clock / 1000) }), body: stream, duplex: "half" };
  return new Request(`http://localhost/slack/${path}`, init as RequestInit);
}

function requestLine(): Record<string, unknown> | undefined {
  return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).findLast((line) => line.event === "request");
}

describe("the acknowledgement deadline, measured from the request's arrival", () => {
  it("is shorter than one Slack call's own timeout, so a call cannot spend Slack's 3 s by itself", () => {
    expect(DEFAULT_ACK_DEADLINE_MS).toBeLessThan(SLACK_TIMEOUT_MS);
    // What Slack's 3 s leave around the handler: see docs/security.md, "One deadline per request".
    expect(3_000 - DEFAULT_ACK_DEADLINE_MS).toBe(1_000);
  });

  it("a /task whose body took the whole deadline to arrive never calls views.open, and says to try again", async () => {
    await start();
    const body = slashCommandBody({ text: "Fix login", triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() });
    const answer = await readAnswer(await h.commands(arrivingOver(DEFAULT_ACK_DEADLINE_MS, "commands", body), context));
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: expect.stringMatching(/took too long/) });
    expect(h.slack.callsTo("views.open")).toEqual([]);
    expect(requestLine()).toMatchObject({ outcome: "failed", error_code: "timeout" });
  });

  it("with Slack's API never answering, /task's one views.open is aborted at what is left of the deadline, not at its own timeout", async () => {
    // Only the deadline can end this call: its own timeout is ten minutes, and the emulator never answers.
    await start({ slackTimeoutMs: 600_000 });
    h.slack.fail("views.open", { kind: "hang" }, { times: Infinity });
    const body = slashCommandBody({ text: "Fix login", triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() });
    // 1.5 s left: real time, since the acknowledgement waits on a real timer, and with 100 ms a busy
    // machine did not reach views.open (the Slack client's first load) before the answer.
    const answer = await readAnswer(await h.commands(arrivingOver(DEFAULT_ACK_DEADLINE_MS - 1_500, "commands", body), context));
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: expect.stringMatching(/took too long/) });
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
    // The emulator saw the call's connection closed: aborted, not left open.
    await vi.waitFor(() => expect(h.slack.hangingConnections()).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it("/task list whose body took the whole deadline is acknowledged at once; the list follows through response_url", async () => {
    await start();
    const responseUrl = h.slack.responseUrl();
    const body = slashCommandBody({ text: "list", triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl });
    const answer = await readAnswer(await h.commands(arrivingOver(DEFAULT_ACK_DEADLINE_MS, "commands", body), context));
    expect(answer).toMatchObject({ status: 200, text: "" });
    await settle();
    expect(h.slack.responses).toEqual([{ url: responseUrl, body: expect.objectContaining({ response_type: "ephemeral" }), at: expect.any(Number) }]);
  });

  it("a submission whose body took the whole deadline makes no store request before answering, says it is saving, and saves once", async () => {
    await start();
    const view = await h.openTaskModal();
    const storeRequests = h.blobs.requests.length;
    const body = interactionBody(viewSubmission({ view, values: taskModalValues({ title: "Late but saved" }) }));
    const answer = await readAnswer(await h.interactions(arrivingOver(DEFAULT_ACK_DEADLINE_MS, "interactions", body), context));
    // At the answer: the claim was given no time, so the store was not asked, and the save goes on after.
    expect(h.blobs.requests.length).toBe(storeRequests);
    expect(answer.json).toMatchObject({ response_action: "update", view: { title: { text: "New task" } } });
    expect(JSON.stringify(answer.json)).toContain("Saving");
    await settle();
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });
});
