/**
 * One page per modal across instances (features/task-request/save-once.ts): submissions of one view
 * handled by two handlers (two instances) sharing one store, on a board without a Request ID.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FAULTED_TIMEOUT_MS, HEALTHY_TIMEOUT_MS, startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED, type OpenedView } from "../../dev/slack-emulator.js";
import { signedRequest } from "../../dev/signed-request.js";
import { interactionBody, taskModalValues, viewSubmission } from "../../dev/slack-payloads.js";
import { createSlackInteractionsHandler, type InvocationContext } from "../../src/handlers.js";
import { claimKey, createClaims } from "../../src/store/claims.js";
import { SAVE_LEASE_MS } from "../../src/features/task-request/save-once.js";
import { virtualClock } from "../../dev/virtual-clock.js";

let h: Harness;
afterEach(async () => h?.close());

/** A board as many teams have it: no Request ID property, so only the store (and the mark in a page's body) tells two saves apart. */
async function start(options: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness({ schema: { "Request ID": null }, ...options });
  return h;
}


/**
 * A second instance: its own runtime (memory, clients), the same store and emulators. It waits on
 * real timers: its polls of the store race the first instance's real save. Its store calls get the
 * harness's HEALTHY_TIMEOUT_MS: the store's own 800 ms, outlasted on a busy machine, would turn a claim
 * into the fallback without one.
 */
function secondInstance(options: { ackDeadlineMs?: number } = {}) {
  const handler = createSlackInteractionsHandler({ env: h.env, blobs: h.blobs.connection, logSink: (line) => h.logs.push(line), storeTimeoutMs: HEALTHY_TIMEOUT_MS, ...options });
  const pending: Promise<unknown>[] = [];
  const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
  return {
    async submit(view: OpenedView, title: string) {
      const response = await handler(signedRequest(interactionBody(viewSubmission({ view, values: taskModalValues({ title }) }))), context);
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    },
    settle: async () => {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
  };
}

/**
 * The acknowledgement's deadline for a test whose subject is not that deadline: a save, its look-ups
 * and the answer took over the production 2 s on a busy two-core machine (load 20 and more), and the
 * answer was then the deadline's "saving" notice (tested on its own below), not the outcome under test.
 */
const UNHURRIED_ACK_MS = 30_000;

const compact = (id: string) => id.replaceAll("-", "");

describe("one page per modal, on any instance", () => {
  it("a submission replayed on another instance after the first saved answers with the first page's link and saves nothing", async () => {
    await start();
    const view = await h.openTaskModal();
    const first = await h.submitTaskModal(view, { title: "Saved once" });
    expect(first.json).toEqual({ response_action: "clear" });
    await h.settle();
    const confirmations = h.slack.responses.length;

    const other = secondInstance();
    const second = await other.submit(view, "Saved once");
    await other.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(second.json).toMatchObject({ response_action: "update" });
    expect(JSON.stringify(second.json)).toContain(compact(pages[0]!.id));
    expect(JSON.stringify(second.json)).toContain("already on the board");
    // The replay repeats no deferred work: no second confirmation.
    expect(h.slack.responses).toHaveLength(confirmations);
  });

  it("a submission arriving while the first one's save is under way waits for it, within its deadline, and shows its link", async () => {
    await start();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "delay", ms: 300 });
    const creating = h.submitTaskModal(view, { title: "Raced" });
    // The second press comes once the first has claimed the view and reached Notion; its deadline has
    // room for the first save's 300 ms and the polls after it on a busy machine.
    await expect.poll(() => h.notion.requestsTo("pages.create").length).toBe(1);
    const second = await secondInstance({ ackDeadlineMs: 5_000 }).submit(view, "Raced");
    expect((await creating).json).toEqual({ response_action: "clear" });
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(JSON.stringify(second.json)).toContain(compact(pages[0]!.id));
  });

  it("past its deadline, the second submission says saving, and its modal gets the link when the first save lands", async () => {
    await start();
    const view = await h.openTaskModal();
    // The first save is held in Notion until the second submission has answered: its deadline (the
    // production one, room for its own claim on a busy machine) passes while the save is under way.
    h.notion.fail("pages.create", { kind: "delay" });
    const creating = h.submitTaskModal(view, { title: "Slow race" });
    await expect.poll(() => h.notion.requestsTo("pages.create").length).toBe(1);
    // This instance's deadline passes while the first save is still in Notion: "saving", then the link.
    const other = secondInstance();
    const second = await other.submit(view, "Slow race");
    expect(JSON.stringify(second.json)).toContain("Saving");
    expect(h.notion.releaseHeld()).toBe(1);
    await creating;
    await h.settle();
    await other.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    const updated = h.slack.callsTo("views.update").map((call) => JSON.stringify(call.args));
    // The second submission's own update, which followed the first's claim (the first's says "is on the board").
    expect(updated.some((update) => update.includes(compact(pages[0]!.id)) && update.includes("was already on the board"))).toBe(true);
  });

  it("a save that failed frees its claim: pressing Create task again saves, once", async () => {
    await start();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "error", status: 500, code: "internal_server_error" });
    const first = await h.submitTaskModal(view, { title: "Second time lucky" });
    expect(first.json).toMatchObject({ response_action: "errors" });
    expect((await h.store.list("claims/")).keys).toEqual([]);
    const again = await secondInstance().submit(view, "Second time lucky");
    expect(again.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("a save that went unconfirmed, pressed again on another instance, is found there and confirmed and announced by it, once", async () => {
    // Once the create has gone out, Notion's queries fail too: the first instance cannot tell whether it saved.
    const failingQueries: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/v1/pages") && init?.method === "POST") h.notion.fail("dataSources.query", { kind: "http", status: 503 }, { times: 3 });
      return fetch(input, init);
    };
    await start({ fetch: failingQueries, env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general }, ackDeadlineMs: UNHURRIED_ACK_MS });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "http", status: 502, commitFirst: true });
    const first = await h.submitTaskModal(view, { title: "Found elsewhere" });
    expect(JSON.stringify(first.json)).toMatch(/can't tell whether/);
    await h.settle();

    // The claim was freed, and the other instance has no memory of the first save: only the board has the page.
    const other = secondInstance({ ackDeadlineMs: UNHURRIED_ACK_MS });
    expect((await other.submit(view, "Found elsewhere")).json).toEqual({ response_action: "clear" });
    await other.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    const announced = h.slack.messages.filter((m) => m.channel === SLACK_SEED.general && m.text.includes("Found elsewhere"));
    expect(announced).toHaveLength(1);
    expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toMatch(/Task created.*is on the board/);
  });

  it("keeps ids only in the store: the claim names the page by id, never the title a person typed", async () => {
    await start();
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "A private matter" });
    await h.settle();
    const [key] = (await h.store.list("claims/")).keys;
    expect(key).toBe(claimKey(`view:${view.id}`, Date.now()));
    const record = await h.store.read<Record<string, unknown>>(key!);
    expect(JSON.stringify(record?.value)).not.toContain("private");
    expect(record?.value).toMatchObject({ state: "done", result: { pageId: h.notion.pages(h.board.dataSourceId)[0]!.id } });
  });

  it("without the store, saves as before (and says store.unavailable in the log): the person sees no difference", async () => {
    await start({ schema: {} });
    h.blobs.fail({ kind: "status", status: 503 }, { times: Infinity });
    const view = await h.openTaskModal();
    const answer = await h.submitTaskModal(view, { title: "No store today" });
    expect(answer.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    expect(h.logs.join("\n")).toMatch(/"event":"store.unavailable".*"fallback":"board_lookup"/);
  });
});

describe("a claim whose holder stopped without saving never holds a person's task hostage", () => {
  it("a second submission whose earlier save failed (and freed its claim) while it waited saves the task itself", async () => {
    await start({ notionTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    // The first save never hears back from Notion and gives up at its timeout, freeing its claim.
    h.notion.fail("pages.create", { kind: "hang" });
    const first = h.submitTaskModal(view, { title: "Saved by the second" });
    await expect.poll(() => h.notion.requestsTo("pages.create").length).toBe(1);
    // This submission comes while the first one's save is under way, and waits for it.
    const second = await secondInstance({ ackDeadlineMs: 5_000 }).submit(view, "Saved by the second");
    expect((await first).json).toMatchObject({ response_action: "errors" });
    expect(second.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("after saying saving, a second submission saves the task itself once the earlier claim's lease has run out without a page", async () => {
    const clock = virtualClock(Date.parse("2026-11-25T12:00:00Z"));
    await start({ now: clock.now, sleep: clock.sleep });
    const view = await h.openTaskModal();
    // An instance claimed this modal and stopped (a crash, a timeout of the whole function): no page, no release.
    const stale = await createClaims(h.store).claim(`view:${view.id}`, { now: clock.now(), leaseMs: SAVE_LEASE_MS, horizonMs: 86_400_000 });
    expect(stale.kind).toBe("won");
    const answer = await h.submitTaskModal(view, { title: "Not held hostage" });
    expect(JSON.stringify(answer.json)).toContain("Saving");
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    const updates = h.slack.callsTo("views.update").map((call) => JSON.stringify(call.args));
    expect(updates.some((update) => update.includes(compact(pages[0]!.id)) || update.includes("Not held hostage"))).toBe(true);
  });
});

describe("a claim written although its answer came too late", () => {
  it("is freed when the fallback save fails, so pressing Create task again saves at once", async () => {
    await start({ storeTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    // The store takes the claim but never answers: the bot gives up on it; Notion then refuses the save.
    h.blobs.fail({ kind: "late" }, { method: "PUT" });
    h.notion.fail("pages.create", { kind: "error", status: 500, code: "internal_server_error" });
    const first = await h.submitTaskModal(view, { title: "Try me again" });
    expect(first.json).toMatchObject({ response_action: "errors" });
    await h.settle();
    const again = await h.submitTaskModal(view, { title: "Try me again" });
    expect(again.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("records the fallback save's page, so a later submission of the modal gets its link", async () => {
    await start({ storeTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    h.blobs.fail({ kind: "late" }, { method: "PUT" });
    expect((await h.submitTaskModal(view, { title: "Saved without the store" })).json).toEqual({ response_action: "clear" });
    await h.settle();
    const replay = await secondInstance().submit(view, "Saved without the store");
    expect(JSON.stringify(replay.json)).toContain(compact(h.notion.pages(h.board.dataSourceId)[0]!.id));
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });
});
