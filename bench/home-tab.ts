/**
 * The Home tab's cost: Notion requests per open and the time from the app_home_opened event to the
 * tab published, through the real events handler in process, against a Notion emulator that answers
 * in 150 ms and allows 3 requests a second, on a board of 400 open tasks of which the person asked
 * for 30 and does 10 (so both of the tab's lists are read). Three opens per run: on a cold instance,
 * on the same instance a minute later (warm), and again within that minute (nothing to read).
 */
import type { InvocationContext } from "../src/handlers.js";
import { createSlackEventsHandler } from "../src/handlers.js";
import { startBlobsEmulator } from "../dev/blobs-server.js";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../dev/emulator-env.js";
import { startNotionEmulator, taskBoardSchema } from "../dev/notion-emulator.js";
import { JSON_CONTENT, signedRequest } from "../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator } from "../dev/slack-emulator.js";
import { appHomeOpened, eventBody, eventCallback } from "../dev/slack-payloads.js";
import { summarize, type Summary } from "./stats.js";
import { NOTION_LATENCY_MS, NOTION_REQUESTS_PER_SECOND } from "./weekly-review.js";

export type HomeOpen = "cold" | "warm" | "within a minute";
export const HOME_OPENS: readonly HomeOpen[] = ["cold", "warm", "within a minute"];

export interface HomeTabResult {
  runs: number;
  openTasks: number;
  /** Per kind of open: every request Notion received (refused ones included), and seconds from the event to the tab published. */
  opens: Record<HomeOpen, { notionRequests: Summary; seconds: Summary; published: boolean }>;
}

const OPEN_TASKS = 400;

export async function measureHomeTab(options: { runs: number }): Promise<HomeTabResult> {
  const samples = Object.fromEntries(HOME_OPENS.map((open) => [open, { requests: [] as number[], seconds: [] as number[], published: true }])) as Record<HomeOpen, { requests: number[]; seconds: number[]; published: boolean }>;
  for (let run = 0; run < options.runs; run++) {
    const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN });
    const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
    const blobs = await startBlobsEmulator();
    try {
      const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
      const alice = notion.addUser({ name: "Alice", email: "alice@example.com" });
      seedBoard(notion.addPage.bind(notion), board.dataSourceId, alice.id);
      notion.latencyMs = NOTION_LATENCY_MS;
      notion.rateLimit = { requestsPerSecond: NOTION_REQUESTS_PER_SECOND };
      // The handlers' clock: a minute passes between the cold and the warm open.
      let offset = 0;
      const now = () => Date.now() + offset;
      const handler = createSlackEventsHandler({ env: emulatorEnv(slack, notion, board.databaseId), logSink: () => {}, blobs: blobs.connection, now });
      for (const open of HOME_OPENS) {
        if (open === "warm") {
          offset += 61_000;
          // A minute passes for Notion too: the pacing window of the cold open's requests is over.
          await new Promise((resolve) => setTimeout(resolve, 1_100));
        }
        notion.reset();
        const publishes = slack.callsTo("views.publish").length;
        const pending: Promise<unknown>[] = [];
        const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
        const body = eventBody(eventCallback(appHomeOpened({ user: SLACK_SEED.alice })));
        const started = performance.now();
        const response = await handler(signedRequest(body, { timestamp: Math.floor(now() / 1000), headers: JSON_CONTENT }), context);
        while (pending.length > 0) await Promise.allSettled(pending.splice(0));
        const seconds = (performance.now() - started) / 1000;
        const published = slack.callsTo("views.publish").length > publishes;
        if (response.status !== 200 || published !== (open !== "within a minute")) samples[open].published = false;
        samples[open].requests.push(notion.requests.length);
        samples[open].seconds.push(seconds);
      }
    } finally {
      await Promise.all([slack.close(), notion.close(), blobs.close()]);
    }
  }
  const opens = Object.fromEntries(
    HOME_OPENS.map((open) => [open, { notionRequests: summarize(samples[open].requests), seconds: summarize(samples[open].seconds), published: samples[open].published }]),
  ) as HomeTabResult["opens"];
  return { runs: options.runs, openTasks: OPEN_TASKS, opens };
}

/** OPEN_TASKS open tasks: 30 asked for by Alice, 10 assigned to her, the rest other people's; and some done ones. */
function seedBoard(addPage: (dataSourceId: string, properties: Record<string, unknown>) => unknown, dataSourceId: string, aliceNotionId: string): void {
  const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < OPEN_TASKS; i++) {
    addPage(dataSourceId, {
      Name: { title: [{ text: { content: `Open task ${i}` } }] },
      Status: { status: { name: i % 3 === 0 ? "In progress" : "Not started" } },
      ...(i % 4 === 3 ? {} : { Due: { date: { start: isoDay((i % 40) - 10) } } }),
      "Requested by": { rich_text: [{ text: { content: i < 30 ? "Alice (U0ALICE)" : `Person ${i % 17} (U0P${i % 17})` } }] },
      ...(i >= 30 && i < 40 ? { Assignee: { people: [{ id: aliceNotionId }] } } : {}),
    });
  }
  for (let i = 0; i < 20; i++) addPage(dataSourceId, { Name: { title: [{ text: { content: `Done task ${i}` } }] }, Status: { status: { name: "Done" } } });
}
