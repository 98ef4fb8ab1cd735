/**
 * Weekly review cost: the scheduled handler run in process, cold (a fresh instance per run, as each
 * Monday's run is), against a Notion emulator that answers in 150 ms and allows 3 requests a second,
 * on boards of increasing size. Wall time runs from the invocation until the answer and all work
 * handed to waitUntil are done.
 */
import type { AppOptions, Handler, InvocationContext } from "../src/handlers.js";
import { startNotionEmulator, taskBoardSchema } from "../dev/notion-emulator.js";
import { startSlackEmulator } from "../dev/slack-emulator.js";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../dev/emulator-env.js";
import { summarize, type Summary } from "./stats.js";

export const NOTION_LATENCY_MS = 150;
export const NOTION_REQUESTS_PER_SECOND = 3;
/** A run that takes longer than this is stopped and reported as such, so the bench stays bounded. */
const RUN_TIMEOUT_MS = 60_000;

export interface WeeklyReviewSize {
  openTasks: number;
  /** Seconds from the scheduled invocation to the review posted and all work done. */
  wallSeconds: Summary;
  /** Every request Notion received in a run, refused (429) ones included. */
  notionRequests: Summary;
  /** What the review said about the board (from the handler's answer), in the last run. */
  counts: Record<string, unknown> | undefined;
  /** Set when a run failed or passed RUN_TIMEOUT_MS. */
  problem?: string;
}

export type WeeklyReviewResult =
  | { measured: true; notionLatencyMs: number; notionRequestsPerSecond: number; runsPerSize: number; sizes: WeeklyReviewSize[] }
  | { measured: false; reason: string };

type CreateHandler = (options?: AppOptions) => Handler;

/** The weekly review handler from src/app.ts, when that feature is present. */
async function findWeeklyReviewHandler(): Promise<CreateHandler | undefined> {
  const app = (await import("../src/handlers.js")) as unknown as Record<string, unknown>;
  const create = app.createWeeklyReviewHandler;
  return typeof create === "function" ? (create as CreateHandler) : undefined;
}

export async function measureWeeklyReview(options: { sizes: readonly number[]; runs: number }): Promise<WeeklyReviewResult> {
  const create = await findWeeklyReviewHandler();
  if (!create) return { measured: false, reason: "src/app.ts has no createWeeklyReviewHandler yet" };
  const sizes: WeeklyReviewSize[] = [];
  for (const openTasks of options.sizes) sizes.push(await measureSize(create, openTasks, options.runs));
  return { measured: true, notionLatencyMs: NOTION_LATENCY_MS, notionRequestsPerSecond: NOTION_REQUESTS_PER_SECOND, runsPerSize: options.runs, sizes };
}

async function measureSize(create: CreateHandler, openTasks: number, runs: number): Promise<WeeklyReviewSize> {
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  try {
    const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
    seedBoard(notion.addPage.bind(notion), board.dataSourceId, openTasks);
    // Seeded without latency or a limit; the review's requests get both.
    notion.latencyMs = NOTION_LATENCY_MS;
    notion.rateLimit = { requestsPerSecond: NOTION_REQUESTS_PER_SECOND };
    const env: Record<string, string> = emulatorEnv(slack, notion, board.databaseId);
    const seconds: number[] = [];
    const requests: number[] = [];
    let counts: Record<string, unknown> | undefined;
    for (let run = 0; run < runs; run++) {
      // A fresh rate-limit window: the previous run's requests must not count against this one.
      notion.reset();
      notion.latencyMs = NOTION_LATENCY_MS;
      notion.rateLimit = { requestsPerSecond: NOTION_REQUESTS_PER_SECOND };
      const posted = slack.messages.length;
      const handler = create({ env, logSink: () => {} });
      const pending: Promise<unknown>[] = [];
      const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
      const started = performance.now();
      const outcome = await withTimeout(
        (async () => {
          const response = await handler(scheduledRequest(), context);
          const body = (await response.json()) as Record<string, unknown>;
          while (pending.length > 0) await Promise.allSettled(pending.splice(0));
          return { status: response.status, body };
        })(),
        RUN_TIMEOUT_MS,
      );
      const elapsed = (performance.now() - started) / 1000;
      if (outcome === "timeout") {
        return { openTasks, wallSeconds: summarize([elapsed]), notionRequests: summarize([notion.requests.length]), counts, problem: `a run took more than ${RUN_TIMEOUT_MS / 1000} s` };
      }
      if (outcome.status !== 200 || outcome.body.outcome !== "posted" || slack.messages.length !== posted + 1) {
        return {
          openTasks,
          wallSeconds: summarize([elapsed]),
          notionRequests: summarize([notion.requests.length]),
          counts,
          problem: `the review was not posted: ${outcome.status} ${JSON.stringify(outcome.body).slice(0, 300)}`,
        };
      }
      counts = outcome.body.counts as Record<string, unknown> | undefined;
      seconds.push(elapsed);
      requests.push(notion.requests.length);
    }
    return { openTasks, wallSeconds: summarize(seconds), notionRequests: summarize(requests), counts };
  } finally {
    await Promise.all([slack.close(), notion.close()]);
  }
}

/** Netlify's scheduler POSTs `{"next_run": ...}`, unsigned. */
function scheduledRequest(): Request {
  return new Request("https://chatops.example/.netlify/functions/weekly-reminder", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ next_run: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
  });
}

/**
 * `openTasks` open tasks (a tenth overdue, a tenth due this week, half later, the rest undated, in
 * two open statuses) and a tenth as many done ones, which the review must leave out.
 */
function seedBoard(addPage: (dataSourceId: string, properties: Record<string, unknown>) => unknown, dataSourceId: string, openTasks: number): void {
  const day = 86_400_000;
  const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);
  for (let i = 0; i < openTasks; i++) {
    const bucket = i % 10;
    const due = bucket === 0 ? isoDay(-3 - (i % 20)) : bucket === 1 ? isoDay(0) : bucket < 7 ? isoDay(8 + (i % 60)) : undefined;
    addPage(dataSourceId, {
      Name: { title: [{ text: { content: `Open task ${i}` } }] },
      Status: { status: { name: i % 3 === 0 ? "In progress" : "Not started" } },
      Priority: { select: { name: ["High", "Medium", "Low"][i % 3] } },
      ...(due ? { Due: { date: { start: due } } } : {}),
      "Requested by": { rich_text: [{ text: { content: `Person ${i % 17} (U0P${i % 17})` } }] },
    });
  }
  for (let i = 0; i < Math.ceil(openTasks / 10); i++) {
    addPage(dataSourceId, { Name: { title: [{ text: { content: `Done task ${i}` } }] }, Status: { status: { name: "Done" } } });
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
