/**
 * Nothing doubled on any instance (the store): through netlify dev, which loads the functions
 * afresh for every request, so each request below is its own instance, sharing only the CLI's local
 * Blobs server. The board has no Request ID property: the store alone keeps each promise.
 */
import { describe, expect, it } from "vitest";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";
import { interactionBody, messageAction, slackMessage, taskModalValues, viewSubmission } from "../../../dev/slack-payloads.js";
import { stack } from "../stack.js";
import { confirmedPage, openTaskModal, pagesTitled, submissionAnswers } from "./slack-endpoints.js";

/** The page's id as it appears in its URLs: 32 hex digits. */
const compactId = (id: string) => id.replaceAll("-", "");

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("memory across instances, through netlify dev", () => {
  it("the same submission sent twice leaves one page, and both answers carry its link", async () => {
    const { slack, post } = stack();
    const title = "Sent twice through netlify dev";
    const view = await openTaskModal(title);
    const body = interactionBody(viewSubmission({ view, values: taskModalValues({ title }) }));
    const first = await post("/slack/interactions", body);
    const second = await post("/slack/interactions", body);
    // The first closes the modal, or (its save past the 2 s deadline on a busy machine) says it is saving.
    expect(submissionAnswers(title)).toContainEqual(first.json);
    const id = await confirmedPage(title);
    // The second answers with the first's link. On a busy machine it may come later: the first's save
    // still under way at the second's deadline (the saving notice, then the link in the modal), or the
    // claim not read by then (the modal closed, the board found to hold the page, and the link told).
    const alreadyOnBoard = (said: unknown) => JSON.stringify(said).includes(id) && JSON.stringify(said).includes("was already on the board");
    if (!alreadyOnBoard(second.json)) {
      expect(submissionAnswers(title)).toContainEqual(second.json);
      const inModal = () => slack.callsTo("views.update").some((call) => call.args.view_id === view.id && alreadyOnBoard(call.args));
      await waitFor(() => inModal() || slack.responses.some((response) => alreadyOnBoard(response.body)), "the second submission's link");
    }
    expect(pagesTitled(title)).toHaveLength(1);
  });

  it("two submissions of one view racing while Notion is still saving leave one page, and both modals get its link", async () => {
    const { slack, notion, post } = stack();
    const title = "Raced through netlify dev";
    const view = await openTaskModal(title);
    const body = interactionBody(viewSubmission({ view, values: taskModalValues({ title }) }));
    // Notion holds the first save until both submissions have answered: the race is the test's to
    // order, not a delay a busy machine (netlify dev starts a fresh worker per request) can outrun.
    notion.fail("pages.create", { kind: "delay" });
    const creates = notion.requestsTo("pages.create").length;
    const first = post("/slack/interactions", body);
    // The second press comes while the first one's save is under way in Notion.
    await waitFor(() => notion.requestsTo("pages.create").length > creates, "the first save to reach Notion");
    const second = await post("/slack/interactions", body);
    const firstAnswer = await first;
    // Both deadlines passed while the save was held: each says it is saving, neither saved again.
    expect(JSON.stringify(firstAnswer.json)).toContain("Saving");
    expect(JSON.stringify(second.json)).toContain("Saving");
    expect(notion.releaseHeld()).toBe(1);
    await waitFor(() => pagesTitled(title).length > 0, "the held save to land");
    const id = compactId(pagesTitled(title)[0]!.id);
    // The first's confirmation, and the second modal (which followed the first's claim), carry its link.
    await waitFor(() => slack.responses.some((response) => JSON.stringify(response.body).includes(id)), "the first submission's confirmation");
    const followed = (update: string) => update.includes(id) && update.includes("was already on the board");
    await waitFor(() => slack.callsTo("views.update").some((call) => call.args.view_id === view.id && followed(JSON.stringify(call.args))), "the second submission's link in the modal");
    expect(pagesTitled(title)).toHaveLength(1);
    expect(notion.requestsTo("pages.create")).toHaveLength(creates + 1);
  });

  it("two clicks of Remind of process on one message post one reminder", async () => {
    const { slack, post } = stack();
    const message = slackMessage({ ts: "1770000000.000100", user: SLACK_SEED.alice, text: "can someone fix the export? (e2e)" });
    for (const user of [SLACK_SEED.bob, SLACK_SEED.alice]) {
      const answer = await post("/slack/interactions", interactionBody(messageAction({ callbackId: "remind_process", user, message, triggerId: slack.triggerId(user), responseUrl: slack.responseUrl() })));
      expect(answer.status).toBe(200);
    }
    const inThread = () => slack.messages.filter((posted) => posted.kind === "message" && posted.thread_ts === "1770000000.000100");
    await waitFor(() => slack.responses.some((response) => /already posted this reminder/.test(String(response.body.text))), "the second clicker to be told");
    expect(inThread()).toHaveLength(1);
  });

  it("two weekly runs in one week post one digest", async () => {
    const { slack, runSchedule } = stack();
    const digests = () => slack.messages.filter((posted) => posted.kind === "message" && posted.channel === SLACK_SEED.general && posted.text.startsWith("Weekly review"));
    // netlify dev answers a scheduled function's manual run with its own text; the function's log line says what it did.
    const outcomes = () => [...stack().dev.output().matchAll(/"event":"request"[^\n]*"callback_id":"weekly-review"[^\n]*"outcome":"(\w+)"/g)].map((match) => match[1]);
    const before = outcomes().length;
    expect((await runSchedule("weekly-reminder")).status).toBe(200);
    expect((await runSchedule("weekly-reminder")).status).toBe(200);
    await waitFor(() => outcomes().length >= before + 2, "both runs' log lines");
    expect(outcomes().slice(before)).toEqual(["posted", "already_posted"]);
    expect(digests()).toHaveLength(1);
  });
});
