/**
 * Through the real Netlify runtime emulation: proves netlify.toml, the function paths and configs,
 * not only the handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../../dev/emulator-env.js";
import { NETLIFY_DEV_TRIGGER_LIFETIME_MS, startNetlifyDev, type NetlifyDev } from "../../dev/netlify-dev.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { sendSigned, type SlackAnswer } from "../../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../../dev/slack-payloads.js";

let slack: SlackEmulator;
let notion: NotionEmulator;
let dev: NetlifyDev;
let dataSourceId: string;

beforeAll(async () => {
  slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS });
  notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
  dataSourceId = board.dataSourceId;
  dev = await startNetlifyDev(emulatorEnv(slack, notion, board.databaseId));
}, 120_000);

afterAll(async () => {
  await dev?.stop();
  await Promise.all([slack?.close(), notion?.close()]);
});

function post(path: string, body: string): Promise<SlackAnswer> {
  return sendSigned(`${dev.url}${path}`, body);
}

describe("netlify dev", () => {
  it("serves /slack/commands: a signed /task opens the modal", async () => {
    const response = await post("/slack/commands", slashCommandBody({ text: "From netlify dev", triggerId: slack.triggerId(SLACK_SEED.alice), responseUrl: slack.responseUrl() }));
    expect(response.status).toBe(200);
    expect(slack.callsTo("views.open")).toHaveLength(1);
  });

  it("serves /slack/interactions: a signed submission lands in Notion", async () => {
    const view = slack.views.at(-1)!;
    const response = await post("/slack/interactions", interactionBody(viewSubmission({ view, values: taskModalValues({ title: "From netlify dev" }) })));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ response_action: "clear" });
    expect(notion.pages(dataSourceId).map((page) => JSON.stringify(page.properties.Name))).toEqual([expect.stringContaining("From netlify dev")]);
  });

  it("runs the scheduled weekly-reminder, which posts the digest to the review channel", async () => {
    // netlify dev serves a scheduled function at its default URL so it can be triggered by hand.
    const response = await fetch(`${dev.url}/.netlify/functions/weekly-reminder`, { method: "POST" });
    expect(response.status).toBe(200);
    const digest = slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message");
    expect(digest).toHaveLength(1);
    expect(JSON.stringify(digest[0]!.blocks)).toContain("From netlify dev");
  });

  it("refuses an unsigned request with 401", async () => {
    const response = await fetch(`${dev.url}/slack/commands`, { method: "POST", body: slashCommandBody() });
    expect(response.status).toBe(401);
  });
});
