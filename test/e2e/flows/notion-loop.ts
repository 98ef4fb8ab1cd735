/**
 * The status loop through netlify dev: Notion's handshake and signed events reach the real
 * notion-webhooks function, the requester hears back once, and the status buttons write to Notion.
 */
import { describe, expect, it } from "vitest";
import { imChannelIdFor, SLACK_SEED } from "../../../dev/slack-emulator.js";
import { clickEphemeralButton, interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../../../dev/slack-payloads.js";
import { COMPLETE_TASK_ACTION } from "../../../src/features/task-status/status-buttons.js";
import { buildSavingNotice } from "../../../src/features/task-request/modal.js";
import { renderSlackNotice } from "../../../src/platforms/slack/render-card.js";
import { stack } from "../stack.js";
import { pagesTitled } from "./slack-endpoints.js";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Alice's /task, submitted; resolves with the page and the confirmation that came through the
 * response_url. The submission's answer closes the modal, or, when the save outlasts the production
 * 2 s deadline (netlify dev starts a fresh worker per request; a busy machine took longer), is the
 * saving notice, the save finishing after it: the confirmation comes either way, and this loop's
 * subject is what follows it (the deadline's own answers are test/integration's).
 */
async function taskOfAlice(title: string) {
  const { slack, post } = stack();
  const triggerId = slack.triggerId(SLACK_SEED.alice);
  const responseUrl = slack.responseUrl();
  expect((await post("/slack/commands", slashCommandBody({ text: title, user: SLACK_SEED.alice, triggerId, responseUrl }))).status).toBe(200);
  const view = slack.views.find((opened) => opened.trigger_id === triggerId)!;
  const submitted = await post("/slack/interactions", interactionBody(viewSubmission({ view, values: taskModalValues({ title }) })));
  expect([{ response_action: "clear" }, { response_action: "update", view: renderSlackNotice(buildSavingNotice(title)) }]).toContainEqual(submitted.json);
  await waitFor(() => slack.responses.some((response) => response.url === responseUrl), `the confirmation of ${title}`);
  const confirmation = slack.responses.find((response) => response.url === responseUrl)!.body as { blocks?: unknown[] };
  return { pageId: pagesTitled(title)[0]!.id, confirmation };
}

const dmsAbout = (title: string) => stack().slack.messages.filter((message) => message.channel === imChannelIdFor(SLACK_SEED.alice) && message.text.includes(title));
/** The function log lines netlify dev printed that mention `text`. */
const logLinesWith = (text: string) => stack().dev.output().split("\n").filter((line) => line.includes(text));

describe("the status loop, through netlify dev", () => {
  it("a task set to Done in Notion by a person gets its requester one message; the same event again, a bot's change or a forged signature get nothing", async () => {
    const { notion } = stack();
    expect((await notion.sendHandshake()).status).toBe(200);

    const title = "Status loop through netlify dev";
    const { pageId } = await taskOfAlice(title);
    const delivery = (await notion.setStatus(pageId, "Done"))!;
    expect(delivery.status).toBe(200);
    await waitFor(() => dmsAbout(title).length > 0, "the requester's message");
    expect(dmsAbout(title).map((message) => message.text)).toEqual([`Your task ${title} is now Done, moved by Nora Notion in Notion.`]);

    // The same event, delivered again as Notion does (next attempt): answered, and nothing more.
    expect((await notion.webhooks.redeliver(delivery)).status).toBe(200);
    // The exact bytes again, and a body signed with another secret: refused.
    expect((await notion.webhooks.replay(delivery)).status).toBe(401);
    expect((await notion.webhooks.deliver({ ...delivery.event!, id: "5e1f7c2a-0000-4000-8000-0000000e2e01" }, { signWith: "secret_forged_by_someone_else_000000" })).status).toBe(401);

    // A change whose author is the bot: answered, and the requester hears nothing.
    const own = (await notion.setStatus(pageId, "In progress", { by: "bot" }))!;
    expect(own.status).toBe(200);
    await waitFor(() => logLinesWith(String(own.event!.id)).some((line) => line.includes('"outcome":"own_change"')), "the bot's own change to be logged");
    expect(dmsAbout(title)).toHaveLength(1);
  });

  it("pressing Done on the bot's confirmation sets the page's status to the board's complete option", async () => {
    const { slack, notion, post } = stack();
    const title = "Done pressed through netlify dev";
    const { pageId, confirmation } = await taskOfAlice(title);
    const click = clickEphemeralButton(confirmation, COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: slack.triggerId(SLACK_SEED.alice), responseUrl: slack.responseUrl() });
    expect((await post("/slack/interactions", interactionBody(click))).status).toBe(200);
    const status = () => (notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;
    await waitFor(() => status() === "Done", "the page to be Done");
    // Notion's event about the bot's own write reaches the function and says nothing.
    await waitFor(() => logLinesWith(pageId).some((line) => line.includes('"outcome":"own_change"')), "Notion's event about the bot's write");
    expect(dmsAbout(title)).toHaveLength(0);
  });
});
