/**
 * The Events API through netlify dev: Slack's URL check, the Home tab of a person who asked for a
 * task with /task (and Slack's retry of that event doing nothing more), and a mention answered in
 * its thread. Carol is this flow's own person, so no other flow's tasks or Home tab meet hers.
 */
import { describe, expect, it } from "vitest";
import { JSON_CONTENT, sendSigned } from "../../../dev/signed-request.js";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";
import { appHomeOpened, appMention, eventBody, eventCallback, eventId, interactionBody, messageTs, taskModalValues, urlVerification, viewSubmission } from "../../../dev/slack-payloads.js";
import { stack } from "../stack.js";
import { confirmedPage, openTaskModal, pagesTitled, submissionAnswers } from "./slack-endpoints.js";

const CAROL = "U0CAROL";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function postEvent(payload: unknown, headers: Record<string, string> = {}) {
  return sendSigned(`${stack().dev.url}/slack/events`, eventBody(payload), { headers: { ...JSON_CONTENT, ...headers } });
}

/** Carol, known to Slack (the Home tab is published to a user Slack knows). */
function addCarol(): void {
  stack().slack.addUser({ id: CAROL, name: "carol", email: "carol@example.com" });
}

describe("netlify dev serves the Events API", () => {
  it("/slack/events: a signed url_verification gets its challenge back, an unsigned one 401", async () => {
    const signed = await postEvent(urlVerification("e2e-challenge-0123456789"));
    expect(signed).toMatchObject({ status: 200, text: "e2e-challenge-0123456789" });
    const unsigned = await fetch(`${stack().dev.url}/slack/events`, { method: "POST", headers: JSON_CONTENT, body: eventBody(urlVerification()) });
    expect(unsigned.status).toBe(401);
  });

  it("app_home_opened publishes the Home tab with the task the person asked for with /task; Slack's retry of the event publishes nothing more", async () => {
    const { slack, post, dev } = stack();
    addCarol();
    const title = "Home tab through netlify dev";
    const view = await openTaskModal(title, CAROL);
    const saved = await post("/slack/interactions", interactionBody(viewSubmission({ view, values: taskModalValues({ title }), user: CAROL })));
    // Closed, or the saving notice on a busy machine: either way the page and its confirmation follow.
    expect(submissionAnswers(title)).toContainEqual(saved.json);
    await confirmedPage(title);
    expect(pagesTitled(title)).toHaveLength(1);

    const event = eventCallback(appHomeOpened({ user: CAROL }), { eventId: eventId() });
    const answer = await postEvent(event);
    expect(answer).toMatchObject({ status: 200, text: "" });
    await waitFor(() => JSON.stringify(slack.homeView(CAROL)?.view.blocks ?? "").includes(title), "Carol's Home tab");
    const publishes = () => slack.callsTo("views.publish").filter((call) => call.args.user_id === CAROL).length;
    expect(publishes()).toBe(1);

    const retry = await postEvent(event, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    expect(retry).toMatchObject({ status: 200, text: "" });
    // The retry's own log line says it was a duplicate: nothing was handed on to do after the answer.
    const retryLine = () => dev.output().split("\n").find((line) => line.includes('"event":"request"') && line.includes(`"event_id":"${String(event.event_id)}"`) && line.includes('"retry_num":"1"'));
    await waitFor(() => retryLine() !== undefined, "the retry's log line");
    expect(retryLine()).toContain('"outcome":"duplicate"');
    expect(publishes()).toBe(1);
  });

  it("@chatops list answers in the thread", async () => {
    const { slack } = stack();
    addCarol();
    const ts = messageTs();
    const answer = await postEvent(eventCallback(appMention({ text: "list", user: CAROL, ts })));
    expect(answer).toMatchObject({ status: 200, text: "" });
    const inThread = () => slack.messages.filter((message) => message.kind === "message" && message.channel === SLACK_SEED.general && message.thread_ts === ts);
    await waitFor(() => inThread().length > 0, "the reply in the thread");
    expect(inThread()).toHaveLength(1);
    expect(inThread()[0]!.text).toMatch(/open tasks/);
  });
});
